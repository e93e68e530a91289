/** Signing in and out, refreshing tokens, and who is signed in. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { confirmPasswordRequestSchema, refreshRequestSchema, signInRequestSchema, type SignInResponse } from '../../domain/auth';
import { bearerToken, refusalMessages, sendError, type Guard, type HttpDeps } from '../http';
import { verifyPassword } from '../passwords';

// A valid scrypt hash of a random password, used only to spend the same time on unknown usernames.
const UNKNOWN_USER_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$hTGqfzBxu1tSdyBr2bn5YyDrnPRyJ3cJ2Uj3cYvVMGQ=';

export function registerSessionRoutes(app: FastifyInstance, deps: HttpDeps, requireUser: Guard) {
  /**
   * Checks a password with the sign-in throttle: the same limits guard signing in and confirming a password
   * (unlocking family mode), so neither can be used to guess the other.
   */
  async function checkPassword(username: string, password: string, ip: string, reply: FastifyReply, attempts: string) {
    // Counted before the (slow) check, so guesses sent at once cannot all get under the limit.
    const throttled = deps.signInThrottle.reserve(username, ip);
    if ('waitMs' in throttled) {
      const minutes = Math.ceil(throttled.waitMs / 60_000);
      reply.header('Retry-After', String(Math.ceil(throttled.waitMs / 1000)));
      sendError(reply, 429, 'too-many-attempts', `Too many ${attempts}. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`);
      return null;
    }
    let found: ReturnType<typeof deps.organisation.findActiveUserForSignIn> = null;
    let ok = false;
    try {
      found = deps.organisation.findActiveUserForSignIn(username);
      // Verify against a throwaway hash when the user is unknown, so timing does not reveal who exists.
      ok = await verifyPassword(password, found?.passwordHash ?? UNKNOWN_USER_HASH);
    } finally {
      // Whatever happens (even an error while checking), the attempt is settled: right, or counted.
      if (found && ok) throttled.reserved.succeeded();
      else throttled.reserved.failed();
    }
    return found && ok ? found : null;
  }

  app.post('/api/sign-in', async (request, reply) => {
    const parsed = signInRequestSchema.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 400, 'bad-request', parsed.error.issues[0]?.message ?? 'Enter your username and password.');
    const { username, password } = parsed.data;
    const found = await checkPassword(username, password, request.ip, reply, 'sign-in attempts');
    if (!found) return reply.sent ? reply : sendError(reply, 401, 'wrong-credentials', 'The username or password is not right.');
    const response: SignInResponse = { ...deps.sessions.issue(found.person.id), user: found.person };
    return response;
  });

  /** The signed-in person proves it is still them (to unlock family mode when the PIN cannot be used). */
  app.post('/api/confirm-password', { preHandler: requireUser }, async (request, reply) => {
    const parsed = confirmPasswordRequestSchema.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 400, 'bad-request', 'Enter your password.');
    const found = await checkPassword(request.user!.username, parsed.data.password, request.ip, reply, 'password attempts');
    if (!found) return reply.sent ? reply : sendError(reply, 401, 'wrong-credentials', 'That password is not right.');
    return { ok: true };
  });

  /** Exchanges a refresh token (once) for a new pair; the person as they are now comes back too. */
  app.post('/api/refresh', async (request, reply) => {
    const parsed = refreshRequestSchema.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 400, 'bad-request', 'A refresh token is needed.');
    const result = deps.sessions.refresh(parsed.data.refreshToken);
    if ('refused' in result) return sendError(reply, 401, result.refused, refusalMessages[result.refused]);
    const user = deps.organisation.findActiveUser(result.userId);
    if (!user) return sendError(reply, 401, 'inactive', refusalMessages.inactive);
    const response: SignInResponse = { ...result.tokens, user };
    return response;
  });

  app.post('/api/sign-out', { preHandler: requireUser }, async (request) => {
    const token = bearerToken(request);
    if (token) deps.sessions.revoke(token);
    return { ok: true };
  });

  app.get('/api/me', { preHandler: requireUser }, async (request) => request.user);

  app.get('/api/directory', { preHandler: requireUser }, async () => deps.organisation.directory());
}

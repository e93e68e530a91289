/** Signing in and out, refreshing tokens, and who is signed in. */
import type { FastifyInstance } from 'fastify';
import { refreshRequestSchema, signInRequestSchema, type SignInResponse } from '../../domain/auth';
import { bearerToken, refusalMessages, sendError, type Guard, type HttpDeps } from '../http';
import { verifyPassword } from '../passwords';

// A valid scrypt hash of a random password, used only to spend the same time on unknown usernames.
const UNKNOWN_USER_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$hTGqfzBxu1tSdyBr2bn5YyDrnPRyJ3cJ2Uj3cYvVMGQ=';

export function registerSessionRoutes(app: FastifyInstance, deps: HttpDeps, requireUser: Guard) {
  app.post('/api/sign-in', async (request, reply) => {
    const parsed = signInRequestSchema.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 400, 'bad-request', parsed.error.issues[0]?.message ?? 'Enter your username and password.');
    const { username, password } = parsed.data;
    const wait = deps.signInThrottle.waitBeforeAttempt(username, request.ip);
    if (wait > 0) {
      const minutes = Math.ceil(wait / 60_000);
      reply.header('Retry-After', String(Math.ceil(wait / 1000)));
      return sendError(reply, 429, 'too-many-attempts', `Too many sign-in attempts. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`);
    }
    const found = deps.organisation.findActiveUserForSignIn(username);
    // Verify against a throwaway hash when the user is unknown, so timing does not reveal who exists.
    const ok = await verifyPassword(password, found?.passwordHash ?? UNKNOWN_USER_HASH);
    if (!found || !ok) {
      deps.signInThrottle.recordFailure(username, request.ip);
      return sendError(reply, 401, 'wrong-credentials', 'The username or password is not right.');
    }
    deps.signInThrottle.recordSuccess(username);
    const response: SignInResponse = { ...deps.sessions.issue(found.person.id), user: found.person };
    return response;
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

/**
 * Signing in and out, refreshing tokens, and who is signed in.
 *
 * The refresh token (a sign-in's 30-day credential) is never given to script: it is set as an HttpOnly,
 * SameSite=Strict cookie sent only to /api/refresh, so a script injected into the page cannot read it
 * and another site cannot make the browser use it. The access token (15 minutes) is in the response body
 * and the app keeps it in memory only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { confirmPasswordRequestSchema, REFRESH_COOKIE, REFRESH_PATH, signInRequestSchema, type SignInResponse } from '../../domain/auth';
import type { IssuedTokens } from '../sessions';
import { bearerToken, refusalMessages, sendError, type Guard, type HttpDeps } from '../http';
import { verifyPassword } from '../passwords';

// A valid scrypt hash of a random password, used only to spend the same time on unknown usernames.
const UNKNOWN_USER_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$hTGqfzBxu1tSdyBr2bn5YyDrnPRyJ3cJ2Uj3cYvVMGQ=';

/**
 * Secure only when the request came over https. A Secure cookie set over plain http is refused by the
 * browser (except on localhost), so a server reached as http://<address> on a council network — or on
 * 127.0.0.1 in the tests — would hand out a cookie the tablet throws away and the sign-in could never be
 * renewed. Over https it is always Secure. (Behind a TLS-terminating proxy, Fastify's `trustProxy` makes
 * request.protocol follow X-Forwarded-Proto.)
 */
export const cookieOptions = (request: Pick<FastifyRequest, 'protocol'>) => ({ httpOnly: true, sameSite: 'strict' as const, path: REFRESH_PATH, secure: request.protocol === 'https' });

/** Hands the tokens to the device: the refresh token in its cookie, the rest in the body. */
function issueToDevice(request: FastifyRequest, reply: FastifyReply, tokens: IssuedTokens, user: SignInResponse['user']): SignInResponse {
  reply.setCookie(REFRESH_COOKIE, tokens.refreshToken, { ...cookieOptions(request), expires: new Date(tokens.refreshExpiresAt) });
  return { token: tokens.token, expiresAt: tokens.expiresAt, refreshExpiresAt: tokens.refreshExpiresAt, user };
}

const forgetCookie = (request: FastifyRequest, reply: FastifyReply) => reply.clearCookie(REFRESH_COOKIE, cookieOptions(request));

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
    return issueToDevice(request, reply, deps.sessions.issue(found.person.id), found.person);
  });

  /** The signed-in person proves it is still them (to unlock family mode when the PIN cannot be used). */
  app.post('/api/confirm-password', { preHandler: requireUser }, async (request, reply) => {
    const parsed = confirmPasswordRequestSchema.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 400, 'bad-request', 'Enter your password.');
    const found = await checkPassword(request.user!.username, parsed.data.password, request.ip, reply, 'password attempts');
    if (!found) return reply.sent ? reply : sendError(reply, 401, 'wrong-credentials', 'That password is not right.');
    return { ok: true };
  });

  /** Exchanges the refresh cookie (once) for a new access token and cookie; the person as they are now comes back too. */
  app.post(REFRESH_PATH, async (request, reply) => {
    const refreshToken = request.cookies[REFRESH_COOKIE];
    if (!refreshToken) return sendError(reply, 401, 'missing', refusalMessages.missing);
    const result = deps.sessions.refresh(refreshToken);
    if ('refused' in result) {
      // It will never work again: the browser need not keep it.
      forgetCookie(request, reply);
      return sendError(reply, 401, result.refused, refusalMessages[result.refused]);
    }
    const user = deps.organisation.findActiveUser(result.userId);
    if (!user) {
      forgetCookie(request, reply);
      return sendError(reply, 401, 'inactive', refusalMessages.inactive);
    }
    return issueToDevice(request, reply, result.tokens, user);
  });

  /**
   * Signing out: ends the sign-in the refresh cookie (and, if sent, the access token) belongs to, and
   * removes the cookie. Needs no access token — the app keeps that in memory only, so after a reload it
   * may have none — and answers the same whether or not there was anything to end.
   */
  app.delete(REFRESH_PATH, async (request, reply) => {
    const refreshToken = request.cookies[REFRESH_COOKIE];
    if (refreshToken) deps.sessions.revoke(refreshToken);
    const token = bearerToken(request);
    if (token) deps.sessions.revoke(token);
    forgetCookie(request, reply);
    return { ok: true };
  });

  /** Signing out with the access token (a device that has one); the cookie goes too. */
  app.post('/api/sign-out', { preHandler: requireUser }, async (request, reply) => {
    const token = bearerToken(request);
    if (token) deps.sessions.revoke(token);
    forgetCookie(request, reply);
    return { ok: true };
  });

  app.get('/api/me', { preHandler: requireUser }, async (request) => request.user);

  app.get('/api/directory', { preHandler: requireUser }, async () => deps.organisation.directory());
}

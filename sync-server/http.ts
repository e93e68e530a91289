/**
 * The HTTP API (sign-in, directory, health) and the built app, on one port. Every API error is
 * `{ error, message }` with a message a person can read; nothing a client sends can crash the process.
 */
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import { signInRequestSchema, type SignInResponse } from '../domain/auth';
import type { Person } from '../domain/directory';
import type { Access } from './access';
import type { Organisation } from './organisation';
import { verifyPassword } from './passwords';
import type { Sessions } from './sessions';
import type { SignInThrottle } from './signInThrottle';

export interface HttpDeps {
  organisation: Organisation;
  sessions: Sessions;
  access: Access;
  signInThrottle: SignInThrottle;
  staticDir: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: Person | null;
  }
}

function sendError(reply: FastifyReply, status: number, error: string, message: string) {
  return reply.code(status).send({ error, message });
}

const refusalMessages = {
  missing: 'Sign in to continue.',
  unknown: 'Your sign-in is not recognised. Please sign in again.',
  expired: 'Your sign-in has expired. Please sign in again.',
  revoked: 'You have been signed out. Please sign in again.',
  inactive: 'This account is no longer active.',
} as const;

/** The signed-in user behind a request's bearer token, or why there is none. */
export function authenticate(
  deps: Pick<HttpDeps, 'organisation' | 'sessions'>,
  token: string | null,
): { user: Person } | { refused: keyof typeof refusalMessages; message: string } {
  if (!token) return { refused: 'missing', message: refusalMessages.missing };
  const verdict = deps.sessions.verify(token);
  if ('refused' in verdict) return { refused: verdict.refused, message: refusalMessages[verdict.refused] };
  const user = deps.organisation.findActiveUser(verdict.userId);
  if (!user) return { refused: 'inactive', message: refusalMessages.inactive };
  return { user };
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() || null : null;
}

export async function buildHttpApp(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.decorateRequest('user', null);

  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) console.error(error);
    return sendError(reply, status, status >= 500 ? 'server-error' : 'bad-request', status >= 500 ? 'Something went wrong on the server.' : error.message);
  });

  /** Routes under /api except sign-in and health need a valid token. */
  const requireUser = async (request: FastifyRequest, reply: FastifyReply) => {
    const result = authenticate(deps, bearerToken(request));
    if ('refused' in result) return sendError(reply, 401, result.refused, result.message);
    request.user = result.user;
  };

  app.get('/api/health', async () => ({ ok: true, time: new Date().toISOString() }));

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
    const session = deps.sessions.issue(found.person.id);
    const response: SignInResponse = { token: session.token, expiresAt: session.expiresAt, user: found.person };
    return response;
  });

  app.post('/api/sign-out', { preHandler: requireUser }, async (request) => {
    const token = bearerToken(request);
    if (token) deps.sessions.revoke(token);
    return { ok: true };
  });

  app.get('/api/me', { preHandler: requireUser }, async (request) => request.user);

  app.get('/api/directory', { preHandler: requireUser }, async () => deps.organisation.directory());

  /** Records this person may read that changed after a point: how a device learns of records made elsewhere. */
  app.get('/api/records/changes', { preHandler: requireUser }, async (request, reply) => {
    const query = request.query as { after?: string; device?: string };
    const after = Number(query.after ?? 0);
    if (!Number.isInteger(after) || after < 0) return sendError(reply, 400, 'bad-request', '"after" must be a whole number.');
    return deps.access.changesFor(request.user!, after, query.device?.slice(0, 64) ?? null);
  });

  app.all('/api/*', async (_request, reply) => sendError(reply, 404, 'not-found', 'There is no such API endpoint.'));

  if (deps.staticDir) await serveApp(app, deps.staticDir);
  return app;
}

// A valid scrypt hash of a random password, used only to spend the same time on unknown usernames.
const UNKNOWN_USER_HASH =
  'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$hTGqfzBxu1tSdyBr2bn5YyDrnPRyJ3cJ2Uj3cYvVMGQ=';

/** Serves the built app: hashed assets cached for ever, the shell and service worker always revalidated. */
async function serveApp(app: FastifyInstance, staticDir: string) {
  if (!fs.existsSync(path.join(staticDir, 'index.html')))
    throw new Error(`The built app is missing from ${staticDir}. Run "npm run build" first (npm start does this).`);
  await app.register(fastifyStatic, {
    root: staticDir,
    wildcard: true,
    // We set Cache-Control ourselves below; the default would let a browser keep a stale shell or worker.
    cacheControl: false,
    setHeaders(res, filePath) {
      const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
      res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  // Deep links such as /observations/<id> are the app's own routes: answer them with the shell.
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/api/')) {
      return reply.header('Cache-Control', 'no-cache').type('text/html').sendFile('index.html');
    }
    return sendError(reply, 404, 'not-found', 'Not found.');
  });
}

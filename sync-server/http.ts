/**
 * The HTTP API (sign-in, directory, records, commands, administration, audit) and the built app, on one
 * port. The routes live in ./routes, one module per area. Every API error is
 * `{ error, message }` with a message a person can read; nothing a client sends can crash the process.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import type { Person } from '../domain/directory';
import type { Access } from './access';
import type { Actions } from './actions';
import type { FollowUps } from './followUp';
import type { Programme } from './programme';
import { registerProgrammeRoutes } from './routes/programme';
import { registerReportRoutes } from './routes/reports';
import { registerSummaryRoutes } from './routes/summaries';
import type { Summaries } from './summaries';
import type { Reports } from './reports';
import type { AuditLog } from './audit';
import type { Commands } from './commands';
import type { Notifications } from './notifications';
import type { Organisation } from './organisation';
import { registerAdminRoutes } from './routes/admin';
import { registerBulkRoutes } from './routes/bulk';
import { registerRecordRoutes } from './routes/records';
import { registerSessionRoutes } from './routes/session';
import type { Logger } from './log';
import type { Sessions } from './sessions';
import type { SignInThrottle } from './signInThrottle';
import type { BulkSync } from './sync/bulk';
import type { Collaboration } from './sync/collaboration';

export interface HttpDeps {
  organisation: Organisation;
  sessions: Sessions;
  access: Access;
  audit: AuditLog;
  commands: Commands;
  actions: Actions;
  followUps: FollowUps;
  programme: Programme;
  reports: Reports;
  summaries: Summaries;
  notifications: Notifications;
  collaboration: Pick<Collaboration, 'disconnectUser' | 'recheckAccess'>;
  signInThrottle: SignInThrottle;
  /** Many records in one request (sync/bulk.ts); absent in tests that build the API alone. */
  bulk?: BulkSync;
  staticDir: string | null;
  /** Serve HTTPS with this certificate and key (PEM); the server's secure context can be replaced later. */
  https?: { key: Buffer; cert: Buffer } | null;
  /** Which reverse proxy to believe about the client's address and protocol (Fastify's trustProxy). */
  trustProxy?: string | boolean | number;
  logger?: Logger;
  /** The id of the database's latest restore from a backup ('' if never), given to devices with the changes feed. */
  latestRestore?: () => string;
  /** Readiness: throws when the server cannot serve (the database does not answer). */
  checkReady?: () => void;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: Person | null;
  }
}

export function sendError(reply: FastifyReply, status: number, error: string, message: string) {
  return reply.code(status).send({ error, message });
}

/** Why a token was refused, in words a person can act on. */
export const refusalMessages = {
  missing: 'Sign in to continue.',
  unknown: 'Your sign-in is not recognised. Please sign in again.',
  expired: 'Your sign-in has expired. Please sign in again.',
  revoked: 'You have been signed out. Please sign in again.',
  reused: 'For your safety you have been signed out. Please sign in again.',
  inactive: 'This account is no longer active.',
} as const;

/** The signed-in user behind an access token, or why there is none. */
export function authenticate(
  deps: Pick<HttpDeps, 'organisation' | 'sessions'>,
  token: string | null,
): { user: Person; signIn: { familyId: string; expiresAt: number } } | { refused: keyof typeof refusalMessages; message: string } {
  if (!token) return { refused: 'missing', message: refusalMessages.missing };
  const verdict = deps.sessions.verify(token);
  if ('refused' in verdict) return { refused: verdict.refused, message: refusalMessages[verdict.refused] };
  const user = deps.organisation.findActiveUser(verdict.userId);
  if (!user) return { refused: 'inactive', message: refusalMessages.inactive };
  return { user, signIn: { familyId: verdict.familyId, expiresAt: verdict.expiresAt } };
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() || null : null;
}

/** The device a request comes from (the same id its sync connection carries), for the audit log. */
export const deviceOf = (request: FastifyRequest): string | null => {
  const header = request.headers['x-fieldnotes-device'];
  return typeof header === 'string' && header ? header.slice(0, 64) : null;
};

export type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * What a browser may do with a page of Fieldnotes. No inline script anywhere (the built
 * index.html loads only /assets files, and the service worker is registered from the bundle, not an
 * inline snippet), no framing, no plugins, nothing from another origin.
 */
const contentSecurityPolicy = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    // Inline styles are allowed, inline script never: the narrative editor (CodeMirror 6) writes its theme
    // into a <style> element at run time and sizes its layers with style attributes. A style can neither
    // run script nor load anything (img/font/connect stay 'self'), so this opens no door a script could use.
    // (A per-response nonce would need the shell templated per request, which the offline shell cannot be.)
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    // 'self' covers same-origin websockets in Chromium (CSP3) but not in every Safari: name the sync
    // socket's own host too. Only the host the page was asked for, and only if it looks like a host.
    connectSrc: ["'self'", (req: { headers: { host?: string } }) => (validHost(req.headers.host) ? `ws://${req.headers.host} wss://${req.headers.host}` : "'self'")],
    workerSrc: ["'self'"],
    manifestSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};
const validHost = (host: string | undefined): host is string => !!host && /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(host);

/** Powerful features Fieldnotes never uses, switched off for it and anything it might be tricked into loading. */
const PERMISSIONS_POLICY = [
  'accelerometer', 'autoplay', 'camera', 'display-capture', 'geolocation', 'gyroscope', 'hid', 'magnetometer',
  'microphone', 'midi', 'payment', 'serial', 'usb',
].map((feature) => `${feature}=()`).join(', ');

/** HSTS, sent only over HTTPS (a browser ignores it over http, and a test instance on http must stay reachable). */
const HSTS = 'max-age=31536000';

export async function buildHttpApp(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: 1024 * 1024,
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // One line per API request, written below, instead of Fastify's two lines carrying the URL as typed.
    logController: new LogController({ disableRequestLogging: true }),
    // A hop count trusts that many proxies nearest the server (Fastify's types leave numbers out).
    trustProxy: typeof deps.trustProxy === 'number' ? ((_address: string, hop: number) => hop < (deps.trustProxy as number)) : (deps.trustProxy ?? false),
    ...(deps.https ? { https: { key: deps.https.key, cert: deps.https.cert } } : {}),
  }) as unknown as FastifyInstance;
  app.decorateRequest('user', null);

  // Security headers on every response: the API, the app, its assets and the 404s.
  await app.register(fastifyHelmet, {
    contentSecurityPolicy,
    // DENY rather than helmet's SAMEORIGIN: nothing, not even Fieldnotes, frames Fieldnotes.
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Set below, and only over HTTPS (directly or through a trusted proxy that says so).
    strictTransportSecurity: false,
  });
  // The refresh token travels only in an HttpOnly cookie (routes/session.ts).
  await app.register(fastifyCookie);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('Permissions-Policy', PERMISSIONS_POLICY);
    if (request.protocol === 'https') reply.header('Strict-Transport-Security', HSTS);
    // Source maps would hand out the app's source; none are built, and none are served whatever is on disk.
    if (request.url.split('?')[0]!.endsWith('.map')) return sendError(reply, 404, 'not-found', 'Not found.');
  });
  // API answers carry personal data or tokens: no browser, proxy or service worker may keep a copy.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    return payload;
  });

  // The route's pattern, never the URL as typed: `/children/MOS123456` would put a child's ID in the log.
  app.addHook('onResponse', async (request, reply) => {
    const api = request.url.startsWith('/api/');
    const line = { method: request.method, route: request.routeOptions.url ?? (api ? '(no such route)' : '(the app)'), status: reply.statusCode, ms: Math.round(reply.elapsedTime), ip: request.ip };
    if (api) request.log.info(line, 'request');
    else request.log.debug(line, 'request');
  });

  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error, route: request.routeOptions.url }, 'A request failed on the server.');
    return sendError(reply, status, status >= 500 ? 'server-error' : 'bad-request', status >= 500 ? 'Something went wrong on the server.' : error.message);
  });

  /** Routes under /api except sign-in, refresh and health need a valid access token. */
  const requireUser: Guard = async (request, reply) => {
    const result = authenticate(deps, bearerToken(request));
    if ('refused' in result) return sendError(reply, 401, result.refused, result.message);
    request.user = result.user;
  };

  // Liveness: the process answers. Readiness: it can also read its database (a load balancer or monitor asks this).
  app.get('/api/health', async () => ({ ok: true, time: new Date().toISOString() }));
  app.get('/api/ready', async (request, reply) => {
    try {
      deps.checkReady?.();
      return { ok: true, database: 'ok' };
    } catch (error) {
      request.log.error({ err: error }, 'Readiness check failed: the database did not answer.');
      return reply.code(503).send({ ok: false, database: 'failing', message: 'The server cannot read its database.' });
    }
  });
  registerSessionRoutes(app, deps, requireUser);
  registerRecordRoutes(app, deps, requireUser);
  registerBulkRoutes(app, deps, requireUser);
  registerAdminRoutes(app, deps, requireUser);
  registerProgrammeRoutes(app, deps, requireUser);
  registerReportRoutes(app, deps, requireUser);
  registerSummaryRoutes(app, deps, requireUser);

  app.all('/api/*', async (_request, reply) => sendError(reply, 404, 'not-found', 'There is no such API endpoint.'));

  if (deps.staticDir) await serveApp(app, deps.staticDir);
  return app;
}

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

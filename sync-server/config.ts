/** The server's settings, from the environment, with the embedded defaults `npm start` uses. */
import path from 'node:path';
import { parseResponseWorkingDays } from '../domain/concerns';
import { mailConfigFromEnv, type MailConfig } from './mail';

export interface ServerConfig {
  /** Port to listen on; 0 picks a free one (tests). */
  port: number;
  host: string;
  /** Where the SQLite database lives. */
  dataDir: string;
  /** The built app to serve, or null to serve only the API (the dev command lets Vite serve the app). */
  staticDir: string | null;
  /** Whether to create the demo organisation when the database is empty. */
  seedDemo: boolean;
  /** How long a sign-in lasts on a device without being used (its refresh token's lifetime, renewed on each use). */
  sessionDays: number;
  /** How long an access token lasts before the device exchanges its refresh token for a new one (default 15). */
  accessTokenMinutes?: number;
  /** How long a manager has to respond to an immediate concern before it escalates, in working days (default 1). */
  concernResponseWorkingDays?: number;
  /** Email for what cannot wait; null or absent when it is off (the default). */
  mail?: MailConfig | null;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}".`);
  const sessionDays = positive(env.FIELDNOTES_SESSION_DAYS, 30, 'FIELDNOTES_SESSION_DAYS must be a positive number of days.');
  const host = env.HOST ?? '127.0.0.1';
  return {
    port,
    host,
    dataDir: path.resolve(env.FIELDNOTES_DATA_DIR ?? 'data'),
    staticDir: env.FIELDNOTES_STATIC_DIR === '' ? null : path.resolve(env.FIELDNOTES_STATIC_DIR ?? 'dist'),
    seedDemo: env.FIELDNOTES_DEMO !== 'off',
    sessionDays,
    accessTokenMinutes: positive(env.FIELDNOTES_ACCESS_MINUTES, 15, 'FIELDNOTES_ACCESS_MINUTES must be a positive number of minutes.'),
    concernResponseWorkingDays: parseResponseWorkingDays(env.FIELDNOTES_CONCERN_RESPONSE_DAYS),
    // Links in email fall back to the address the server listens on; set FIELDNOTES_PUBLIC_URL to the one people use.
    mail: mailConfigFromEnv(env, `http://${host.includes(':') ? `[${host}]` : host}:${port}`),
  };
}

function positive(value: string | undefined, fallback: number, message: string): number {
  const number = Number(value ?? fallback);
  if (!(number > 0)) throw new Error(message);
  return number;
}

/** The server's settings, from the environment, with the embedded defaults `npm start` uses. */
import path from 'node:path';

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
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}".`);
  const sessionDays = positive(env.FIELDNOTES_SESSION_DAYS, 30, 'FIELDNOTES_SESSION_DAYS must be a positive number of days.');
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: path.resolve(env.FIELDNOTES_DATA_DIR ?? 'data'),
    staticDir: env.FIELDNOTES_STATIC_DIR === '' ? null : path.resolve(env.FIELDNOTES_STATIC_DIR ?? 'dist'),
    seedDemo: env.FIELDNOTES_DEMO !== 'off',
    sessionDays,
    accessTokenMinutes: positive(env.FIELDNOTES_ACCESS_MINUTES, 15, 'FIELDNOTES_ACCESS_MINUTES must be a positive number of minutes.'),
  };
}

function positive(value: string | undefined, fallback: number, message: string): number {
  const number = Number(value ?? fallback);
  if (!(number > 0)) throw new Error(message);
  return number;
}

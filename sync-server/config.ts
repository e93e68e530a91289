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
  /** How long a sign-in lasts on a device before the person must sign in again. */
  sessionDays: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}".`);
  const sessionDays = Number(env.FIELDNOTES_SESSION_DAYS ?? 30);
  if (!(sessionDays > 0)) throw new Error('FIELDNOTES_SESSION_DAYS must be a positive number of days.');
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: path.resolve(env.FIELDNOTES_DATA_DIR ?? 'data'),
    staticDir: env.FIELDNOTES_STATIC_DIR === '' ? null : path.resolve(env.FIELDNOTES_STATIC_DIR ?? 'dist'),
    seedDemo: env.FIELDNOTES_DEMO !== 'off',
    sessionDays,
  };
}

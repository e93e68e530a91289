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
  /** Whether to create the demo organisation (its people, teams and programme) when the database is empty. */
  seedDemo: boolean;
  /**
   * With the demo organisation, whether to give it a year of records too (demoRecords.ts). FIELDNOTES_DEMO
   * unset or `on`: yes; `people`: the people only (the end-to-end tests start so, to begin from empty lists).
   */
  demoRecords?: boolean;
  /** How long a sign-in lasts on a device without being used (its refresh token's lifetime, renewed on each use). */
  sessionDays: number;
  /** How long an access token lasts before the device exchanges its refresh token for a new one (default 15). */
  accessTokenMinutes?: number;
  /** PEM certificate chain and private key: when both are set the server speaks HTTPS (reloaded on SIGHUP). */
  tls?: { certFile: string; keyFile: string } | null;
  /**
   * Fastify's trustProxy: which proxy's X-Forwarded-For / -Proto to believe (an address, a CIDR list,
   * `true`, or a hop count). Unset: none, so a client cannot claim another address.
   */
  trustProxy?: string | boolean | number;
  /** Scheduled backups: where, how often and how many to keep; null: none. */
  backups?: { dir: string; everyMinutes: number; keep: number } | null;
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
  const tls = tlsFromEnv(env);
  return {
    port,
    host,
    dataDir: path.resolve(env.FIELDNOTES_DATA_DIR ?? 'data'),
    staticDir: env.FIELDNOTES_STATIC_DIR === '' ? null : path.resolve(env.FIELDNOTES_STATIC_DIR ?? 'dist'),
    ...demoFromEnv(env.FIELDNOTES_DEMO),
    sessionDays,
    accessTokenMinutes: positive(env.FIELDNOTES_ACCESS_MINUTES, 15, 'FIELDNOTES_ACCESS_MINUTES must be a positive number of minutes.'),
    tls,
    trustProxy: trustProxyFromEnv(env.FIELDNOTES_TRUST_PROXY),
    backups: env.FIELDNOTES_BACKUP_DIR
      ? {
          dir: path.resolve(env.FIELDNOTES_BACKUP_DIR),
          everyMinutes: positive(env.FIELDNOTES_BACKUP_MINUTES, 60, 'FIELDNOTES_BACKUP_MINUTES must be a positive number of minutes.'),
          keep: wholePositive(env.FIELDNOTES_BACKUP_KEEP, 48, 'FIELDNOTES_BACKUP_KEEP must be a whole number of backups, 1 or more.'),
        }
      : null,
    concernResponseWorkingDays: parseResponseWorkingDays(env.FIELDNOTES_CONCERN_RESPONSE_DAYS),
    // Links in email fall back to the address the server listens on; set FIELDNOTES_PUBLIC_URL to the one people use.
    mail: mailConfigFromEnv(env, `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`),
  };
}

function demoFromEnv(value: string | undefined): Pick<ServerConfig, 'seedDemo' | 'demoRecords'> {
  if (value === 'off') return { seedDemo: false, demoRecords: false };
  if (value === 'people') return { seedDemo: true, demoRecords: false };
  if (value === undefined || value === '' || value === 'on') return { seedDemo: true, demoRecords: true };
  throw new Error(`FIELDNOTES_DEMO must be on, people or off, not "${value}".`);
}

function tlsFromEnv(env: NodeJS.ProcessEnv): ServerConfig['tls'] {
  const cert = env.FIELDNOTES_TLS_CERT;
  const key = env.FIELDNOTES_TLS_KEY;
  if (!cert && !key) return null;
  if (!cert || !key) throw new Error('Set both FIELDNOTES_TLS_CERT and FIELDNOTES_TLS_KEY (PEM files) to serve HTTPS, or neither.');
  return { certFile: path.resolve(cert), keyFile: path.resolve(key) };
}

function trustProxyFromEnv(value: string | undefined): ServerConfig['trustProxy'] {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value; // addresses or CIDR ranges, comma-separated, or loopback / linklocal / uniquelocal
}

function wholePositive(value: string | undefined, fallback: number, message: string): number {
  const number = Number(value ?? fallback);
  if (!Number.isInteger(number) || number < 1) throw new Error(message);
  return number;
}

function positive(value: string | undefined, fallback: number, message: string): number {
  const number = Number(value ?? fallback);
  if (!(number > 0)) throw new Error(message);
  return number;
}

/** Starts the Fieldnotes server from a config: database, demo organisation, HTTP API and app. */
import type { AddressInfo } from 'node:net';
import type { ServerConfig } from './config';
import { openDatabase, type ServerDatabase } from './database';
import { seedDemoOrganisation, type DemoAccount } from './demo';
import { buildHttpApp } from './http';
import { Organisation } from './organisation';
import { Sessions } from './sessions';

export interface RunningServer {
  url: string;
  port: number;
  db: ServerDatabase;
  organisation: Organisation;
  /** The demo accounts created on this start, or [] when the database already had people in it. */
  seededAccounts: DemoAccount[];
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const db = openDatabase(config.dataDir);
  const organisation = new Organisation(db);
  const sessions = new Sessions(db, config.sessionDays * 24 * 60 * 60 * 1000);
  const seededAccounts = config.seedDemo && organisation.isEmpty() ? await seedDemoOrganisation(organisation) : [];

  const app = await buildHttpApp({ organisation, sessions, staticDir: config.staticDir });
  await app.listen({ port: config.port, host: config.host });
  const { port } = app.server.address() as AddressInfo;

  let closed = false;
  return {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    port,
    db,
    organisation,
    seededAccounts,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      db.close();
    },
  };
}

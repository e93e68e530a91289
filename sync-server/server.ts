/**
 * Starts the Fieldnotes server from a config: database, demo organisation, HTTP API and app, and the
 * sync websocket — all on one port.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { DEFAULT_CONCERN_RESPONSE_WORKING_DAYS } from '../domain/concerns';
import { MAX_MESSAGE_BYTES, SYNC_PATH } from '../domain/sync';
import { Access } from './access';
import { Actions } from './actions';
import { FollowUps } from './followUp';
import { Programme } from './programme';
import { RecordFacts, storedValuesFrom } from './recordFacts';
import { Reports } from './reports';
import { Summaries } from './summaries';
import { AuditLog } from './audit';
import { Commands } from './commands';
import { Concerns } from './concerns';
import { Mailer } from './mail';
import { Notifications } from './notifications';
import type { ServerConfig } from './config';
import { openDatabase, type ServerDatabase } from './database';
import { latestRestore, scheduleBackups, type BackupResult } from './backup';
import fs from 'node:fs';
import { log } from './log';
import { claimDataDir } from './serverLock';
import { seedDemoOrganisation, seedDemoProgramme, type DemoAccount } from './demo';
import { seedDemoRecords, type DemoRecordCounts } from './demoRecords';
import { authenticate, buildHttpApp } from './http';
import { Organisation } from './organisation';
import type { DocumentStore } from './persistence/documentStore';
import { SqliteDocumentStore } from './persistence/sqliteStore';
import { Sessions } from './sessions';
import { defaultThrottleLimits, SignInThrottle, type ThrottleLimits } from './signInThrottle';
import { createBulkSync, createBulkWrites } from './sync/bulk';
import { createCollaboration, type Collaboration } from './sync/collaboration';
import { createSocketGuard, defaultSocketLimits, type SocketGuard, type SocketLimits } from './sync/socketGuard';

export interface RunningServer {
  url: string;
  port: number;
  db: ServerDatabase;
  organisation: Organisation;
  sessions: Sessions;
  access: Access;
  audit: AuditLog;
  store: DocumentStore;
  collaboration: Collaboration;
  actions: Actions;
  concerns: Concerns;
  /** Email for what cannot wait, or null when it is off (tests wait on `settled()`). */
  mailer: Mailer | null;
  programme: Programme;
  /** The reports' read model of finished records (rebuilt with facts.rebuild()) and the figures read from it. */
  facts: RecordFacts;
  reports: Reports;
  /** Issue 17: the heads of service's quarterly summaries. */
  summaries: Summaries;
  /** Runs the scheduler's checks now (actions falling due, concerns unanswered by their due time), as its timer does. */
  runScheduledChecks(): number;
  /** What the sync sockets' guard has held back (for tests and monitoring). */
  socketGuard: SocketGuard['stats'];
  /** The demo accounts created on this start, or [] when the database already had people in it. */
  seededAccounts: DemoAccount[];
  /** What the demo's year of records came to, when this start made them (else null). */
  demoRecords: DemoRecordCounts | null;
  /** Reads the certificate and key files again and uses them for new connections (SIGHUP). No-op over http. */
  reloadCertificate(): void;
  /** Takes a scheduled backup now (null when scheduled backups are off, or this one failed: see the log). */
  backupNow(): Promise<BackupResult | null>;
  /** Stops taking connections, stores everything received, and closes the database. */
  close(): Promise<void>;
}

export interface ServerOverrides {
  /** A document store other than the embedded SQLite one (tests use the in-memory store). */
  store?: DocumentStore;
  compactAfterMs?: number;
  signInLimits?: ThrottleLimits;
  socketLimits?: Partial<SocketLimits>;
  /** The clock actions fall due by (tests move it forward). */
  now?: () => Date;
  /** How often the scheduler looks for actions falling due; 0 turns the timer off (tests call runScheduledChecks). */
  scheduleEveryMs?: number;
  /** The first wait before a failed email is tried again (doubling each time); tests make it short. */
  mailRetryMs?: number;
}

/** How often the scheduler looks for actions that fell due, by default. */
const SCHEDULE_EVERY_MS = 10 * 60 * 1000;

export async function startServer(config: ServerConfig, overrides: ServerOverrides = {}): Promise<RunningServer> {
  // A damaged database is refused here, before anything is served from it or written to it.
  const db = openDatabase(config.dataDir, { checkIntegrity: true });
  const releaseDataDir = claimDataDir(config.dataDir);
  const readTls = () => (config.tls ? { key: fs.readFileSync(config.tls.keyFile), cert: fs.readFileSync(config.tls.certFile) } : null);
  const tls = readTls();
  const organisation = new Organisation(db);
  const sessions = new Sessions(db, {
    accessMs: (config.accessTokenMinutes ?? 15) * 60 * 1000,
    refreshMs: config.sessionDays * 24 * 60 * 60 * 1000,
  });
  // One clock for everything the server dates. The demo's year of records is made with it held at each
  // record's own date, so what they say about when matches what the registry, actions and reports say.
  const serverNow = overrides.now ?? (() => new Date());
  let heldAt: Date | null = null;
  const now = () => (heldAt ? new Date(heldAt) : serverNow());
  const access = new Access(db, now);
  const audit = new AuditLog(db);
  const store = overrides.store ?? new SqliteDocumentStore(db);
  const seededAccounts = config.seedDemo && organisation.isEmpty() ? await seedDemoOrganisation(organisation) : [];

  const bulkWrites = createBulkWrites();
  const collaboration = createCollaboration({
    beforeLoad: (name) => bulkWrites.settled(name),
    store,
    access,
    audit,
    authenticate: (token) => authenticate({ organisation, sessions }, token),
    revokedSince: (since) => sessions.revokedSince(since),
    findActiveUser: (id) => organisation.findActiveUser(id),
    ...(overrides.compactAfterMs !== undefined ? { compactAfterMs: overrides.compactAfterMs } : {}),
    now,
  });
  // Ending a sign-in (signing out, a reused refresh token, a reset password, deactivation) closes every
  // connection opened under it at once.
  sessions.onEnded((ended) => collaboration.endSignIn(ended));
  const signInThrottle = new SignInThrottle(overrides.signInLimits ?? defaultThrottleLimits);
  const mailer = config.mail ? new Mailer(config.mail, overrides.mailRetryMs) : null;
  const notifications = new Notifications(db, (userId) => collaboration.pushNotification(userId), now, mailer);
  const storedValues = storedValuesFrom(access, store);
  // The read model of finished records: the programme's sample and coverage and the reports read it.
  const facts = new RecordFacts({ db, access, storedValues });
  const actions = new Actions({
    db,
    access,
    organisation,
    notifications,
    now,
    push: (userIds) => collaboration.pushActions(userIds),
    childIdOf: async (name) => (await storedValues(name)).childId ?? '',
  });
  const followUps = new FollowUps({
    db,
    access,
    organisation,
    notifications,
    actions,
    now,
    storedValues,
  });
  const concerns = new Concerns({
    db,
    access,
    organisation,
    notifications,
    now,
    responseWorkingDays: config.concernResponseWorkingDays ?? DEFAULT_CONCERN_RESPONSE_WORKING_DAYS,
    childIdOf: async (name) => (await storedValues(name)).childId ?? '',
  });
  const programme = new Programme({
    db,
    access,
    organisation,
    notifications,
    audit,
    now,
    facts,
    push: (userIds) => collaboration.pushActions(userIds),
    notifyReaders: (record) => collaboration.notifyReaders(record),
  });
  if (seededAccounts.length > 0) seedDemoProgramme(programme, organisation, now());
  const reports = new Reports({ db, access, now, programme });
  const summaries = new Summaries({ db, access, store, collaboration, notifications, now });
  const commands = new Commands({ db, access, audit, organisation, store, collaboration, notifications, actions, followUps, concerns, programme, summaries, now });
  let demoRecords: DemoRecordCounts | null = null;
  if (seededAccounts.length > 0 && config.demoRecords) {
    notifications.mailHeld = true;
    // One transaction for the whole year: a few seconds instead of a disk flush for every step, and all
    // or nothing. Nothing else uses the database yet: the server is not listening.
    db.exec('BEGIN');
    try {
      demoRecords = await seedDemoRecords({ organisation, access, store, commands, actions, notifications, summaries, today: now(), holdClock: (at) => (heldAt = at), log: (message) => log.info(message) });
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      // The people are there: someone trying Fieldnotes can still sign in and make records of their own.
      log.error({ err: error }, 'The demo organisation’s records could not be made; it starts with its people only.');
    } finally {
      heldAt = null;
      notifications.mailHeld = false;
    }
  }
  // Finished records stored before the read model existed (or before it gained columns): read once, in the background.
  void facts.catchUp().catch((error: unknown) => log.error({ err: error }, 'Could not bring the read model of records up to date.'));
  // Nothing needs a person to remember: the server looks for actions that fell due and concerns left
  // unanswered past their due time, at start and then on a timer. One check failing does not stop the other.
  const runScheduledChecks = () => {
    let told = 0;
    for (const check of [() => actions.checkDue(), () => concerns.checkUnanswered()]) {
      try {
        told += check();
      } catch (error) {
        log.error({ err: error }, 'A scheduled check failed; it runs again on the next tick.');
      }
    }
    return told;
  };
  runScheduledChecks();
  const scheduleEveryMs = overrides.scheduleEveryMs ?? SCHEDULE_EVERY_MS;
  const scheduler = scheduleEveryMs > 0 ? setInterval(runScheduledChecks, scheduleEveryMs) : null;
  scheduler?.unref();
  const bulk = createBulkSync({ db, store, access, audit, collaboration, writes: bulkWrites });
  const app = await buildHttpApp({
    organisation, sessions, access, audit, commands, actions, followUps, programme, reports, summaries, notifications, collaboration, signInThrottle, bulk,
    staticDir: config.staticDir,
    https: tls,
    trustProxy: config.trustProxy ?? false,
    logger: log,
    latestRestore: () => latestRestore(db),
    checkReady: () => void db.prepare('SELECT count(*) FROM users').get(),
  });
  const backups = config.backups ? scheduleBackups(db, { ...config.backups, log }) : null;

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const socketGuard = createSocketGuard({ ...defaultSocketLimits, ...overrides.socketLimits });
  app.server.on('upgrade', (request, socket, head) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== SYNC_PATH) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      // A bad frame (e.g. over the size limit) makes ws emit 'error' and close the socket; without a
      // listener that error would crash the whole server.
      ws.on('error', (error) => log.warn(`Closed a sync connection: ${error.message}`));
      // The guard sees every frame before Hocuspocus does, and bounds what this socket can make us hold.
      socketGuard.guard(ws);
      collaboration.hocuspocus.handleConnection(ws, request);
    });
  });

  // A long accept queue: after a restart every tablet reconnects within a few seconds.
  await app.listen({ port: config.port, host: config.host, backlog: 2048 });
  const { port } = app.server.address() as AddressInfo;

  let closing: Promise<void> | null = null;
  return {
    url: `${tls ? 'https' : 'http'}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    port,
    db,
    organisation,
    sessions,
    access,
    audit,
    store,
    collaboration,
    actions,
    concerns,
    mailer,
    programme,
    facts,
    reports,
    summaries,
    runScheduledChecks,
    socketGuard: socketGuard.stats,
    seededAccounts,
    demoRecords,
    reloadCertificate() {
      const fresh = readTls();
      if (fresh) (app.server as unknown as import('node:tls').Server).setSecureContext(fresh);
    },
    backupNow: () => backups?.runNow() ?? Promise.resolve(null),
    close() {
      closing ??= (async () => {
        if (scheduler) clearInterval(scheduler);
        backups?.stop();
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        await collaboration.close();
        await store.close?.();
        await app.close();
        audit.flush();
        mailer?.close();
        db.close();
        releaseDataDir();
      })();
      return closing;
    },
  };
}

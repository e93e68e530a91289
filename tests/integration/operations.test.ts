/**
 * Running it (issue 19): HTTPS from PEM files, renewed on SIGHUP without a restart; HSTS only over HTTPS;
 * liveness and readiness; scheduled backups, checked, logged and pruned; the dev certificate.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterEach, expect, it } from 'vitest';
import { checkBackup } from '../../sync-server/backup';
import { makeDevCertificate } from '../../sync-server/devCertificate';
import { log, onLogLine } from '../../sync-server/log';
import { startServer, type RunningServer } from '../../sync-server/server';
import { waitFor } from '../support/device';
import { makeDataDir, startServerProcess, type ServerProcess } from '../support/serverProcess';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** GET over https trusting only `ca`; the certificate the server presented, and the answer. */
function get(port: number, ca: Buffer, urlPath: string): Promise<{ status: number; hsts?: string; fingerprint: string; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', port, path: urlPath, ca, agent: false }, (res) => {
        const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, hsts: res.headers['strict-transport-security'] as string | undefined, fingerprint, body }));
      })
      .on('error', reject);
  });
}

const fingerprintOf = (file: string) => new X509Certificate(fs.readFileSync(file)).fingerprint256;

it('serves https from PEM files, sends HSTS, and takes a renewed certificate on SIGHUP without a restart', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-tls-'));
  const first = makeDevCertificate('fieldnotes.test', dir);
  const ca = fs.readFileSync(first.caCertFile);
  const live = { cert: path.join(dir, 'live.crt'), key: path.join(dir, 'live.key') };
  fs.copyFileSync(first.certFile, live.cert);
  fs.copyFileSync(first.keyFile, live.key);
  const server: ServerProcess = await startServerProcess({ env: { FIELDNOTES_STATIC_DIR: '', FIELDNOTES_TLS_CERT: live.cert, FIELDNOTES_TLS_KEY: live.key } });
  cleanup.push(() => server.stop());
  expect(server.url).toMatch(/^https:/);

  const before = await get(server.port, ca, '/api/health');
  expect(before).toMatchObject({ status: 200, hsts: 'max-age=31536000' });
  expect(before.fingerprint).toBe(fingerprintOf(first.certFile));

  // The certificate is renewed (same authority, new key) and the server told.
  const renewed = makeDevCertificate('fieldnotes.test', dir);
  expect(renewed.newAuthority).toBe(false);
  fs.copyFileSync(renewed.certFile, live.cert);
  fs.copyFileSync(renewed.keyFile, live.key);
  expect(fingerprintOf(live.cert)).not.toBe(before.fingerprint);
  process.kill(server.pid(), 'SIGHUP');
  await waitFor('the reload in the log', () => server.output().includes('SIGHUP: certificate and key read again'));
  const after = await get(server.port, ca, '/api/ready');
  expect(after.fingerprint).toBe(fingerprintOf(live.cert));
  expect(JSON.parse(after.body)).toEqual({ ok: true, database: 'ok' });

  // A renewal gone wrong (a half-copied key): the server says so and keeps serving the certificate it has.
  fs.writeFileSync(live.key, '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n');
  process.kill(server.pid(), 'SIGHUP');
  await waitFor('the failed reload in the log', () => server.output().includes('SIGHUP: could not read the certificate or key'));
  const still = await get(server.port, ca, '/api/health');
  expect(still).toMatchObject({ status: 200, fingerprint: after.fingerprint });
});

it('over plain http: no HSTS; liveness and readiness answer, and readiness fails when the database does not', async () => {
  const server: RunningServer = await startServer({ port: 0, host: '127.0.0.1', dataDir: makeDataDir(), staticDir: null, seedDemo: true, sessionDays: 1 });
  let closed = false;
  cleanup.push(() => closed || server.close());
  const health = await fetch(`${server.url}/api/health`);
  expect(health.status).toBe(200);
  expect(health.headers.get('strict-transport-security')).toBeNull();
  expect(await (await fetch(`${server.url}/api/ready`)).json()).toEqual({ ok: true, database: 'ok' });
  server.db.close(); // the database goes away under a running server
  const ready = await fetch(`${server.url}/api/ready`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({ ok: false, database: 'failing' });
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200); // still alive: a supervisor must not restart it in a loop
  closed = true;
  await server.close().catch(() => undefined);
});

it('scheduled backups are checked, logged and pruned to the newest N', async () => {
  const backupDir = makeDataDir('fieldnotes-backups-');
  const lines: string[] = [];
  cleanup.push(onLogLine((line) => lines.push(line)));
  // Tests log at warn; each backup is reported at info, as in production.
  const level = log.level;
  log.level = 'info';
  cleanup.push(() => (log.level = level));
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: makeDataDir(), staticDir: null, seedDemo: true, sessionDays: 1, backups: { dir: backupDir, everyMinutes: 60, keep: 2 } });
  cleanup.push(() => server.close());
  const taken: string[] = [];
  for (let i = 0; i < 3; i++) {
    const result = await server.backupNow();
    taken.push(result!.file);
    await new Promise((r) => setTimeout(r, 1100)); // backups are named by the second
  }
  const kept = fs.readdirSync(backupDir).sort();
  expect(kept).toEqual(taken.slice(1).map((f) => path.basename(f)));
  for (const name of kept) expect(() => checkBackup(path.join(backupDir, name))).not.toThrow();
  // Each backup is reported in the log: file, size, time, integrity; the third says which it removed.
  const reports = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'Backup taken and checked.');
  expect(reports.map((r) => r.backup)).toEqual(taken);
  for (const r of reports) expect(r).toMatchObject({ integrity: 'ok', bytes: expect.any(Number), ms: expect.any(Number) });
  expect(reports[2]!.removed).toEqual([path.basename(taken[0]!)]);
});

it('dev-certificate makes an authority and a certificate for the host that openssl verifies', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-devcert-'));
  const made = makeDevCertificate('fieldnotes.council.example', dir);
  expect(made.newAuthority).toBe(true);
  expect(fs.statSync(made.keyFile).mode & 0o077).toBe(0);
  expect(fs.statSync(made.caKeyFile).mode & 0o077).toBe(0);
  const verified = execFileSync('openssl', ['verify', '-CAfile', made.caCertFile, made.certFile]).toString();
  expect(verified).toContain(': OK');
  // Read with Node's own X.509 parser (openssl's -ext printing once came back empty on a loaded machine).
  const certificate = new X509Certificate(fs.readFileSync(made.certFile));
  expect(certificate.subjectAltName).toContain('DNS:fieldnotes.council.example');
  expect(certificate.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // extendedKeyUsage: TLS web server authentication
  expect(() => makeDevCertificate('not a host; rm -rf /', dir)).toThrow(/not a host name/);
});

/**
 * The reverse proxy alternative (issue 19): nginx, configured by deploy/nginx/fieldnotes.conf itself (only
 * its ports and certificate paths swapped), terminates TLS in front of a real server. Proves the sync
 * websocket works through it, and that the server sees the client's own address (X-Forwarded-For) and that
 * the request came over https (X-Forwarded-Proto: HSTS is sent) — because FIELDNOTES_TRUST_PROXY names nginx.
 *
 * nginx runs in the foreground (`daemon off`) as this test's child, under `timeout`, so it cannot outlive the
 * test even if the test process is killed; it listens on 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeDevCertificate } from '../../sync-server/devCertificate';
import { DEMO_PASSWORD, NodeWebSocket, openAs, waitFor } from '../support/device';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const repoRoot = path.resolve(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let server: ServerProcess;
let nginx: ChildProcess | null = null;
let nginxLog = '';
let ca: Buffer;
let httpsPort: number;
let httpPort: number;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-nginx-'));
  const certificate = makeDevCertificate('fieldnotes.test', path.join(dir, 'certificates'));
  ca = fs.readFileSync(certificate.caCertFile);
  server = await startServerProcess({ env: { FIELDNOTES_STATIC_DIR: '', FIELDNOTES_TRUST_PROXY: '127.0.0.1' } });
  httpsPort = await freePort();
  httpPort = await freePort();

  const site = fs
    .readFileSync(path.join(repoRoot, 'deploy/nginx/fieldnotes.conf'), 'utf8')
    .replace(/server 127\.0\.0\.1:8080;/, `server 127.0.0.1:${server.port};`)
    .replace(/listen 80;/, `listen 127.0.0.1:${httpPort};`)
    .replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${httpsPort} ssl http2;`)
    .replace(/ssl_certificate +\S+;/, `ssl_certificate ${certificate.certFile};`)
    .replace(/ssl_certificate_key +\S+;/, `ssl_certificate_key ${certificate.keyFile};`);
  expect(site).toContain(`127.0.0.1:${httpsPort} ssl`);
  fs.writeFileSync(path.join(dir, 'fieldnotes.conf'), site);
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off;
     master_process on;
     worker_processes 1;
     pid ${dir}/nginx.pid;
     error_log stderr warn;
     events { worker_connections 256; }
     http {
       access_log off;
       client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
       uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
       include ${dir}/fieldnotes.conf;
     }\n`,
  );
  // `timeout` ends nginx after 5 minutes whatever happens to this process.
  nginx = spawn('timeout', ['--signal=TERM', '300', NGINX, '-e', 'stderr', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  nginx.stdout!.on('data', (chunk: Buffer) => (nginxLog += chunk.toString()));
  nginx.stderr!.on('data', (chunk: Buffer) => (nginxLog += chunk.toString()));
  const exited = new Promise((resolve) => nginx!.once('exit', resolve));
  await Promise.race([
    waitFor('nginx to listen', () => new Promise<boolean>((resolve) => net.connect(httpsPort, '127.0.0.1').once('connect', function (this: net.Socket) { this.destroy(); resolve(true); }).once('error', () => resolve(false))), 10_000),
    exited.then(() => Promise.reject(new Error(`nginx exited: ${nginxLog}`))),
  ]);
}, 60_000);

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx!.once('exit', resolve));
    nginx.kill('SIGTERM');
    await exited;
  }
  await server?.stop();
});

/** A request through nginx over https, trusting only the test's authority, from 127.0.0.2 (a client that is not nginx). */
function request(method: string, urlPath: string, body?: unknown): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port: httpsPort, method, path: urlPath, ca, servername: 'fieldnotes.test', localAddress: '127.0.0.2', headers: body ? { 'Content-Type': 'application/json' } : {} },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

it('behind nginx: the server sees the client address and https, and the sync websocket works', async () => {
  const ready = await request('GET', '/api/ready');
  expect(ready.status).toBe(200);
  // X-Forwarded-Proto: https reached the server, so it sends HSTS although nginx spoke plain http to it.
  expect(ready.headers['strict-transport-security']).toBe('max-age=31536000');
  // X-Forwarded-For: the server logs the client's address (127.0.0.2), not nginx's (127.0.0.1).
  await waitFor('the request in the server log', () => server.output().includes('"route":"/api/ready"'));
  const line = server.output().split('\n').find((l) => l.includes('"route":"/api/ready"'))!;
  expect(JSON.parse(line)).toMatchObject({ ip: '127.0.0.2', status: 200 });

  const signIn = await request('POST', '/api/sign-in', { username: 'tm.okafor', password: DEMO_PASSWORD });
  expect(signIn.status).toBe(200);
  const { token } = signIn.json as { token: string };
  class TrustingTestAuthority extends NodeWebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { ca });
    }
  }
  const opened = await openAs(`https://127.0.0.1:${httpsPort}`, token, `observation/${randomUUID()}`, TrustingTestAuthority as typeof NodeWebSocket);
  try {
    expect(opened).toMatchObject({ opened: true, scope: 'read-write' });
  } finally {
    opened.close();
  }

  // Plain http on the proxy only redirects to https.
  const redirect = await new Promise<{ status?: number; location?: string }>((resolve, reject) =>
    net.connect(httpPort, '127.0.0.1', function (this: net.Socket) {
      let text = '';
      this.on('data', (c: Buffer) => (text += c.toString()));
      this.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]), location: /\r\nLocation: (\S+)/i.exec(text)?.[1] }));
      this.write(`GET /observations/new HTTP/1.1\r\nHost: fieldnotes.test\r\nConnection: close\r\n\r\n`);
    }).on('error', reject),
  );
  expect(redirect).toEqual({ status: 301, location: 'https://fieldnotes.test/observations/new' });
});

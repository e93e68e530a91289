/**
 * Issue 13, item 12: headers and storage, against a real server over plain HTTP. Security headers on the
 * app and the API, no caching of API answers, no source maps, the database readable by its owner only,
 * and the refresh token in an HttpOnly cookie that script never sees (the access token in the body only).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REFRESH_COOKIE, REFRESH_PATH } from '../../domain/auth';
import { DEMO_PASSWORD } from '../../sync-server/demo';
import { cookieOptions } from '../../sync-server/routes/session';
import { startServer, type RunningServer } from '../../sync-server/server';
import { CookieJar } from '../support/cookieJar';
import { makeDataDir } from '../support/serverProcess';

let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** A built app of our own, with a source map left beside its script, to prove the server never serves one. */
function staticDirWithSourceMap(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-static-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Fieldnotes</title><script type="module" src="/assets/app.js"></script>');
  fs.writeFileSync(path.join(dir, 'assets/app.js'), 'console.log(1);\n//# sourceMappingURL=app.js.map');
  fs.writeFileSync(path.join(dir, 'assets/app.js.map'), '{"version":3,"sources":["secret.ts"]}');
  return dir;
}

async function start(dataDir = makeDataDir(), staticDir: string | null = staticDirWithSourceMap()) {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir, staticDir, seedDemo: true, sessionDays: 30 });
  return server;
}

const signIn = (jar: CookieJar, username = 'tm.okafor') =>
  jar.fetch(`${server!.url}/api/sign-in`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });

describe('headers', () => {
  it('the app, its assets and the API carry a strict CSP and the other security headers', async () => {
    const { url } = await start();
    for (const pathname of ['/', '/observations/deep-link', '/assets/app.js', '/api/health', '/api/me']) {
      const response = await fetch(`${url}${pathname}`);
      const h = response.headers;
      const csp = h.get('content-security-policy') ?? '';
      const directives = new Map(csp.split(';').map((d) => { const [name, ...values] = d.trim().split(/\s+/); return [name!, values]; }));
      expect(directives.get('default-src'), pathname).toEqual(["'self'"]);
      expect(directives.get('script-src'), pathname).toEqual(["'self'"]);
      expect(directives.get('style-src'), pathname).toEqual(["'self'", "'unsafe-inline'"]);
      expect(directives.get('frame-ancestors'), pathname).toEqual(["'none'"]);
      expect(directives.get('object-src'), pathname).toEqual(["'none'"]);
      expect(directives.get('base-uri'), pathname).toEqual(["'none'"]);
      // The sync websocket, on this host only.
      expect(directives.get('connect-src'), pathname).toEqual(["'self'", `ws://${new URL(url).host}`, `wss://${new URL(url).host}`]);
      // Inline styles only (the editor needs them); never inline script.
      expect(csp.replace("style-src 'self' 'unsafe-inline'", ''), pathname).not.toContain('unsafe-inline');
      expect(csp, pathname).not.toContain('unsafe-eval');
      expect(h.get('x-content-type-options'), pathname).toBe('nosniff');
      expect(h.get('referrer-policy'), pathname).toBe('no-referrer');
      expect(h.get('x-frame-options'), pathname).toBe('DENY');
      expect(h.get('permissions-policy'), pathname).toMatch(/camera=\(\).*geolocation=\(\).*microphone=\(\)/);
      await response.arrayBuffer();
    }
  });

  it('a Host header that is not a host does not reach the policy', async () => {
    const { url } = await start();
    const { request } = await import('node:http');
    const csp = await new Promise<string>((resolve, reject) => {
      const req = request(`${url}/`, { headers: { Host: "evil.example; script-src 'unsafe-inline'" } }, (res) => {
        res.resume();
        resolve(String(res.headers['content-security-policy']));
      });
      req.on('error', reject);
      req.end();
    });
    expect(csp.replace("style-src 'self' 'unsafe-inline'", '')).not.toContain('unsafe-inline');
    expect(csp).not.toContain('evil');
    expect(csp.split(';').find((d) => d.startsWith('connect-src'))!.split(/\s+/).slice(1).every((v) => v === "'self'")).toBe(true);
  });

  it('every API answer with personal data or tokens says Cache-Control: no-store', async () => {
    const { url } = await start();
    const jar = new CookieJar();
    const signedIn = await signIn(jar);
    expect(signedIn.headers.get('cache-control')).toBe('no-store');
    const { token } = (await signedIn.json()) as { token: string };
    const auth = { Authorization: `Bearer ${token}` };
    const answers = [
      await fetch(`${url}/api/me`, { headers: auth }),
      await fetch(`${url}/api/directory`, { headers: auth }),
      await fetch(`${url}/api/records`, { headers: auth }),
      await fetch(`${url}/api/notifications`, { headers: auth }),
      await jar.fetch(`${url}${REFRESH_PATH}`, { method: 'POST' }),
      await fetch(`${url}/api/me`),
      await fetch(`${url}/api/no-such-thing`, { headers: auth }),
    ];
    for (const answer of answers) expect(answer.headers.get('cache-control'), answer.url).toBe('no-store');
  });

  it('no source map is served, even one left on disk', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/assets/app.js`)).status).toBe(200);
    const map = await fetch(`${url}/assets/app.js.map`);
    expect(map.status).toBe(404);
    expect(await map.text()).not.toContain('secret.ts');
    expect((await fetch(`${url}/assets/app.js.map?x=1`)).status).toBe(404);
  });

  it('the production build emits no source maps and no inline script or style (run `npm run build` first)', () => {
    const dist = path.resolve(import.meta.dirname, '../../dist');
    expect(fs.existsSync(path.join(dist, 'index.html')), 'dist/index.html is missing: run npm run build').toBe(true);
    const files = fs.readdirSync(dist, { recursive: true, encoding: 'utf8' });
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const file of files.filter((f) => f.endsWith('.js'))) expect(fs.readFileSync(path.join(dist, file), 'utf8'), file).not.toContain('sourceMappingURL');
    const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
    // Every script is a file (the service worker is registered from the bundle, not an inline snippet).
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\//);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b|\sstyle="|\son[a-z]+="/i);
  });
});

describe('storage on the server', () => {
  const mode = (file: string) => fs.statSync(file).mode & 0o777;

  it('creates the data directory 0700 and the database files 0600', async () => {
    const dataDir = path.join(makeDataDir(), 'new-data-dir');
    await start(dataDir, null);
    // Something written, so the write-ahead log and shared memory files exist.
    await signIn(new CookieJar());
    expect(mode(dataDir).toString(8)).toBe('700');
    for (const file of ['fieldnotes.sqlite', 'fieldnotes.sqlite-wal', 'fieldnotes.sqlite-shm']) {
      expect(fs.existsSync(path.join(dataDir, file)), file).toBe(true);
      expect(mode(path.join(dataDir, file)).toString(8), file).toBe('600');
    }
  });

  it('tightens a data directory and database made readable by others (an older version, a careless copy)', async () => {
    const dataDir = path.join(makeDataDir(), 'old-data-dir');
    await start(dataDir, null);
    await server!.close();
    server = null;
    fs.chmodSync(dataDir, 0o755);
    for (const file of fs.readdirSync(dataDir)) fs.chmodSync(path.join(dataDir, file), 0o644);
    await start(dataDir, null);
    await signIn(new CookieJar());
    expect(mode(dataDir).toString(8)).toBe('700');
    for (const file of fs.readdirSync(dataDir)) expect(mode(path.join(dataDir, file)).toString(8), file).toBe('600');
  });
});

describe('the refresh token', () => {
  it('is set only as an HttpOnly, SameSite=Strict cookie for /api/refresh, never in a body script can read', async () => {
    const { url } = await start(makeDataDir(), null);
    const jar = new CookieJar();
    const response = await signIn(jar);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'refreshExpiresAt', 'token', 'user']);
    const cookie = jar.get(REFRESH_COOKIE)!;
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(body)).not.toContain(cookie.value);
    expect(cookie.path).toBe(REFRESH_PATH);
    expect(cookie.attributes).toMatchObject({ httponly: true, samesite: 'Strict' });
    // Plain http (as here, on 127.0.0.1): not Secure, or the browser would drop it and the sign-in could
    // never be renewed. Over https it is Secure.
    expect(cookie.attributes.secure).toBeUndefined();
    expect(cookieOptions({ protocol: 'https' })).toMatchObject({ secure: true, httpOnly: true, sameSite: 'strict', path: REFRESH_PATH });
    // Only the refresh route receives it.
    expect(jar.header('/api/me')).toBe('');
    expect(jar.header('/api/refresh')).toBe(`${REFRESH_COOKIE}=${cookie.value}`);

    // Renewing needs the cookie, and rotates it.
    expect((await fetch(`${url}${REFRESH_PATH}`, { method: 'POST' })).status).toBe(401);
    const renewed = await jar.fetch(`${url}${REFRESH_PATH}`, { method: 'POST' });
    expect(renewed.status).toBe(200);
    const renewedBody = (await renewed.json()) as Record<string, unknown>;
    expect(renewedBody).not.toHaveProperty('refreshToken');
    expect(jar.get(REFRESH_COOKIE)!.value).not.toBe(cookie.value);
    // The old refresh token in a body, as the app used to send it, is no way in.
    const old = await fetch(`${url}${REFRESH_PATH}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken: jar.get(REFRESH_COOKIE)!.value }) });
    expect(old.status).toBe(401);
  });

  it('signing out with only the cookie (no access token: a reloaded app) ends the sign-in and removes the cookie', async () => {
    const { url } = await start(makeDataDir(), null);
    const jar = new CookieJar();
    const { token } = (await (await signIn(jar)).json()) as { token: string };
    const refreshToken = jar.get(REFRESH_COOKIE)!.value;
    const ended = await jar.fetch(`${url}${REFRESH_PATH}`, { method: 'DELETE' });
    expect(ended.status).toBe(200);
    expect(jar.get(REFRESH_COOKIE)).toBeUndefined();
    // The access token of that sign-in is refused, and the refresh token cannot be used again.
    expect(((await (await fetch(`${url}/api/me`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { error: string }).error).toBe('revoked');
    const again = await fetch(`${url}${REFRESH_PATH}`, { method: 'POST', headers: { Cookie: `${REFRESH_COOKIE}=${refreshToken}` } });
    expect(((await again.json()) as { error: string }).error).toBe('revoked');
  });
});

/**
 * (f) The server never stores over a document it could not read, never leaks it in memory, and never
 * tells a device that something is stored when storing it failed. Also: connections without a valid
 * sign-in are refused with a reason, and oversized messages are refused without harm.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryDocumentStore } from '../../sync-server/persistence/memoryStore';
import { startServer, type RunningServer } from '../../sync-server/server';
import { NodeWebSocket, TestDevice, signInAs, waitFor } from '../support/device';
import { makeDataDir } from '../support/serverProcess';

let server: RunningServer;
let store: MemoryDocumentStore;
const devices: TestDevice[] = [];

beforeEach(async () => {
  store = new MemoryDocumentStore();
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: makeDataDir(), staticDir: null, seedDemo: true, sessionDays: 1 }, { store, compactAfterMs: 100 });
});
afterEach(async () => {
  devices.splice(0).forEach((d) => d.goOffline());
  await server.close();
});

async function device(name: string) {
  const d = await TestDevice.signIn(server.url, 'tm.okafor', name);
  devices.push(d);
  return d;
}

describe('a document whose load fails', () => {
  it('(f) is refused, never overwritten or compacted, not kept in memory, and syncs once it can be read', async () => {
    const first = await device('first-tablet');
    const id = await first.createObservation({ strengths: 'The original words.' });
    await first.goOnline();
    await first.waitUntilAllSent();
    first.goOffline();
    const name = `observation/${id}`;
    await waitFor('the document to leave memory', () => server.collaboration.openDocumentCount() === 0);
    const original = await store.load(name);
    const writesBefore = store.writes.length;

    // The stored copy cannot be read; a device with new edits tries to sync.
    store.failLoads.add(name);
    await first.edit(id, { reflections: 'Written while the store was failing.' });
    await first.goOnline();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await first.unsentCount()).toBe(1); // never reported as sent
    expect(store.writes.slice(writesBefore).filter((w) => w.doc === name)).toEqual([]);
    expect(server.collaboration.hocuspocus.documents.has(name)).toBe(false);
    expect(server.collaboration.hocuspocus.loadingDocuments.size).toBe(0);

    store.failLoads.delete(name);
    expect(await store.load(name)).toEqual(original);
    first.manager!.syncNow();
    await first.waitUntilAllSent();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await store.load(name))!);
    expect(doc.getText('strengths').toString()).toBe('The original words.');
    expect(doc.getText('reflections').toString()).toBe('Written while the store was failing.');
  }, 60_000);
});

describe('an update whose append fails', () => {
  it('is never acknowledged as stored; the document is closed and the device sends again later', async () => {
    const tablet = await device('tablet');
    const id = await tablet.createObservation({ childId: 'MOS1' });
    const name = `observation/${id}`;
    store.failAppends.add(name);
    await tablet.goOnline();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await tablet.unsentCount()).toBe(1);
    expect(await store.load(name)).toBeNull();

    store.failAppends.delete(name);
    await waitFor('the broken document to leave memory', () => !server.collaboration.hocuspocus.documents.has(name));
    tablet.manager!.syncNow();
    await tablet.waitUntilAllSent();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await store.load(name))!);
    expect(doc.getMap('fields').get('childId')).toBe('MOS1');
  }, 60_000);
});

/** A plain Hocuspocus provider on its own websocket, as any client could open one. */
const plainSocket = () => new HocuspocusProviderWebsocket({ url: server.url.replace('http', 'ws') + '/sync', WebSocketPolyfill: NodeWebSocket });

describe('connections', () => {
  async function connectWith(token: string, name = 'observation/3f2c1b7e-1d2a-4c3b-9a8e-0f1e2d3c4b5a') {
    return new Promise<{ authenticated: boolean; reason?: string }>((resolve) => {
      const websocketProvider = plainSocket();
      const provider = new HocuspocusProvider({
        websocketProvider,
        name,
        token,
        onAuthenticated: () => {
          provider.destroy();
          websocketProvider.destroy();
          resolve({ authenticated: true });
        },
        onAuthenticationFailed: ({ reason }) => {
          provider.destroy();
          websocketProvider.destroy();
          resolve({ authenticated: false, reason });
        },
      });
      provider.attach();
    });
  }

  it('are refused without a valid sign-in, with the reason', async () => {
    expect(await connectWith('')).toEqual({ authenticated: false, reason: 'unauthenticated: Sign in to continue.' });
    expect(await connectWith('forged-token')).toEqual({ authenticated: false, reason: 'unauthenticated: Your sign-in is not recognised. Please sign in again.' });
    const { token } = await signInAs(server.url, 'tm.okafor');
    server.db.prepare("UPDATE session_tokens SET expires_at = '2000-01-01T00:00:00.000Z' WHERE kind = 'access'").run();
    expect(await connectWith(token)).toEqual({ authenticated: false, reason: 'unauthenticated: Your sign-in has expired. Please sign in again.' });
  });

  it('refuse a name that is not a record, and another person’s inbox', async () => {
    const { token } = await signInAs(server.url, 'tm.okafor');
    expect((await connectWith(token, 'shopping/list')).reason).toMatch(/^forbidden: .*not the name of a record/);
    expect((await connectWith(token, 'inbox/someone-else')).reason).toBe('forbidden: This is not your inbox.');
    expect(await connectWith(token)).toEqual({ authenticated: true });
  });

  it('close a connection that sends a message over the size limit, and store nothing from it', async () => {
    const { token } = await signInAs(server.url, 'tm.okafor');
    const doc = new Y.Doc();
    const websocketProvider = plainSocket();
    const provider = new HocuspocusProvider({ websocketProvider, name: 'observation/3f2c1b7e-1d2a-4c3b-9a8e-0f1e2d3c4b5b', token, document: doc });
    provider.attach();
    await waitFor('synced', () => provider.isSynced);
    const closed = new Promise<void>((resolve) => provider.on('close', () => resolve()));
    doc.getText('strengths').insert(0, 'x'.repeat(3 * 1024 * 1024));
    await closed;
    provider.destroy();
    websocketProvider.destroy();
    expect(await store.load('observation/3f2c1b7e-1d2a-4c3b-9a8e-0f1e2d3c4b5b')).toBeNull();
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });
});

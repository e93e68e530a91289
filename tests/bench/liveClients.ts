/**
 * A client process of the live co-editing benchmark (live.ts): holds the clients of the documents it is
 * given, each a HocuspocusProvider on a websocket of its own (a device), all writing to one Y.Text.
 *
 * Every client of a document lives in the same process, so an edit's send time and its arrival at the
 * other clients are read from one clock. An edit is a short string carrying who made it, its number and
 * when (performance.now()); each other client notes when it arrives (observing its Y.Text: the arrival is
 * when the update has been applied, as an editor on screen would see it).
 *
 * IPC: receives { setup }, answers { ready } once every client has synced; receives { start }, makes edits
 * for durationMs at `perSecond` each (start times spread so the clients do not write in lockstep), waits
 * for the stragglers, answers { done } with every latency measured.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';

export interface LiveClientsSetup {
  url: string;
  docs: { name: string; tokens: string[] }[];
  perSecond: number;
  durationMs: number;
}

export interface LiveClientsResult {
  /** Milliseconds from an edit to its arrival, one per (edit, other client). */
  latencies: number[];
  edits: number;
  /** Arrivals expected but not seen by the end (edits lost or later than the grace period). */
  missing: number;
  errors: string[];
}

/** Node's `ws`, with an error listener (a socket closed while connecting would otherwise throw). */
class NodeWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on('error', () => undefined);
  }
}

const TEXT = 'notes';
const GRACE_MS = 3000;

interface Client {
  id: number;
  doc: Y.Doc;
  socket: HocuspocusProviderWebsocket;
  provider: HocuspocusProvider;
}

const latencies: number[] = [];
const errors: string[] = [];
let edits = 0;
let clients: Client[] = [];
let others = 0;

function connect(url: string, name: string, token: string, id: number): Promise<Client> {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: NodeWebSocket });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not synced in 30 s`)), 30_000);
    const provider = new HocuspocusProvider({
      websocketProvider: socket,
      name,
      document: doc,
      token,
      onSynced: () => {
        clearTimeout(timer);
        resolve(client);
      },
      onAuthenticationFailed: ({ reason }) => reject(new Error(`${name}: refused (${reason})`)),
      onClose: ({ event }) => {
        if (event.code !== 1000) errors.push(`${name}: closed ${event.code} ${event.reason}`);
      },
    });
    const client: Client = { id, doc, socket, provider };
    provider.attach();
    doc.getText(TEXT).observe((event, transaction) => {
      if (transaction.local) return;
      const now = performance.now();
      for (const op of event.delta) {
        if (typeof op.insert !== 'string') continue;
        for (const edit of op.insert.split(';')) {
          const [, , at] = edit.split(':');
          if (at) latencies.push(now - Number(at));
        }
      }
    });
  });
}

async function setup(options: LiveClientsSetup) {
  let id = 0;
  const connecting: Promise<Client>[] = [];
  for (const doc of options.docs) for (const token of doc.tokens) connecting.push(connect(options.url, doc.name, token, id++));
  clients = await Promise.all(connecting);
  // Each client's edit is expected at every other client of its document.
  others = options.docs.reduce((n, d) => n + d.tokens.length * (d.tokens.length - 1), 0) / Math.max(1, clients.length);
}

async function run(options: LiveClientsSetup): Promise<LiveClientsResult> {
  const interval = 1000 / options.perSecond;
  const started = performance.now();
  const timers: ReturnType<typeof setTimeout>[] = [];
  await new Promise<void>((resolve) => {
    let finished = 0;
    for (const client of clients) {
      let seq = 0;
      const text = client.doc.getText(TEXT);
      const tick = () => {
        if (performance.now() - started >= options.durationMs) {
          if (++finished === clients.length) resolve();
          return;
        }
        text.insert(text.length, `${client.id}:${seq++}:${performance.now().toFixed(3)};`);
        edits++;
        timers.push(setTimeout(tick, interval));
      };
      timers.push(setTimeout(tick, Math.random() * interval));
    }
  });
  const expected = () => Math.round(edits * others);
  const deadline = performance.now() + GRACE_MS;
  while (latencies.length < expected() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return { latencies, edits, missing: Math.max(0, expected() - latencies.length), errors };
}

process.on('message', (message: { setup?: LiveClientsSetup; start?: true; close?: true }) => {
  if (message.setup) {
    const options = message.setup;
    setup(options).then(
      () => process.send!({ ready: true }),
      (error: Error) => process.send!({ failed: error.message }),
    );
    process.on('message', (next: { start?: true }) => {
      if (next.start) void run(options).then((result) => process.send!({ done: result }));
    });
  } else if (message.close) {
    for (const client of clients) {
      client.provider.destroy();
      client.socket.destroy();
    }
    setTimeout(() => process.exit(0), 200);
  }
});

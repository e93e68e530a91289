/**
 * The socket guard on its own, with a stand-in socket: what it lets through to Hocuspocus, what it drops,
 * and when it closes the socket. (tests/security runs it against a real server.)
 */
import { OutgoingMessage } from '@hocuspocus/server';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { frames } from '../../tests/security/rawSync';
import { createSocketGuard, defaultSocketLimits, GuardCloseCodes, type SocketLimits } from './socketGuard';

class FakeSocket extends EventEmitter {
  sent: Uint8Array[] = [];
  closedWith: number | null = null;
  paused = false;
  send(data: Uint8Array) {
    this.sent.push(data);
  }
  close(code: number) {
    this.closedWith = code;
    this.emit('close', code, Buffer.from(''));
  }
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
}

function guarded(limits: Partial<SocketLimits> = {}) {
  const { guard, stats } = createSocketGuard({ ...defaultSocketLimits, ...limits }, () => undefined);
  const socket = new FakeSocket();
  guard(socket as unknown as WebSocket);
  /** What Hocuspocus (listening for 'message') receives. */
  const delivered: Uint8Array[] = [];
  socket.on('message', (data: Uint8Array) => delivered.push(data));
  const receive = (frame: Uint8Array) => socket.emit('message', Buffer.from(frame));
  /** The server answering a document (through the socket's send, as Hocuspocus does). */
  const answer = (doc: string, how: 'authenticated' | 'refused' | 'closed') => {
    const message = new OutgoingMessage(doc);
    if (how === 'authenticated') message.writeAuthenticated(false);
    else if (how === 'refused') message.writePermissionDenied('forbidden');
    else message.writeCloseMessage('closed');
    (socket as unknown as WebSocket).send(message.toUint8Array());
  };
  return { socket, stats, delivered, receive, answer };
}

const big = (bytes: number) => new Uint8Array(bytes).fill(3);

describe('the socket guard', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('drops frames for a document that has not sent its Auth, and never counts them as held', () => {
    const { receive, delivered, stats } = guarded();
    receive(frames.update('observation/a', big(1000)));
    expect(delivered).toHaveLength(0);
    expect(stats.pendingBytes).toBe(0);
    expect(stats.droppedFrames).toBe(1);
  });

  it('lets a document’s frames through while it waits for its answer, up to the limit, then closes the socket', () => {
    const { receive, delivered, socket, stats } = guarded({ maxPendingBytes: 3000 });
    receive(frames.auth('observation/a', 'token'));
    receive(frames.update('observation/a', big(1000)));
    receive(frames.update('observation/a', big(1000)));
    expect(delivered).toHaveLength(3);
    expect(stats.pendingBytes).toBeGreaterThan(2000);
    receive(frames.update('observation/a', big(1000)));
    expect(socket.closedWith).toBe(GuardCloseCodes.tooMuchBeforeAuthentication);
    // Closing releases what the socket held.
    expect(stats.pendingBytes).toBe(0);
  });

  it('counts nothing twice when Hocuspocus replays the frames it queued, and releases them once the document is open', () => {
    const { receive, delivered, socket, stats, answer } = guarded();
    receive(frames.auth('observation/a', 'token'));
    receive(frames.update('observation/a', big(500)));
    const held = stats.pendingBytes;
    socket.emit('message', delivered[1]); // Hocuspocus re-emits a queued frame
    expect(stats.pendingBytes).toBe(held);
    expect(delivered).toHaveLength(3);
    answer('observation/a', 'authenticated');
    expect(stats.pendingBytes).toBe(0);
    receive(frames.update('observation/a', big(10_000)));
    expect(delivered).toHaveLength(4);
  });

  it('drops every frame for a refused document', () => {
    const { receive, delivered, answer, stats } = guarded();
    receive(frames.auth('observation/a', 'token'));
    answer('observation/a', 'refused');
    receive(frames.update('observation/a', big(100)));
    receive(frames.auth('observation/a', 'token'));
    expect(delivered).toHaveLength(1);
    expect(stats.droppedFrames).toBe(2);
  });

  it('drops broadcasts and message types only the server sends', () => {
    const { receive, delivered, answer } = guarded();
    receive(frames.auth('observation/a', 'token'));
    answer('observation/a', 'authenticated');
    receive(frames.broadcast('observation/a', '{"type":"stored"}'));
    receive(new Uint8Array([...frames.queryAwareness('observation/a').slice(0, -1), 8]));
    expect(delivered).toHaveLength(1);
  });

  it('closes the socket on a frame it cannot read', () => {
    const { receive, socket } = guarded();
    receive(new Uint8Array([200, 200, 200]));
    expect(socket.closedWith).toBe(GuardCloseCodes.unreadable);
  });

  it('answers "too many documents" past the limit, and opens more once one is closed', () => {
    const { receive, socket, answer, delivered } = guarded({ maxDocuments: 2 });
    for (const doc of ['observation/a', 'observation/b']) {
      receive(frames.auth(doc, 'token'));
      answer(doc, 'authenticated');
    }
    socket.sent = [];
    receive(frames.auth('observation/c', 'token'));
    expect(delivered).toHaveLength(2);
    expect(Buffer.from(socket.sent[0]!).toString('latin1')).toContain('too-many-documents');
    answer('observation/a', 'closed');
    receive(frames.auth('observation/d', 'token'));
    expect(delivered).toHaveLength(3);
  });

  it('closes a socket whose document waits too long for its authentication', () => {
    const { receive, socket } = guarded({ authTimeoutMs: 1000 });
    receive(frames.auth('observation/a', 'token'));
    vi.advanceTimersByTime(1500);
    expect(socket.closedWith).toBe(GuardCloseCodes.authenticationTimeout);
  });

  it('pauses a socket that sends faster than the sustained rate, and resumes it once the rate allows', () => {
    const { receive, socket, answer } = guarded({ bytesPerSecond: 10_000, burstBytes: 10_000 });
    receive(frames.auth('observation/a', 'token'));
    answer('observation/a', 'authenticated');
    receive(frames.update('observation/a', big(15_000)));
    expect(socket.paused).toBe(true);
    vi.advanceTimersByTime(600);
    expect(socket.paused).toBe(false);
  });
});

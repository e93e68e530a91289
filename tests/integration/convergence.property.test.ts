/**
 * (e) Property: whatever the interleaving of edits, disconnections and server restarts across three
 * devices, they all converge to the same record, nothing anyone wrote is lost, and nothing a device
 * had counted as sent is missing from the server after a restart. Edits made while the record is not on
 * screen travel on the bulk path (issue 20); the record is also fetched live, so both paths interleave.
 */
import fc from 'fast-check';
import * as Y from 'yjs';
import { expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../sync-server/server';
import { TestDevice, waitFor } from '../support/device';
import { makeDataDir } from '../support/serverProcess';
import { openRecord } from '../../src/data/docs/openRecord';

const fields = ['strengths', 'reflections', 'otherComments'] as const;
type Command =
  | { type: 'edit'; device: number; field: (typeof fields)[number]; atStart: boolean }
  | { type: 'offline'; device: number }
  | { type: 'online'; device: number }
  | { type: 'restart' }
  | { type: 'pause'; ms: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ type: fc.constant('edit' as const), device: fc.nat(2), field: fc.constantFrom(...fields), atStart: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('offline' as const), device: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('online' as const), device: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.constant({ type: 'restart' as const }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 400 }) }) },
);

async function storedText(server: RunningServer, name: string): Promise<string> {
  const doc = new Y.Doc();
  const state = await server.store.load(name);
  if (state) Y.applyUpdate(doc, state);
  return fields.map((f) => doc.getText(f).toString()).join('|');
}

it('(e) random edits, disconnections and restarts across three devices: all converge, nothing sent is lost', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(command, { minLength: 4, maxLength: 18 }), async (commands) => {
      const config = { port: 0, host: '127.0.0.1', dataDir: makeDataDir(), staticDir: null, seedDemo: true, sessionDays: 1 };
      let server = await startServer(config);
      const port = server.port;
      const devices = await Promise.all(['tm.okafor', 'sw.ahmed', 'sw.brown'].map((u, i) => TestDevice.signIn(server.url, u, `d${i}`)));
      const id = await devices[0]!.createObservation({ childId: 'MOS1' });
      const name = `observation/${id}`;
      for (const d of devices) await d.goOnline();
      await devices[0]!.waitUntilAllSent();
      for (const d of devices.slice(1)) await devices[0]!.share(id, d.user);
      for (const d of devices.slice(1)) await waitFor('the record on every device', () => d.manager!.fetchRecord('observation', id));

      const written: string[] = [];
      /** Tokens each device had written by the last time it counted everything as sent. */
      const sentTokens = new Set<string>();
      const writtenBy: string[][] = [[], [], []];
      let serverUp = true;
      try {
        for (const [step, c] of commands.entries()) {
          if (c.type === 'edit') {
            const device = devices[c.device]!;
            const handle = (await openRecord(device.storeId, 'observation', id, device.user))!;
            const token = `[d${c.device}s${step}]`;
            const current = handle.values()[c.field] ?? '';
            handle.setField(c.field, c.atStart ? token + current : current + token);
            handle.release();
            written.push(token);
            writtenBy[c.device]!.push(token);
          } else if (c.type === 'offline') devices[c.device]!.goOffline();
          else if (c.type === 'online' && serverUp) await devices[c.device]!.goOnline();
          else if (c.type === 'restart') {
            await server.close();
            // Everything a device had counted as sent must still be there after the restart.
            server = await startServer({ ...config, port });
            const stored = await storedText(server, name);
            for (const token of sentTokens) expect(stored).toContain(token);
          } else if (c.type === 'pause') await new Promise((r) => setTimeout(r, c.ms));
          for (const [i, d] of devices.entries()) if ((await d.unsentCount()) === 0) writtenBy[i]!.forEach((t) => sentTokens.add(t));
        }
        serverUp = true;
        for (const d of devices) await d.goOnline();
        for (const d of devices) await d.waitUntilAllSent(30_000);
        const final = await storedText(server, name);
        for (const token of written) expect(final).toContain(token);
        // The bulk path carried changes of this record (at least its creation, made offline).
        server.audit.flush();
        expect((server.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'change' AND detail = 'bulk' AND doc = ?").get(name) as { n: number }).n).toBeGreaterThan(0);
        for (const d of devices) {
          await waitFor('convergence', async () => {
            const record = await d.read(id);
            return fields.map((f) => record.values[f]).join('|') === final;
          }).catch(async (error: Error) => {
            const record = await d.read(id);
            throw new Error(`${error.message}: ${d.name} has "${fields.map((f) => record.values[f]).join('|')}", server has "${final}"`);
          });
        }
      } finally {
        devices.forEach((d) => d.goOffline());
        await server.close();
      }
    }),
    { numRuns: Number(process.env.PROPERTY_RUNS ?? 6), endOnFailure: true },
  );
}, 600_000);

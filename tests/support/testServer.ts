/**
 * A fresh real server on port 0 (its own SQLite database, the demo organisation) for each test of a file,
 * and devices signed in to it, all taken down after each test.
 */
import { afterEach, beforeEach } from 'vitest';
import { startServer, type RunningServer, type ServerOverrides } from '../../sync-server/server';
import { TestDevice } from './device';
import { makeDataDir } from './serverProcess';

export function useTestServer(overrides: () => ServerOverrides = () => ({})) {
  let server: RunningServer | null = null;
  const devices: TestDevice[] = [];
  beforeEach(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', dataDir: makeDataDir(), staticDir: null, seedDemo: true, sessionDays: 1 }, overrides());
  });
  afterEach(async () => {
    devices.splice(0).forEach((d) => d.goOffline());
    await server?.close();
  });
  return {
    server: () => server!,
    /** A device signed in as this demo person, taken offline after the test. */
    async device(username: string, name = `${username}-device`, syncOptions: Parameters<typeof TestDevice.signIn>[3] = {}) {
      const d = await TestDevice.signIn(server!.url, username, name, syncOptions);
      devices.push(d);
      return d;
    },
  };
}

// Node tests that run the app's data layer (devices in integration and fault tests) need IndexedDB
// before Dexie loads: fake-indexeddb provides it in memory.
import 'fake-indexeddb/auto';

// Servers started inside a test process log only warnings and errors (each test file starts several); a
// server run as a child process (serverProcess.ts) logs at info, as in production.
process.env.FIELDNOTES_LOG_LEVEL ??= 'warn';

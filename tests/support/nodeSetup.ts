// Node tests that run the app's data layer (devices in integration and fault tests) need IndexedDB
// before Dexie loads: fake-indexeddb provides it in memory.
import 'fake-indexeddb/auto';

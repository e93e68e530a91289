// Component tests run in jsdom with an in-memory IndexedDB, so Dexie and y-indexeddb behave as in a browser.
import 'fake-indexeddb/auto';
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

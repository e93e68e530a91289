// Component tests run in jsdom with an in-memory IndexedDB, so Dexie and y-indexeddb behave as in a browser.
import 'fake-indexeddb/auto';
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

// A review mounts fifteen narrative editors (CodeMirror), whose DOM makes jsdom's role and label queries
// slower: on a busy two-core machine a findBy… can pass one second without anything being wrong. They wait
// up to five seconds instead (an expectation that is never met still fails, five seconds later).
configure({ asyncUtilTimeout: 5_000 });

// jsdom lays nothing out: CodeMirror (the narrative editor) measures text ranges, which jsdom lacks.
// Empty rectangles are what a layout with no size would give.
const noRects = function (this: Range) {
  return Object.assign([], { item: () => null }) as unknown as DOMRectList;
};
const noRect = () => new DOMRect(0, 0, 0, 0);
if (typeof Range !== 'undefined' && !Range.prototype.getClientRects) {
  Range.prototype.getClientRects = noRects;
  Range.prototype.getBoundingClientRect = noRect;
}

/**
 * A narrative field as a CodeMirror 6 editor bound to the record's Y.Text by y-codemirror.next, with what
 * co-writing a review needs on top of the binding:
 *
 *  - the local caret and selection are kept as Yjs relative positions and put back from them after every
 *    remote change, so nobody else's typing ever moves them. A caret is tied to the character on its left
 *    (assoc -1): text someone else types at the same spot goes after it, so the next letter typed here
 *    lands straight after this person's own last letter and each person's run stays in one piece;
 *  - other people's carets and selections, drawn in their colour with their name (from presence);
 *  - undo and redo of this person's own typing only: a Y.UndoManager that tracks the binding's origin alone;
 *  - a maximum length, refused before it reaches the document, with a message beside the field.
 *
 * Plain-text Y.Text stays the field's type, so every reader (`readValues`, who wrote what, the server)
 * reads it as before. Pure editor code, no React: tested with three documents in editorBinding.test.ts.
 */
import { EditorSelection, EditorState, StateEffect, type Extension, type SelectionRange } from '@codemirror/state';
import { EditorView, keymap, layer, RectangleMarker, ViewPlugin, type LayerMarker, type ViewUpdate } from '@codemirror/view';
import { yCollab, ySyncAnnotation, ySyncFacet, yUndoManagerKeymap } from 'y-codemirror.next';
import * as Y from 'yjs';
import type { PresenceCursor, PresenceState } from '../sync/syncManager';

export interface NarrativeBindingOptions {
  text: Y.Text;
  /** The field's name: a caret is drawn only for people whose cursor is in this field. */
  field: string;
  maxChars: number;
  /** Called when an edit made here would take the field over `maxChars` (it is refused). */
  onTooLong?(wouldBe: number): void;
  /** Called before each edit made here reaches the document (notes whom this copy writes for). */
  beforeLocalEdit?(): void;
  /** This person's caret moved (null: it left the field), as relative positions for presence. */
  onCursor?(cursor: PresenceCursor | null): void;
}

export interface NarrativeBinding {
  extension: Extension;
  undoManager: Y.UndoManager;
  /** The origin y-codemirror.next writes this editor's typing with (known once the view exists). */
  origin(view: EditorView): object;
  /** Draws other people's carets: give it everyone else's presence whenever it changes. */
  showOthers(view: EditorView, others: PresenceState[]): void;
  destroy(): void;
}

/** Other people's presence, handed to the caret drawing. */
const othersChanged = StateEffect.define<PresenceState[]>();

interface Anchored {
  anchor: Y.RelativePosition;
  head: Y.RelativePosition;
}

/**
 * A selection range as relative positions. A caret sticks to the character before it (assoc -1). A range
 * keeps its ends inside: its start sticks to the character after it, its end to the character before it,
 * so text others type at either edge stays outside the selection.
 */
function toRelative(text: Y.Text, range: SelectionRange): Anchored {
  if (range.empty) {
    const at = Y.createRelativePositionFromTypeIndex(text, range.head, -1);
    return { anchor: at, head: at };
  }
  const startAssoc = 0;
  const endAssoc = -1;
  const anchorIsStart = range.anchor < range.head;
  return {
    anchor: Y.createRelativePositionFromTypeIndex(text, range.anchor, anchorIsStart ? startAssoc : endAssoc),
    head: Y.createRelativePositionFromTypeIndex(text, range.head, anchorIsStart ? endAssoc : startAssoc),
  };
}

function fromRelative(text: Y.Text, anchored: Anchored, length: number): { anchor: number; head: number } | null {
  const doc = text.doc;
  if (!doc) return null;
  const anchor = Y.createAbsolutePositionFromRelativePosition(anchored.anchor, doc);
  const head = Y.createAbsolutePositionFromRelativePosition(anchored.head, doc);
  if (!anchor || !head || anchor.type !== text || head.type !== text) return null;
  return { anchor: Math.min(anchor.index, length), head: Math.min(head.index, length) };
}

/**
 * Another person's caret or selection, drawn on a layer over the text (as CodeMirror draws its own
 * selection), not inside it: their name never becomes part of the field's words (copying, the text a
 * screen reader reads — which hears who is where from the presence bar), and arrow keys never stop at it.
 */
class Painted implements LayerMarker {
  constructor(
    readonly inner: RectangleMarker,
    readonly name: string,
    readonly colour: string,
    readonly caret: boolean,
  ) {}
  eq(other: LayerMarker): boolean {
    return other instanceof Painted && other.name === this.name && other.colour === this.colour && other.caret === this.caret && this.inner.eq(other.inner);
  }
  draw(): HTMLElement {
    return this.paint(this.inner.draw());
  }
  update(dom: HTMLElement, previous: LayerMarker): boolean {
    if (!(previous instanceof Painted) || previous.caret !== this.caret || !this.inner.update(dom, previous.inner)) return false;
    this.paint(dom);
    return true;
  }
  private paint(dom: HTMLElement): HTMLElement {
    dom.setAttribute('aria-hidden', 'true');
    dom.style.setProperty('--caret-colour', this.colour);
    // The name is drawn by CSS from data-name, above the caret.
    if (this.caret) dom.dataset.name = this.name;
    else dom.style.backgroundColor = `${this.colour}33`;
    return dom;
  }
}

export function narrativeBinding(options: NarrativeBindingOptions): NarrativeBinding {
  const { text, field, maxChars } = options;
  // Only this editor's own typing is undone (the binding adds its origin); never anyone else's, nor
  // changes this device makes another way. Typing within half a second is one undo step.
  const undoManager = new Y.UndoManager(text, { trackedOrigins: new Set(), captureTimeout: 500 });
  let anchored: Anchored | null = null;
  let view: EditorView | null = null;

  const isRemote = (update: ViewUpdate) => update.transactions.some((tr) => tr.annotation(ySyncAnnotation) !== undefined);

  // Remembers the local selection as relative positions after each change made here (placed after the
  // binding, so the typing is in the Y.Text by then), and tells presence where the caret is.
  const selectionKeeper = ViewPlugin.define((v) => {
    view = v;
    anchored = toRelative(text, v.state.selection.main);
    return {
      update(update: ViewUpdate) {
        if (!isRemote(update) && (update.selectionSet || update.docChanged)) anchored = toRelative(text, update.state.selection.main);
        if (!options.onCursor) return;
        if (update.view.hasFocus && (update.selectionSet || update.docChanged || update.focusChanged)) {
          const mine = toRelative(text, update.state.selection.main);
          options.onCursor({ field, anchor: Y.relativePositionToJSON(mine.anchor), head: Y.relativePositionToJSON(mine.head) });
        } else if (update.focusChanged && !update.view.hasFocus) {
          options.onCursor(null);
        }
      },
      destroy() {
        view = null;
      },
    };
  });

  // After a remote change, the selection comes back from its relative positions rather than from
  // CodeMirror's own mapping, so where this person's caret is never depends on how a change was sent.
  // Not while an IME composition is under way: CodeMirror keeps the composition's own range then.
  const keepSelectionAnchored = EditorState.transactionFilter.of((tr) => {
    if (!tr.docChanged || tr.annotation(ySyncAnnotation) === undefined || !anchored || view?.composing) return tr;
    const at = fromRelative(text, anchored, tr.newDoc.length);
    if (!at) return tr;
    return [tr, { selection: EditorSelection.single(at.anchor, at.head), sequential: true }];
  });

  // The limit, checked before an edit made here reaches the document: refused whole (a paste is not cut
  // short in the middle of a sentence), and said beside the field. Remote changes are never refused.
  const limit = EditorState.changeFilter.of((tr) => {
    if (tr.annotation(ySyncAnnotation) !== undefined) return true;
    const after = tr.newDoc.length;
    if (after <= maxChars || after <= tr.startState.doc.length) return true;
    options.onTooLong?.(after);
    return false;
  });

  const noteLocalEdit = ViewPlugin.define(() => ({
    update(update: ViewUpdate) {
      if (update.docChanged && !isRemote(update)) options.beforeLocalEdit?.();
    },
  }));

  // Everyone else's caret and selection in this field, from their presence.
  let others: PresenceState[] = [];
  const remoteCarets = layer({
    above: true,
    class: 'remote-carets',
    update(update) {
      let changed = false;
      for (const tr of update.transactions)
        for (const e of tr.effects)
          if (e.is(othersChanged)) {
            others = e.value;
            changed = true;
          }
      return changed || update.docChanged || update.geometryChanged || update.viewportChanged;
    },
    markers(v) {
      const markers: LayerMarker[] = [];
      const length = v.state.doc.length;
      for (const person of others) {
        const cursor = person.cursor;
        if (!cursor || cursor.field !== field) continue;
        let at: { anchor: number; head: number } | null = null;
        try {
          at = fromRelative(text, { anchor: Y.createRelativePositionFromJSON(cursor.anchor), head: Y.createRelativePositionFromJSON(cursor.head) }, length);
        } catch {
          // A malformed position from another device draws no caret; nothing else depends on it.
        }
        if (!at) continue;
        const colour = /^#[0-9a-f]{6}$/i.test(person.colour ?? '') ? person.colour! : '#0b57d0';
        const from = Math.min(at.anchor, at.head);
        const to = Math.max(at.anchor, at.head);
        if (from < to) for (const m of RectangleMarker.forRange(v, 'remote-selection', EditorSelection.range(from, to))) markers.push(new Painted(m, person.name, colour, false));
        for (const m of RectangleMarker.forRange(v, 'remote-caret', EditorSelection.cursor(at.head))) markers.push(new Painted(m, person.name, colour, true));
      }
      return markers;
    },
  });

  /**
   * Moving the caret (a tap, the arrow keys) without typing starts a new undo step, as in any word
   * processor: words typed here and words typed elsewhere a moment later are undone one place at a time,
   * not merged because they came within the UndoManager's half-second.
   */
  const newUndoStepOnMove = EditorView.updateListener.of((update) => {
    if (update.selectionSet && !update.docChanged && !update.transactions.some((tr) => tr.annotation(ySyncAnnotation))) undoManager.stopCapturing();
  });

  let shownOthers = '';
  return {
    extension: [
      noteLocalEdit,
      newUndoStepOnMove,
      limit,
      keymap.of(yUndoManagerKeymap),
      yCollab(text, null, { undoManager }),
      selectionKeeper,
      keepSelectionAnchored,
      remoteCarets,
    ],
    undoManager,
    origin: (v) => v.state.facet(ySyncFacet),
    showOthers(v, next) {
      const key = JSON.stringify(next.map((p) => [p.name, p.colour, p.cursor]));
      if (key === shownOthers) return;
      shownOthers = key;
      // Presence can change while this editor is updating (its own caret is being published): draw after.
      queueMicrotask(() => {
        if (view === v) v.dispatch({ effects: othersChanged.of(next) });
      });
    },
    destroy() {
      undoManager.destroy();
    },
  };
}

/**
 * The editor of one narrative field of an open record (see narrativeBinding.ts for what it does). Lives in
 * src/data because it binds to the record's Y.Text; screens give it the record's handle and the field's
 * name and never see Yjs. Loaded with the forms' chunk, never at start-up.
 */
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef, useState } from 'react';
import { MAX_NARRATIVE_CHARS } from '../../../domain/limits';
import { narrativeAccess, type RecordHandle } from '../docs/openRecord';
import type { Presence } from '../sync/SyncContext';
import { narrativeBinding, type NarrativeBinding } from './narrativeBinding';

export interface NarrativeEditorProps {
  handle: RecordHandle;
  field: string;
  readOnly: boolean;
  /** The visible label's id, the hint's and error's ids, and whether the field has a problem. */
  labelId: string;
  describedBy?: string | undefined;
  invalid: boolean;
  presence?: Presence | undefined;
  /** An edit here would have taken the field over the limit (and was refused), or null once one fits. */
  onTooLong(wouldBe: number | null): void;
  maxChars?: number;
}

/** Attributes of the editable element: a labelled, multi-line text box that spell-checks and autocorrects. */
function contentAttributes({ field, labelId, describedBy, invalid, readOnly }: Pick<NarrativeEditorProps, 'field' | 'labelId' | 'describedBy' | 'invalid' | 'readOnly'>) {
  const attributes: Record<string, string> = {
    role: 'textbox',
    'aria-multiline': 'true',
    'aria-labelledby': labelId,
    'data-field': field,
    spellcheck: 'true',
    autocorrect: 'on',
    autocapitalize: 'sentences',
  };
  if (describedBy) attributes['aria-describedby'] = describedBy;
  if (invalid) attributes['aria-invalid'] = 'true';
  if (readOnly) attributes['aria-readonly'] = 'true';
  return attributes;
}

export function NarrativeEditor(props: NarrativeEditorProps) {
  const { handle, field, readOnly, labelId, describedBy, invalid, presence, maxChars = MAX_NARRATIVE_CHARS } = props;
  const parent = useRef<HTMLDivElement>(null);
  const [editor, setEditor] = useState<{ view: EditorView; binding: NarrativeBinding; config: Compartment } | null>(null);
  const [canUndo, setCanUndo] = useState(false);
  const [canRedo, setCanRedo] = useState(false);
  // The latest props for callbacks made from inside the editor, which is built once per field.
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const access = narrativeAccess(handle);
    const text = access.text(field);
    const binding = narrativeBinding({
      text,
      field,
      maxChars,
      onTooLong: (wouldBe) => latest.current.onTooLong(wouldBe),
      beforeLocalEdit: () => {
        access.noteWriter();
        latest.current.onTooLong(null);
      },
      onCursor: (cursor) => latest.current.presence?.setCursor(field, cursor),
    });
    const config = new Compartment();
    const view = new EditorView({
      parent: parent.current!,
      state: EditorState.create({
        doc: text.toString(),
        extensions: [binding.extension, EditorView.lineWrapping, config.of(configFor(latest.current))],
      }),
    });
    // Typing and undoing here are this person's changes: the record is marked unsent and sent.
    access.markLocal(binding.origin(view));
    access.markLocal(binding.undoManager);
    const stacks = () => {
      setCanUndo(binding.undoManager.canUndo());
      setCanRedo(binding.undoManager.canRedo());
    };
    binding.undoManager.on('stack-item-added', stacks);
    binding.undoManager.on('stack-item-popped', stacks);
    binding.undoManager.on('stack-cleared', stacks);
    setEditor({ view, binding, config });
    return () => {
      view.destroy();
      binding.destroy();
      setEditor(null);
    };
  }, [handle, field, maxChars]);

  // Label, description, problem and read-only state follow the form.
  useEffect(() => {
    editor?.view.dispatch({ effects: editor.config.reconfigure(configFor({ field, labelId, describedBy, invalid, readOnly })) });
  }, [editor, field, labelId, describedBy, invalid, readOnly]);

  // Other people's carets, straight from presence (no re-render of the form for each of their keystrokes).
  const watchOthers = presence?.watchOthers;
  useEffect(() => {
    if (!editor || !watchOthers) return;
    return watchOthers((others) => editor.binding.showOthers(editor.view, others));
  }, [editor, watchOthers]);

  const run = (what: 'undo' | 'redo') => {
    if (!editor) return;
    if (what === 'undo') editor.binding.undoManager.undo();
    else editor.binding.undoManager.redo();
    editor.view.focus();
  };

  return (
    <div className="narrative">
      <div className="narrative-editor" ref={parent} />
      {!readOnly && (
        <div className="narrative-tools">
          {/* Keeping the focus in the text keeps a tablet's keyboard up while undoing. A page has many of
              these buttons: each is described by its field's label, so a screen reader says which. */}
          <button type="button" className="button button--small" aria-describedby={labelId} disabled={!canUndo} onPointerDown={(e) => e.preventDefault()} onClick={() => run('undo')}>
            Undo
          </button>
          <button type="button" className="button button--small" aria-describedby={labelId} disabled={!canRedo} onPointerDown={(e) => e.preventDefault()} onClick={() => run('redo')}>
            Redo
          </button>
        </div>
      )}
    </div>
  );
}

function configFor(props: Pick<NarrativeEditorProps, 'field' | 'labelId' | 'describedBy' | 'invalid' | 'readOnly'>) {
  return [EditorView.contentAttributes.of(contentAttributes(props)), EditorState.readOnly.of(props.readOnly), EditorView.editable.of(!props.readOnly)];
}

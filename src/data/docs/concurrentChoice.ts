/**
 * For tests of screens: two people choosing a scalar field differently at the same time — this device's
 * person and someone on another device — as if the other device's change had just arrived by sync. Made
 * with the same functions as real edits, so the record's history is what two devices would produce.
 */
import * as Y from 'yjs';
import type { RecordKind } from '../../../domain/records';
import { FIELDS } from '../../../recordModel/recordDoc';
import { recordFieldChange, type Editor } from '../../../recordModel/fieldHistory';
import { acquireDoc } from './openRecord';

export async function chooseAtTheSameTime(
  storeId: string,
  kind: RecordKind,
  id: string,
  field: string,
  here: { editor: Editor; value: string },
  elsewhere: { editor: Editor; value: string },
): Promise<void> {
  const { doc, release } = await acquireDoc(storeId, kind, id);
  try {
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    for (const [target, choice] of [
      [doc, here],
      [other, elsewhere],
    ] as const)
      target.transact(() => {
        recordFieldChange(target, field, choice.value, choice.editor);
        target.getMap(FIELDS).set(field, choice.value);
      });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), 'elsewhere');
  } finally {
    release();
  }
}

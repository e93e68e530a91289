/**
 * A change made as the page closes (its IndexedDB write aborted by the unload) is kept in localStorage on
 * `pagehide` and put back into the person's document table, marked not yet sent, when it next opens.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fromBase64 } from '../../../domain/base64';
import { formLayouts } from '../../../domain/kinds';
import { readValues } from '../../../recordModel/recordDoc';
import { dbFor } from '../db';
import { markSent } from '../records';
import { freshUser } from '../../test/renderApp';
import { readDocStates } from './docStore';
import { createRecord, openRecord, readStoredRecord } from './openRecord';
import { hasJournal, journalUnstored, replayJournal } from './unloadJournal';

const me = (id: string) => ({ id, displayName: 'Grace Okafor', teamId: 't1' });
const journalOf = (userId: string) => JSON.parse(localStorage.getItem(`fieldnotes.unstored.${userId}`) ?? '[]') as { doc: string; update: string }[];

afterEach(() => localStorage.clear());

describe('the unload journal', () => {
  it('keeps, as the page hides, a change typed but not yet stored', async () => {
    const user = freshUser();
    const id = await createRecord(user.id, me(user.id), 'observation', { childId: 'JRN1' });
    const docName = `observation/${id}`;
    const before = (await readDocStates(user.id, [docName])).get(docName)!;
    const handle = (await openRecord(user.id, 'observation', id, me(user.id)))!;
    handle.setField('otherComments', 'Typed as the tablet was closed');
    // The same turn: the write to IndexedDB has not committed yet.
    window.dispatchEvent(new Event('pagehide'));
    const journal = journalOf(user.id);
    expect(journal.length).toBeGreaterThan(0);
    expect(new Set(journal.map((e) => e.doc))).toEqual(new Set([docName]));
    // What it holds, on top of what was stored before, is the change.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, before);
    journal.forEach((e) => Y.applyUpdate(doc, fromBase64(e.update)));
    expect(readValues(doc, formLayouts.observation).otherComments).toBe('Typed as the tablet was closed');
    handle.release();
  });

  it('journals nothing when everything is stored', async () => {
    const user = freshUser();
    const id = await createRecord(user.id, me(user.id), 'observation', { childId: 'JRN2' });
    const handle = (await openRecord(user.id, 'observation', id, me(user.id)))!;
    handle.setField('otherComments', 'Stored in time');
    await readDocStates(user.id, [`observation/${id}`]); // waits for the open document's writes
    window.dispatchEvent(new Event('pagehide'));
    expect(hasJournal(user.id)).toBe(false);
    handle.release();
  });

  it('puts a journalled change back into the document table and marks the record not yet sent', async () => {
    const user = freshUser();
    const id = await createRecord(user.id, me(user.id), 'observation', { childId: 'JRN3' });
    const docName = `observation/${id}`;
    await markSent(user.id, id);
    // A change that never reached IndexedDB: made on a copy of the stored document.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, (await readDocStates(user.id, [docName])).get(docName)!);
    const lost: Uint8Array[] = [];
    copy.on('update', (update: Uint8Array) => lost.push(update));
    copy.getMap('fields').set('childId', 'JRN3-CHANGED');
    journalUnstored([{ userId: user.id, docName, updates: lost }]);
    expect(hasJournal(user.id)).toBe(true);

    expect(await replayJournal(user.id, dbFor(user.id))).toBe(1);
    expect((await readStoredRecord(user.id, 'observation', id)).values.childId).toBe('JRN3-CHANGED');
    expect((await dbFor(user.id).records.get(id))?.unsynced).toBe(1);
    expect(hasJournal(user.id)).toBe(false);
    expect(await replayJournal(user.id, dbFor(user.id))).toBe(0);
  });
});

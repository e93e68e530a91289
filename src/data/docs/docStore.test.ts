/**
 * Issue 20, item 4: every record document of a person in one table of their own database (docStore.ts),
 * through the app's real data layer on fake-indexeddb.
 */
import { waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { dbFor, userDbName } from '../db';
import { markSent } from '../records';
import { freshUser } from '../../test/renderApp';
import { COMPACT_ABOVE_ROWS, compactDocs, readDocStates, rowCounts, storeDocUpdates } from './docStore';
import { createRecord, narrativeAccess, openRecord, readStoredRecord, removeLocalRecord } from './openRecord';

const author = (id: string, displayName = 'Grace Okafor') => ({ id, displayName, teamId: 't1' });

async function newPerson() {
  const user = freshUser();
  return { user, me: author(user.id) };
}

const databasesOf = async (userId: string) =>
  (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n === userDbName(userId) || n.startsWith(`${userDbName(userId)}/`));

describe('the document table', () => {
  it('keeps every record of a person in their one database, each change appended as it is made', async () => {
    const { user, me } = await newPerson();
    const first = await createRecord(user.id, me, 'observation', { childId: 'ONE1' });
    const second = await createRecord(user.id, me, 'observation', { childId: 'TWO2' });
    const handle = (await openRecord(user.id, 'observation', first, me))!;
    const before = (await rowCounts(user.id, [`observation/${first}`])).get(`observation/${first}`)!;
    handle.setField('strengths', 'Calm');
    handle.setField('strengths', 'Calm and clear');
    // Read straight after typing, through a document of its own: both changes are stored.
    expect((await readStoredRecord(user.id, 'observation', first)).values.strengths).toBe('Calm and clear');
    expect((await rowCounts(user.id, [`observation/${first}`])).get(`observation/${first}`)).toBe(before + 2);
    handle.release();
    expect(await databasesOf(user.id)).toEqual([userDbName(user.id)]);
    expect((await readStoredRecord(user.id, 'observation', second)).values.childId).toBe('TWO2');
  });

  it('reads the merged state of many documents at once, and only of those that are stored', async () => {
    const { user, me } = await newPerson();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await createRecord(user.id, me, 'observation', { childId: `MANY${i}` }));
    const names = [...ids.map((id) => `observation/${id}`), 'observation/not-on-this-device'];
    const states = await readDocStates(user.id, names);
    expect([...states.keys()].sort()).toEqual(names.slice(0, 3).sort());
    ids.forEach((id, i) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, states.get(`observation/${id}`)!);
      expect(doc.getMap('fields').get('childId')).toBe(`MANY${i}`);
    });
  });

  it('stores many documents’ updates all together or not at all', async () => {
    const { user } = await newPerson();
    const updates = ['a', 'b', 'c'].map((letter) => {
      const doc = new Y.Doc();
      doc.getMap('fields').set('childId', letter);
      return { docName: `observation/bulk-${letter}-${user.id}`, update: Y.encodeStateAsUpdate(doc) };
    });
    // The disk fills after the first row is written: the batch must leave nothing behind.
    const table = dbFor(user.id).docUpdates;
    const realBulkAdd = table.bulkAdd.bind(table);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const spy = vi.spyOn(table, 'bulkAdd').mockImplementationOnce(
      (async (rows: Parameters<typeof realBulkAdd>[0]) => {
        await realBulkAdd(rows.slice(0, 1));
        throw new DOMException('The disk is full.', 'QuotaExceededError');
      }) as unknown as typeof realBulkAdd,
    );
    await expect(storeDocUpdates(user.id, updates)).rejects.toThrow('disk is full');
    spy.mockRestore();
    vi.mocked(console.error).mockRestore();
    expect((await readDocStates(user.id, updates.map((u) => u.docName))).size).toBe(0);

    await storeDocUpdates(user.id, updates);
    const states = await readDocStates(user.id, updates.map((u) => u.docName));
    expect(states.size).toBe(3);
  });

  it('gives an update stored in bulk to the record open on screen, as a change from elsewhere that leaves it sent', async () => {
    const { user, me } = await newPerson();
    const id = await createRecord(user.id, me, 'observation', { childId: 'OPEN1' });
    await markSent(user.id, id);
    const name = `observation/${id}`;
    const handle = (await openRecord(user.id, 'observation', id, me))!;
    const heard: string[] = [];
    handle.subscribe((source) => heard.push(source));
    const rowsBefore = (await rowCounts(user.id, [name])).get(name)!;

    // Someone else's change, as the bulk path brings it.
    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, (await readDocStates(user.id, [name])).get(name)!);
    let change: Uint8Array | null = null;
    elsewhere.on('update', (u: Uint8Array) => (change = u));
    elsewhere.getText('strengths').insert(0, 'Written on another tablet.');
    await storeDocUpdates(user.id, [{ docName: name, update: change! }]);

    expect(handle.values().strengths).toBe('Written on another tablet.');
    expect(heard).toEqual(['elsewhere']);
    // Stored once (by the bulk path), not appended again by the open document.
    expect((await rowCounts(user.id, [name])).get(name)).toBe(rowsBefore + 1);
    await waitFor(async () => expect((await dbFor(user.id).records.get(id))?.practitionerId).toBeDefined());
    expect((await dbFor(user.id).records.get(id))?.unsynced).toBe(0);
    handle.release();
  });
});

describe('removing a record from the device', () => {
  it('removes its document’s rows and no other’s, once it closes', async () => {
    const { user, me } = await newPerson();
    const gone = await createRecord(user.id, me, 'observation', { childId: 'GONE1' });
    const kept = await createRecord(user.id, me, 'observation', { childId: 'KEPT1' });
    // Still open for its close delay: removed as soon as it closes.
    await removeLocalRecord(user.id, 'observation', gone);
    await waitFor(async () => expect([...(await readDocStates(user.id, [`observation/${gone}`, `observation/${kept}`])).keys()]).toEqual([`observation/${kept}`]), {
      timeout: 6000,
    });
    expect((await readStoredRecord(user.id, 'observation', kept)).values.childId).toBe('KEPT1');
  });
});

describe('compaction', () => {
  it('folds a document closed with many rows into one, keeping its content and who wrote what', async () => {
    const grace = await newPerson();
    const id = await createRecord(grace.user.id, grace.me, 'observation', { childId: 'FOLD1' });
    const name = `observation/${id}`;
    const handle = (await openRecord(grace.user.id, 'observation', id, grace.me))!;
    const narrative = narrativeAccess(handle);
    narrative.noteWriter();
    // Typed key by key: a row per keystroke.
    for (const key of 'The worker listened and the child was heard at every turn. ') {
      const text = narrative.text('strengths');
      text.insert(text.length, key);
    }
    // A colleague on another tablet adds to the text; their change arrives by the bulk path.
    const colleague = new Y.Doc();
    Y.applyUpdate(colleague, (await readDocStates(grace.user.id, [name])).get(name)!);
    const theirs: Uint8Array[] = [];
    colleague.on('update', (u: Uint8Array) => theirs.push(u));
    colleague.getMap<{ id: string; name: string }>('writers').set(String(colleague.clientID), { id: 'sw', name: 'Yusuf Ahmed' });
    colleague.getText('strengths').insert(0, 'Yusuf adds this. ');
    handle.setField('levelOfNeed', 'Universal');
    await storeDocUpdates(grace.user.id, theirs.map((update) => ({ docName: name, update })));

    const rows = (await rowCounts(grace.user.id, [name])).get(name)!;
    expect(rows).toBeGreaterThan(COMPACT_ABOVE_ROWS);
    const values = handle.values();
    const whoWrote = handle.whoWroteWhat('strengths');
    expect(whoWrote.map((run) => run.by)).toEqual(['Yusuf Ahmed', 'Grace Okafor']);
    handle.release();
    // Closed (after its short delay): one row.
    await waitFor(async () => expect((await rowCounts(grace.user.id, [name])).get(name)).toBe(1), { timeout: 6000 });
    const reopened = (await openRecord(grace.user.id, 'observation', id, grace.me))!;
    expect(reopened.values()).toEqual(values);
    expect(reopened.whoWroteWhat('strengths')).toEqual(whoWrote);
    reopened.release();
  });

  it('keeps a contested field contested after folding', async () => {
    const { user, me } = await newPerson();
    const id = await createRecord(user.id, me, 'observation', { childId: 'FOLD2' });
    const name = `observation/${id}`;
    // A second tablet of another person, with the record as it is now.
    const other = freshUser();
    await storeDocUpdates(other.id, [{ docName: name, update: (await readDocStates(user.id, [name])).get(name)! }]);
    const mine = (await openRecord(user.id, 'observation', id, me))!;
    const theirs = (await openRecord(other.id, 'observation', id, author(other.id, 'Tom Wright')))!;
    mine.setField('levelOfNeed', 'Universal');
    theirs.setField('levelOfNeed', 'Child in need');
    // They meet again: each tablet stores the other's state.
    const [a, b] = [(await readDocStates(user.id, [name])).get(name)!, (await readDocStates(other.id, [name])).get(name)!];
    await storeDocUpdates(user.id, [{ docName: name, update: b }]);
    await storeDocUpdates(other.id, [{ docName: name, update: a }]);
    const contested = mine.contested();
    expect(contested.map((c) => c.choices.map((choice) => choice.value).sort())).toEqual([['Child in need', 'Universal']]);
    mine.release();
    theirs.release();

    expect(await compactDocs(user.id, [name])).toBe(1);
    expect((await rowCounts(user.id, [name])).get(name)).toBe(1);
    const reopened = (await openRecord(user.id, 'observation', id, me))!;
    expect(reopened.contested()).toEqual(contested);
    reopened.release();
  });

  it('folds a record once it is sent and finished, when it closes', async () => {
    const { user, me } = await newPerson();
    const id = await createRecord(user.id, me, 'observation', { childId: 'DONE1' });
    const name = `observation/${id}`;
    await dbFor(user.id).records.update(id, { status: 'complete' });
    await markSent(user.id, id);
    const handle = (await openRecord(user.id, 'observation', id, me))!;
    const values = handle.values();
    expect((await rowCounts(user.id, [name])).get(name)).toBeGreaterThan(1);
    handle.release();
    await waitFor(async () => expect((await rowCounts(user.id, [name])).get(name)).toBe(1), { timeout: 6000 });
    expect((await readStoredRecord(user.id, 'observation', id)).values).toEqual(values);
  });

  it('leaves a draft with few rows as it is when it closes', async () => {
    const { user, me } = await newPerson();
    const id = await createRecord(user.id, me, 'observation', { childId: 'DRAFT1' });
    const name = `observation/${id}`;
    const rows = (await rowCounts(user.id, [name])).get(name)!;
    expect(rows).toBeGreaterThan(1);
    // createRecord has released it; after the close delay the rows are as they were.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await rowCounts(user.id, [name])).get(name)).toBe(rows);
  });
});

import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../data/sync/syncManager';
import { summariseSync } from './syncSummary';

const status = (patch: Partial<SyncStatus> = {}): SyncStatus => ({ connection: 'online', sending: null, lastSyncAt: null, problem: null, failed: [], ...patch });

describe('what the status bar says', () => {
  it('says everything is sent only when no record has unsent changes, and then raises no problem about records', () => {
    expect(summariseSync(status({ failed: ['a'] }), [])).toEqual({ unsent: 'Everything is sent', sending: null, fetching: null, problems: [] });
    expect(summariseSync(status(), [{ id: 'a', blocked: false }]).unsent).toBe('1 record not yet sent');
    expect(summariseSync(status(), [{ id: 'a', blocked: false }, { id: 'b', blocked: true }]).unsent).toBe('2 records not yet sent');
  });

  it('says how far a new tablet has got fetching its records, only while connected', () => {
    expect(summariseSync(status({ fetching: { done: 400, total: 1000 } }), []).fetching).toBe('Fetching your records: 400 of 1,000');
    expect(summariseSync(status({ fetching: { done: 50, total: 120 } }), undefined).fetching).toBe('Fetching your records: 50 of 120');
    expect(summariseSync(status({ connection: 'offline', fetching: { done: 400, total: 1000 } }), []).fetching).toBeNull();
  });

  it('says nothing about records while the index loads', () => {
    expect(summariseSync(status({ failed: ['a'] }), undefined)).toEqual({ unsent: '', sending: null, fetching: null, problems: [] });
  });

  it('reports a failure only while that record is still unsent, and says what the person can do', () => {
    const failed = status({ failed: ['a', 'b'] });
    expect(summariseSync(failed, [{ id: 'a', blocked: false }, { id: 'b', blocked: false }]).problems).toEqual([
      '2 records could not be sent yet. They are safe on this tablet and Fieldnotes keeps trying: choose Sync now to try again straight away.',
    ]);
    // 'b' has been stored since: the message follows at once, without waiting for the next pass.
    expect(summariseSync(failed, [{ id: 'a', blocked: false }]).problems).toEqual([
      '1 record could not be sent yet. It is safe on this tablet and Fieldnotes keeps trying: choose Sync now to try again straight away.',
    ]);
    expect(summariseSync(status({ connection: 'offline', failed: ['a'] }), [{ id: 'a', blocked: false }]).problems).toEqual([
      '1 record could not be sent yet. It is safe on this tablet and Fieldnotes keeps trying once it is connected again.',
    ]);
  });

  it('says why records that may no longer be written cannot be sent, from the index, never from an old pass', () => {
    const summary = summariseSync(status(), [{ id: 'a', blocked: true }]);
    expect(summary.unsent).toBe('1 record not yet sent');
    expect(summary.problems).toEqual([
      'Changes to 1 record cannot be sent: it was completed, or your access changed. Your changes stay on this tablet; ask the record’s author to add them if they are needed.',
    ]);
    // A failure reported for a record that has since become read-only is not reported twice.
    expect(summariseSync(status({ failed: ['a'] }), [{ id: 'a', blocked: true }]).problems).toHaveLength(1);
  });

  it('never pairs "Everything is sent" with a message about unsent records, whatever the manager last said', () => {
    for (const failed of [[], ['a'], ['a', 'b']]) {
      for (const connection of ['online', 'offline', 'connecting'] as const) {
        const summary = summariseSync(status({ failed, connection, sending: { done: 0, total: 2 } }), []);
        expect(summary.unsent).toBe('Everything is sent');
        expect(summary.problems.filter((p) => /sent/.test(p))).toEqual([]);
      }
    }
  });

  it('shows progress only while connected, and keeps the sign-in problem', () => {
    expect(summariseSync(status({ sending: { done: 3, total: 7 } }), [{ id: 'a', blocked: false }]).sending).toBe('Sending 3 of 7');
    expect(summariseSync(status({ connection: 'offline', sending: { done: 3, total: 7 } }), [{ id: 'a', blocked: false }]).sending).toBeNull();
    expect(summariseSync(status({ connection: 'signed-out', problem: 'Sign in again.' }), []).problems).toEqual(['Sign in again.']);
  });
});

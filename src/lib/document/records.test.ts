/** The document model: record → sections, the same for the screen, the print view and the PDF. */
import { describe, expect, it } from 'vitest';
import { reviewDomains } from '../../../domain/review';
import {
  closedReview,
  completedObservation,
  consentedFeedback,
  feedbackWithoutConsent,
  madeAt,
  organisation,
  reviewValues,
  submittedReview,
  unconsentedFeedback,
} from '../../../tests/pdf/seededRecords';
import { documentText, paragraphsOf, type DocBlock, type DocumentModel } from './model';
import { feedbackDocument, reviewDocument } from './records';

const section = (model: DocumentModel, id: string) => model.sections.find((s) => s.id === id);
const blocksOf = (model: DocumentModel, id: string): DocBlock[] => section(model, id)?.blocks ?? [];
const fieldsOf = (model: DocumentModel, id: string) => blocksOf(model, id).flatMap((b) => (b.kind === 'fields' ? b.fields : []));

describe('a review as a document', () => {
  const model = closedReview();

  it('opens with the organisation, its marking, the title, the child, who it is about and who wrote it', () => {
    expect(model.organisation).toEqual(organisation);
    expect(model.title).toBe('Collaborative case review');
    expect(model.summary.map((f) => f.label)).toEqual(['Child ID', 'Child’s name', 'About', 'Written by', 'Written']);
    expect(model.summary[0]!.value).toBe('CH-204817');
    expect(model.summary[2]!.value).toBe('Zoë Ní Bhriain, Safeguarding Team North');
    expect(model.madeAt).toBe(madeAt.toISOString());
  });

  it('is final only once closed; a submitted review is a draft', () => {
    expect(model.final).toBe(true);
    expect(submittedReview().final).toBe(false);
    expect(submittedReview().statusLabel).toBe('Submitted for moderation');
  });

  it('names the file from the child ID, the kind and the date it was made', () => {
    expect(model.fileName).toBe('CH-204817_collaborative-case-review_2026-12-03.pdf');
    const noChild = reviewDocument({ values: {}, meta: null, teamName: '', legacyActions: [] }, {}, { madeAt });
    expect(noChild.fileName).toBe('no-child-id_collaborative-case-review_2026-12-03.pdf');
    const odd = reviewDocument({ values: { childId: '../x y' }, meta: null, teamName: '', legacyActions: [] }, {}, { madeAt });
    expect(odd.fileName).toMatch(/^x-y_/);
  });

  it('has the seven domains and the overall grade as a table, the moderation’s agreed grade beside the review’s', () => {
    const table = blocksOf(model, 'doc-grades')[0];
    expect(table?.kind).toBe('table');
    if (table?.kind !== 'table') return;
    expect(table.columns).toEqual(['Domain', 'Review’s grade', 'Agreed at moderation']);
    expect(table.rows).toHaveLength(8);
    expect(table.rows[2]).toEqual(['3. Multi-agency review', 'Requires Improvement', 'Good (changed from Requires Improvement)']);
    expect(table.rows[7]).toEqual(['Overall grade', 'Good', 'Good']);
    // Before moderation: only the review's grades.
    const before = blocksOf(submittedReview(), 'doc-grades')[0];
    expect(before?.kind === 'table' && before.columns).toEqual(['Domain', 'Review’s grade']);
  });

  it('puts every field under its label with the words as written, line breaks kept', () => {
    const review = fieldsOf(model, 'doc-review');
    expect(review.find((f) => f.label === 'Who undertook the review')).toEqual({ label: 'Who undertook the review', value: reviewValues.reviewers, long: true });
    expect(paragraphsOf(reviewValues.penPicture!)).toHaveLength(2);
    const domains = blocksOf(model, 'doc-domains');
    expect(domains.filter((b) => b.kind === 'subheading').map((b) => (b.kind === 'subheading' ? b.text : ''))).toEqual(reviewDomains.map((d, i) => `${i + 1}. ${d.label}`));
    const overall = fieldsOf(model, 'doc-overall');
    expect(overall.find((f) => f.label === 'Rationale for the overall grade')?.value).toBe(reviewValues.overallGradeRationale);
    // Every value of the record is somewhere in the document.
    const text = documentText(model).join('\n');
    for (const [field, value] of Object.entries(reviewValues)) if (!/Id$|Grade$|^levelOfNeed$|Minutes$|Date$|^teamId$/.test(field)) expect(text, field).toContain(value);
  });

  it('includes tracked actions with their state, immediate concerns with their resolution, and the moderation', () => {
    const actions = blocksOf(model, 'doc-tracked-actions')[0];
    expect(actions?.kind === 'table' && actions.rows.map((r) => r[4])).toEqual(['Open', 'Done, waiting for sign-off. Done: Invited by letter. Evidence: Case note 14 Nov']);
    const concern = fieldsOf(model, 'doc-concerns');
    expect(concern.find((f) => f.label === 'Resolution')?.value).toBe('Visited the same day; partner checks done; plan updated.');
    expect(concern.find((f) => f.label === 'First response')?.value).toBe('Visiting the family this afternoon with a colleague.');
    expect(concern.find((f) => f.label === 'Responded')?.value).toContain('by Grace Okafor');
    expect(fieldsOf(model, 'doc-moderation').find((f) => f.label === 'Why the grade was changed')?.value).toContain('supports Good');
    // No free-text actions on a newer review: that section is left out rather than shown empty.
    expect(section(model, 'doc-actions')).toBeUndefined();
  });

  it('shows family feedback in the family’s words only with their consent, and says how much was left out', () => {
    const text = documentText(model).join('\n');
    expect(text).toContain(consentedFeedback.values.workingWell);
    expect(text).not.toContain(unconsentedFeedback.values.workingWell);
    expect(text).toContain('One piece of family feedback given without consent to its use is left out of this copy.');
    // Feedback still being written is left out too, whatever it says about consent.
    const draft = { ...consentedFeedback, meta: { ...consentedFeedback.meta, status: 'draft' as const } };
    const withDraft = documentText(reviewDocument({ values: reviewValues, meta: null, teamName: '', legacyActions: [] }, { feedback: [draft] }, { madeAt })).join('\n');
    expect(withDraft).not.toContain(consentedFeedback.values.workingWell);
    expect(withDraft).toContain('One piece of family feedback not yet finished is left out of this copy.');
  });

  it('says when the concerns could not be read, rather than that there were none', () => {
    const offline = reviewDocument({ values: reviewValues, meta: null, teamName: '', legacyActions: [] }, { concerns: 'unavailable' }, { madeAt });
    expect(documentText(offline).join('\n')).toContain('could not be read when this copy was made');
  });

  it('on screen (no extras) keeps the review’s own free-text actions section', () => {
    const screen = reviewDocument({ values: reviewValues, meta: null, teamName: '', legacyActions: [] });
    expect(section(screen, 'doc-actions')?.heading).toBe('Actions agreed');
    expect(section(screen, 'doc-tracked-actions')).toBeUndefined();
    expect(screen.organisation.marking).toBe('OFFICIAL-SENSITIVE');
  });
});

describe('an observation and family feedback as documents', () => {
  it('an observation: who it is about, the practitioner’s reflection in their words', () => {
    const model = completedObservation();
    expect(model.final).toBe(true);
    expect(model.summary.find((f) => f.label === 'About')?.value).toBe('Zoë Ní Bhriain, Safeguarding Team North');
    const quote = blocksOf(model, 'doc-practitioner-reflection')[0];
    expect(quote).toMatchObject({ kind: 'quote', text: 'I will summarise next time.' });
  });

  it('feedback without consent carries a notice saying so; with consent, none', () => {
    expect(feedbackWithoutConsent().notice).toMatch(/WITHOUT CONSENT/);
    expect(feedbackDocument(consentedFeedback).notice).toBeUndefined();
    expect(feedbackDocument(consentedFeedback).summary.find((f) => f.label === 'Given by')?.value).toBe('A parent (mother)');
  });
});

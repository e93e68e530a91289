/**
 * Seeded finished records for the PDF tests and the benchmark: a closed review with its moderation,
 * actions, concerns and family feedback (one given with consent, one without), a completed observation,
 * feedback without consent, and a review long enough to run to about 30 pages. Names use the letters a
 * council's records hold: Welsh (ŵ ŷ), Polish (ł ą ę ś ź ż), Irish and French accents.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Action } from '../../domain/actions';
import type { Concern } from '../../domain/notifications';
import type { RecordMeta } from '../../domain/records';
import { reviewDomains, domainEvaluationField, domainGradeField } from '../../domain/review';
import type { OrganisationSettings } from '../../src/lib/document/model';
import { feedbackDocument, observationDocument, reviewDocument } from '../../src/lib/document/records';
import type { PdfFonts } from '../../src/lib/pdf/renderPdf';

const require = createRequire(import.meta.url);

/** The same TrueType files the app's PDF chunk loads (src/lib/pdf/fonts.ts), read from node_modules. */
export function nodeFonts(): PdfFonts {
  return {
    regular: fs.readFileSync(require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf')),
    bold: fs.readFileSync(require.resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf')),
  };
}

export const organisation: OrganisationSettings = { name: 'Cyngor Sir Ynys Môn — Children’s Services', marking: 'OFFICIAL-SENSITIVE' };
export const madeAt = new Date('2026-12-03T10:15:00Z');

const meta = (kind: RecordMeta['kind'], status: RecordMeta['status'], extra: Partial<RecordMeta> = {}): RecordMeta => ({
  id: '3f2c1b7a-0c1d-4e5f-8a9b-0123456789ab',
  kind,
  status,
  createdAt: '2026-11-02T09:30:00Z',
  authorId: 'u-okafor',
  authorName: 'Grace Okafor',
  authorTeamId: 't-north',
  completedAt: '2026-11-20T16:05:00Z',
  ...extra,
});

export const reviewValues: Record<string, string> = {
  childId: 'CH-204817',
  childName: 'Siôn Llŷr Ŵyn-Łukasz',
  socialWorkerId: 'u-ahmed',
  socialWorkerName: 'Zoë Ní Bhriain',
  teamManagerName: 'Grace Okafor',
  teamId: 't-north',
  levelOfNeed: 'child-protection',
  reviewers: 'Grace Okafor (lead reviewer)\nFiona Walsh, IRO\nZoë Ní Bhriain',
  reviewDate: '2026-11-18',
  location: 'Llangefni family centre',
  conversationMinutes: '75',
  additionalWork: 'Read the last three supervision notes.\nSpoke with the school’s designated safeguarding lead.',
  additionalWorkMinutes: '40',
  penPicture: 'Siôn is nine. He lives with his mother, Małgorzata Wąsik-Źdźbło, and his grandmother Renée.\n\nHe likes football and drawing dragons.',
  overallEvaluation: 'Practice is purposeful and child-centred.\nThe plan is clear and the family understand it.',
  wentWell: 'Direct work with Siôn, in his own words.',
  needsToHappen: 'Update the chronology; involve father’s family (Ężyk) in the next core group.',
  overallGrade: 'good',
  overallGradeRationale: 'Strong direct work, with gaps in recording.',
  practitionerReflections: 'I found the conversation useful: I will keep the chronology up to date each month.',
};
for (const [i, d] of reviewDomains.entries()) {
  reviewValues[domainEvaluationField(d.key)] = `Evaluation of ${d.label.toLowerCase()}: evidence seen in case notes ${i + 1} and 2.\nA second line kept as written.`;
  reviewValues[domainGradeField(d.key)] = i === 2 ? 'requires-improvement' : 'good';
}

export const moderationValues: Record<string, string> = {
  // Moderation agrees Good everywhere: the third domain's Requires Improvement becomes Good.
  ...Object.fromEntries(reviewDomains.map((d) => [domainGradeField(d.key), 'good'])),
  overallGrade: 'good',
  wentWell: 'A thoughtful review, well evidenced.',
  needsToHappen: 'Share the learning at the team meeting.',
  summary: 'Grades agreed except planning, where the evidence supports Good.',
  gradeChangeReason: 'The plan was updated on 12 November: the evidence supports Good.',
};

const action = (overrides: Partial<Action>): Action => ({
  id: 'a1',
  kind: 'action',
  record: 'review/3f2c1b7a-0c1d-4e5f-8a9b-0123456789ab',
  recordKind: 'review',
  childId: 'CH-204817',
  teamId: 't-north',
  what: 'Update the chronology to the end of November',
  why: 'Recording gaps',
  finding: 'overall',
  ownerId: 'u-ahmed',
  ownerName: 'Zoë Ní Bhriain',
  dueDate: '2026-12-15',
  status: 'open',
  doneNote: '',
  evidence: '',
  reason: '',
  raisedById: 'u-okafor',
  raisedByName: 'Grace Okafor',
  raisedAt: '2026-11-18T12:00:00Z',
  updatedAt: '2026-11-18T12:00:00Z',
  practitionerId: 'u-ahmed',
  rule: '',
  linkedRecords: [],
  history: [],
  ofMyTeam: true,
  may: { complete: false, signOff: false, cancel: false },
  ...overrides,
});

export const actions: Action[] = [
  action({}),
  action({ id: 'a2', what: 'Invite paternal family to core group', status: 'done', doneNote: 'Invited by letter', evidence: 'Case note 14 Nov' }),
];

export const concerns: Concern[] = [
  {
    id: 'c1',
    record: 'review/3f2c1b7a-0c1d-4e5f-8a9b-0123456789ab',
    raisedBy: 'u-walsh',
    raisedByName: 'Fiona Walsh',
    raisedAt: '2026-11-18T11:00:00Z',
    childId: 'CH-204817',
    text: 'Mother said a new partner is staying at weekends; not known to the plan.',
    dueAt: '2026-11-19T11:00:00Z',
    respondedByName: 'Grace Okafor',
    respondedAt: '2026-11-18T15:00:00Z',
    response: 'Visiting the family this afternoon with a colleague.',
    escalatedAt: null,
    escalatedTo: [],
    resolvedByName: 'Grace Okafor',
    resolvedAt: '2026-11-19T09:00:00Z',
    resolution: 'Visited the same day; partner checks done; plan updated.',
  },
];

export const consentedFeedback = {
  values: { childId: 'CH-204817', giver: 'parent', relationship: 'mother', date: '2026-11-18', workingWell: 'Zoë listens to us and comes when she says.', worried: '', needsToHappen: 'Help with the school run.', score: '8', consent: 'yes' },
  meta: meta('feedback', 'complete'),
};
export const unconsentedFeedback = {
  values: { childId: 'CH-204817', giver: 'carer', relationship: 'grandmother', date: '2026-11-18', workingWell: 'PRIVATE WORDS WITHOUT CONSENT', worried: '', score: '3', consent: '' },
  meta: meta('feedback', 'complete'),
};

export const closedReview = () =>
  reviewDocument(
    {
      values: reviewValues,
      meta: meta('review', 'closed', { moderatedAt: '2026-11-25T10:00:00Z', moderatedByName: 'Sam Green', closedAt: '2026-11-28T15:00:00Z', closedByName: 'Grace Okafor' }),
      teamName: 'Safeguarding Team North',
      legacyActions: [],
      moderation: { values: moderationValues, meta: meta('moderation', 'draft', { authorName: 'Sam Green' }) },
    },
    { actions, concerns, feedback: [consentedFeedback, unconsentedFeedback] },
    { organisation, madeAt },
  );

export const submittedReview = () =>
  reviewDocument({ values: reviewValues, meta: meta('review', 'submitted'), teamName: 'Safeguarding Team North', legacyActions: [] }, {}, { organisation, madeAt });

export const observationValues: Record<string, string> = {
  practitionerId: 'u-ahmed',
  practitionerName: 'Zoë Ní Bhriain',
  teamId: 't-north',
  dateOfObservation: '2026-11-01',
  childId: 'MAT1',
  levelOfNeed: 'early-help',
  nature: 'home-visit',
  strengths: 'Warm and clear with the family.\nUsed Welsh with the grandmother: “Shwmae, ŵyr bach”.',
  areasForDevelopment: 'Summarise the plan at the end.',
  reflections: 'We talked about pacing.',
  equalityDiversityIdentity: 'Used the family’s first language (Polish: “dziękuję, że przyszłaś”).',
  otherComments: '',
  practitionerResponse: 'Agreed.',
};

export const completedObservation = () =>
  observationDocument(
    { values: observationValues, meta: meta('observation', 'complete'), teamName: 'Safeguarding Team North', reflection: { text: 'I will summarise next time.', byName: 'Zoë Ní Bhriain', at: '2026-11-21T09:00:00Z' } },
    { actions: [], feedback: [], concerns: [] },
    { organisation, madeAt },
  );

export const feedbackWithoutConsent = () => feedbackDocument(unconsentedFeedback, {}, { organisation, madeAt });

/** Long narratives (numbered sentences, so a test can find every one): a review of about 30 pages. */
export function longReview(paragraphsPerField = 14) {
  let n = 0;
  const narrative = () =>
    Array.from({ length: paragraphsPerField }, () =>
      Array.from({ length: 5 }, () => `Sentence ${++n} records what the reviewer found, in the reviewer’s own words, with evidence from the file.`).join(' '),
    ).join('\n\n');
  const values = { ...reviewValues };
  for (const d of reviewDomains) values[domainEvaluationField(d.key)] = narrative();
  for (const f of ['penPicture', 'overallEvaluation', 'wentWell', 'needsToHappen', 'overallGradeRationale', 'practitionerReflections']) values[f] = narrative();
  const model = reviewDocument({ values, meta: meta('review', 'closed'), teamName: 'Safeguarding Team North', legacyActions: [] }, { actions, concerns: [], feedback: [] }, { organisation, madeAt });
  return { model, sentences: n };
}

/**
 * Record → document (model.ts): one builder per kind of record, from the plain values of its document
 * (`readValues`) and the facts around it. The screen shows the core sections; the print view and the PDF
 * also pass what sits beside the record on screen (tracked actions, linked family feedback, immediate
 * concerns), so that the copy on the child's file is complete.
 */
import { actionStatusLabels, findingLabel, type Action } from '../../../domain/actions';
import { ageBands, feedbackGivers, feedbackLabels, feedbackWays, yesNo, type FeedbackField } from '../../../domain/feedback';
import { moderationLabels } from '../../../domain/moderation';
import type { Concern } from '../../../domain/notifications';
import { meetingTypeOptions, natureOptions, observationLabels, type ObservationField } from '../../../domain/observation';
import { labelOf, levelsOfNeed } from '../../../domain/options';
import { recordKindLabels, recordStatusLabels, type RecordKind, type RecordMeta } from '../../../domain/records';
import { domainEvaluationField, domainGradeField, grades, reviewDomains, reviewLabels, type ReviewField } from '../../../domain/review';
import { formatDate, formatDateAndTime } from '../format';
import { defaultOrganisation, type DocBlock, type DocField, type DocSection, type DocumentModel, type OrganisationSettings } from './model';

type Values = Record<string, string>;

/** What every builder needs besides the record itself. */
export interface DocumentContext {
  organisation?: OrganisationSettings;
  /** When the copy is made; now by default. */
  madeAt?: Date;
}

export interface LegacyAction {
  id: string;
  what: string;
  who: string;
  byWhen: string;
}

export interface RecordedModeration {
  values: Values;
  meta: RecordMeta | null;
}

export interface LinkedFeedbackRecord {
  values: Values;
  meta: RecordMeta | null;
}

/** What sits beside a record on screen, included in its print view and PDF. Absent: not part of this rendering. */
export interface DocumentExtras {
  /** Tracked actions raised on the record, with their state. */
  actions?: Action[];
  /** Immediate concerns and their resolution; 'unavailable' when the device could not ask the server. */
  concerns?: Concern[] | 'unavailable';
  /** Family feedback gathered for the record: only feedback given with consent is shown in the family's words. */
  feedback?: LinkedFeedbackRecord[];
}

/** "14 Mar 2026 at 10:05, by Grace Okafor", or as much of it as is known. */
function when(at: string | undefined, by: string | undefined): string {
  return [at ? formatDateAndTime(at) : 'When is not recorded', by ? `by ${by}` : ''].filter(Boolean).join(', ');
}

const minutes = (value: string | undefined) => (value?.trim() ? `${value.trim()} minutes` : '');
const gradeLabel = (value: string | undefined) => (value ? labelOf(grades, value) : '');
const date = (value: string | undefined) => (value ? formatDate(value) : '');
const fields = (...list: DocField[]): DocBlock => ({ kind: 'fields', fields: list });
const long = (label: string, value: string | undefined): DocField => ({ label, value: value ?? '', long: true });

/** A file name a case management system accepts: letters, digits and dashes only. */
function fileNameFor(kind: RecordKind, childId: string, madeAt: Date): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  const child = safe(childId.trim()) || 'no-child-id';
  return `${child}_${safe(recordKindLabels[kind].toLowerCase())}_${madeAt.toISOString().slice(0, 10)}.pdf`;
}

function frame(
  kind: RecordKind,
  meta: RecordMeta | null,
  childId: string,
  context: DocumentContext,
  rest: Pick<DocumentModel, 'summary' | 'sections'> & { notice?: string },
): DocumentModel {
  const madeAt = context.madeAt ?? new Date();
  const status = meta?.status ?? 'draft';
  // Final when nothing more can change it: a complete observation or feedback, a closed review.
  const final = kind === 'review' ? status === 'closed' : status === 'complete';
  return {
    organisation: context.organisation ?? defaultOrganisation,
    title: recordKindLabels[kind],
    final,
    statusLabel: recordStatusLabels[status],
    madeAt: madeAt.toISOString(),
    fileName: fileNameFor(kind, childId, madeAt),
    ...rest,
  };
}

// ——— What sits beside a record ———

function actionsSection(actions: Action[]): DocSection {
  return {
    id: 'doc-tracked-actions',
    heading: 'Actions',
    blocks:
      actions.length === 0
        ? [{ kind: 'paragraph', text: 'No actions were raised.', muted: true }]
        : [
            {
              kind: 'table',
              name: 'Actions',
              caption: 'Actions raised on this record, who owns them, when they are due and where they stand',
              columns: ['What needs to happen', 'Finding', 'Owner', 'Due', 'Where it stands'],
              rows: actions.map((a) => [
                a.what,
                findingLabel(a.finding),
                a.ownerName,
                date(a.dueDate),
                [actionStatusLabels[a.status], a.doneNote ? `Done: ${a.doneNote}` : '', a.evidence ? `Evidence: ${a.evidence}` : '', a.reason ? `Reason: ${a.reason}` : '']
                  .filter(Boolean)
                  .join('. '),
              ]),
            },
          ],
  };
}

function concernsSection(concerns: Concern[] | 'unavailable'): DocSection {
  const blocks: DocBlock[] =
    concerns === 'unavailable'
      ? [{ kind: 'paragraph', text: 'The immediate concerns on this record could not be read when this copy was made (no connection).', muted: true }]
      : concerns.length === 0
        ? [{ kind: 'paragraph', text: 'No immediate concern was raised.', muted: true }]
        : concerns.flatMap((c): DocBlock[] => [
            fields(
              { label: 'Concern', value: c.text, long: true },
              { label: 'Raised', value: when(c.raisedAt, c.raisedByName) },
              ...(c.respondedAt
                ? [
                    { label: 'First response', value: c.response ?? '', long: true },
                    { label: 'Responded', value: when(c.respondedAt, c.respondedByName ?? undefined) },
                  ]
                : []),
              ...(c.escalatedAt ? [{ label: 'Escalated', value: `${when(c.escalatedAt, undefined)}, unanswered, to ${c.escalatedTo.join(' and ')}` }] : []),
              { label: 'Resolution', value: c.resolvedAt ? (c.resolution ?? '') : 'Not yet resolved', long: true },
              ...(c.resolvedAt ? [{ label: 'Resolved', value: when(c.resolvedAt, c.resolvedByName ?? undefined) }] : []),
            ),
          ]);
  return { id: 'doc-concerns', heading: 'Immediate concerns', blocks };
}

const feedbackWords: FeedbackField[] = ['workingWell', 'worried', 'needsToHappen', 'goneWell', 'couldBeBetter', 'anythingElse'];

/** Who gave feedback, worded: "A parent (mother)". */
function giverOf(values: Values): string {
  const giver = values.giver ? labelOf(feedbackGivers, values.giver) : 'Someone in the family';
  return values.relationship?.trim() ? `${giver} (${values.relationship.trim()})` : giver;
}

function linkedFeedbackSection(feedback: LinkedFeedbackRecord[]): DocSection {
  // The family agreed to their words being used: without that, their words stay out of this copy. Feedback
  // still being written is not theirs to stand by yet, and stays out too.
  const finished = feedback.filter((f) => f.meta?.status === 'complete');
  const consented = finished.filter((f) => f.values.consent === 'yes');
  const withheld = finished.length - consented.length;
  const unfinished = feedback.length - finished.length;
  const blocks: DocBlock[] = [];
  if (feedback.length === 0) blocks.push({ kind: 'paragraph', text: 'No family feedback was recorded for this.', muted: true });
  for (const f of consented) {
    blocks.push({ kind: 'subheading', text: `${giverOf(f.values)}${f.values.date ? `, ${formatDate(f.values.date)}` : ''}` });
    blocks.push(
      fields(
        { label: feedbackLabels.score, value: f.values.score ? `${f.values.score} out of 10` : '' },
        ...feedbackWords.filter((w) => f.values[w]?.trim()).map((w) => long(feedbackLabels[w], f.values[w])),
      ),
    );
  }
  if (withheld > 0)
    blocks.push({
      kind: 'paragraph',
      text: `${withheld === 1 ? 'One piece' : `${withheld} pieces`} of family feedback given without consent to its use ${withheld === 1 ? 'is' : 'are'} left out of this copy.`,
      muted: true,
    });
  if (unfinished > 0)
    blocks.push({ kind: 'paragraph', text: `${unfinished === 1 ? 'One piece' : `${unfinished} pieces`} of family feedback not yet finished ${unfinished === 1 ? 'is' : 'are'} left out of this copy.`, muted: true });
  return { id: 'doc-family-feedback', heading: 'Family feedback, in their own words', blocks };
}

function extrasSections(extras: DocumentExtras): DocSection[] {
  return [
    ...(extras.actions ? [actionsSection(extras.actions)] : []),
    ...(extras.feedback ? [linkedFeedbackSection(extras.feedback)] : []),
    ...(extras.concerns ? [concernsSection(extras.concerns)] : []),
  ];
}

// ——— Collaborative case review ———

export interface ReviewDocumentInput {
  values: Values;
  meta: RecordMeta | null;
  /** The team of the child's social worker, from the directory. */
  teamName: string;
  /** Actions agreed as free text in the review's own document (before actions were tracked). */
  legacyActions: LegacyAction[];
  /** The recorded moderation; 'not-here' when recorded but not on this device; absent before it is recorded. */
  moderation?: RecordedModeration | 'not-here';
}

const gradeRows = [
  ...reviewDomains.map((d, i) => ({ field: domainGradeField(d.key) as string, label: `${i + 1}. ${d.label}` })),
  { field: 'overallGrade', label: 'Overall grade' },
];

export function reviewDocument(input: ReviewDocumentInput, extras: DocumentExtras = {}, context: DocumentContext = {}): DocumentModel {
  const { values, meta, teamName, legacyActions, moderation } = input;
  const v = (field: ReviewField) => values[field] ?? '';
  const agreed = moderation && moderation !== 'not-here' ? moderation.values : null;
  const changed = agreed ? gradeRows.filter((row) => (agreed[row.field] ?? '') !== (values[row.field] ?? '')) : [];

  const steps: DocField[] = [
    { label: 'Lead reviewer', value: meta?.authorName ?? '' },
    { label: 'Started', value: meta?.createdAt ? formatDateAndTime(meta.createdAt) : '' },
  ];
  if (meta && meta.status !== 'draft') steps.push({ label: 'Submitted for moderation', value: when(meta.completedAt, meta.authorName) });
  if (meta?.status === 'moderated' || meta?.status === 'closed') steps.push({ label: 'Moderated', value: when(meta.moderatedAt, meta.moderatedByName) });
  if (meta?.status === 'closed') steps.push({ label: 'Closed', value: when(meta.closedAt, meta.closedByName) });

  const gradeTable: DocBlock = {
    kind: 'table',
    name: 'Grades',
    caption: `The grade for each of the seven domains and the overall grade${agreed ? ', with the grades agreed at moderation' : ''}`,
    columns: ['Domain', 'Review’s grade', ...(agreed ? ['Agreed at moderation'] : [])],
    rows: gradeRows.map((row) => {
      const own = gradeLabel(values[row.field]);
      if (!agreed) return [row.label, own || 'Not graded'];
      const moderated = gradeLabel(agreed[row.field]) || 'Not graded';
      const note = changed.some((c) => c.field === row.field) ? ` (changed from ${own || 'no grade'})` : '';
      return [row.label, own || 'Not graded', `${moderated}${note}`];
    }),
  };

  const sections: DocSection[] = [
    { id: 'doc-about', heading: 'About this review', blocks: [fields(...steps)] },
    {
      id: 'doc-child',
      heading: 'The child',
      blocks: [
        fields(
          { label: reviewLabels.childId, value: v('childId') },
          { label: reviewLabels.childName, value: v('childName') },
          { label: reviewLabels.socialWorkerId, value: v('socialWorkerName') },
          { label: reviewLabels.teamManagerName, value: [v('teamManagerName'), teamName].filter(Boolean).join(', ') },
          { label: reviewLabels.levelOfNeed, value: v('levelOfNeed') ? labelOf(levelsOfNeed, v('levelOfNeed')) : '' },
        ),
      ],
    },
    {
      id: 'doc-review',
      heading: 'The review',
      blocks: [
        fields(
          long(reviewLabels.reviewers, v('reviewers')),
          { label: reviewLabels.reviewDate, value: date(v('reviewDate')) },
          { label: reviewLabels.location, value: v('location') },
          { label: 'How long the conversation took', value: minutes(v('conversationMinutes')) },
          long(reviewLabels.additionalWork, v('additionalWork')),
          { label: 'How long the additional work took', value: minutes(v('additionalWorkMinutes')) },
          long(reviewLabels.penPicture, v('penPicture')),
        ),
      ],
    },
    { id: 'doc-grades', heading: 'Grades', blocks: [gradeTable] },
    {
      id: 'doc-domains',
      heading: 'The seven domains',
      blocks: reviewDomains.flatMap((domain, index): DocBlock[] => [
        { kind: 'subheading', text: `${index + 1}. ${domain.label}` },
        fields(long('Evaluation', v(domainEvaluationField(domain.key))), { label: 'Grade', value: gradeLabel(v(domainGradeField(domain.key))) }),
      ]),
    },
    {
      id: 'doc-overall',
      heading: 'Overall',
      blocks: [
        fields(
          long(reviewLabels.overallEvaluation, v('overallEvaluation')),
          long(reviewLabels.wentWell, v('wentWell')),
          long(reviewLabels.needsToHappen, v('needsToHappen')),
          { label: reviewLabels.overallGrade, value: gradeLabel(v('overallGrade')) },
          long(reviewLabels.overallGradeRationale, v('overallGradeRationale')),
        ),
      ],
    },
  ];
  // Free-text actions exist only on reviews written before actions were tracked; newer ones have none.
  if (!extras.actions || legacyActions.length > 0)
    sections.push({
      id: 'doc-actions',
      heading: extras.actions ? 'Agreed in the review (before actions were tracked)' : 'Actions agreed',
      blocks:
        legacyActions.length === 0
          ? [{ kind: 'paragraph', text: 'No actions were agreed.', muted: true }]
          : [
              {
                kind: 'table',
                name: 'Actions',
                caption: 'Actions agreed: what needs to happen, who does it, and by when',
                columns: ['What needs to happen', 'Who', 'By when'],
                rows: legacyActions.map((a) => [a.what.trim(), a.who.trim(), date(a.byWhen)]),
              },
            ],
    });
  sections.push({
    id: 'doc-reflections',
    heading: reviewLabels.practitionerReflections,
    blocks: [v('practitionerReflections').trim() ? { kind: 'paragraph', text: v('practitionerReflections') } : { kind: 'paragraph', text: 'Not recorded', muted: true }],
  });
  if (moderation) {
    const blocks: DocBlock[] = [];
    if (moderation === 'not-here') {
      blocks.push({ kind: 'paragraph', text: 'The moderation is recorded, but it is not on this tablet yet. It arrives when the tablet next syncs.' });
    } else {
      const by =
        meta?.moderatedByName || meta?.moderatedAt ? `Recorded ${when(meta.moderatedAt, meta.moderatedByName)}.` : moderation.meta ? `Started by ${moderation.meta.authorName}.` : '';
      const outcome = changed.length === 0 ? 'Moderation agreed every grade.' : `Moderation changed ${changed.length === 1 ? 'one grade' : `${changed.length} grades`}: see the table of grades.`;
      blocks.push({ kind: 'paragraph', text: [by, outcome].filter(Boolean).join(' ') });
      blocks.push(
        fields(
          ...(changed.length > 0 ? [long(moderationLabels.gradeChangeReason, moderation.values.gradeChangeReason)] : []),
          long(moderationLabels.wentWell, moderation.values.wentWell),
          long(moderationLabels.needsToHappen, moderation.values.needsToHappen),
          long(moderationLabels.summary, moderation.values.summary),
        ),
      );
    }
    sections.push({ id: 'doc-moderation', heading: 'Moderation', blocks });
  }
  sections.push(...extrasSections(extras));

  const childId = v('childId');
  return frame('review', meta, childId, context, {
    summary: [
      { label: 'Child ID', value: childId },
      ...(v('childName').trim() ? [{ label: 'Child’s name', value: v('childName') }] : []),
      { label: 'About', value: [v('socialWorkerName'), teamName].filter(Boolean).join(', ') },
      { label: 'Written by', value: [meta?.authorName ?? '', v('reviewers').trim() ? 'with the reviewers listed below' : ''].filter(Boolean).join(', ') },
      { label: 'Written', value: [meta?.createdAt ? `Started ${formatDateAndTime(meta.createdAt)}` : '', meta?.completedAt ? `submitted ${formatDateAndTime(meta.completedAt)}` : ''].filter(Boolean).join('; ') },
    ],
    sections,
  });
}

// ——— Observation of practice ———

export interface DocumentReflection {
  text: string;
  byName: string;
  at: string;
}

export interface ObservationDocumentInput {
  values: Values;
  meta: RecordMeta | null;
  teamName: string;
  reflection: DocumentReflection | null;
}

const observationNarrative: ObservationField[] = ['strengths', 'areasForDevelopment', 'reflections', 'equalityDiversityIdentity', 'otherComments', 'practitionerResponse'];

function natureOf(values: Values): string {
  const nature = values.nature ?? '';
  if (!nature) return '';
  if (nature === 'other') return values.natureOther?.trim() ? `Other: ${values.natureOther.trim()}` : 'Other';
  if (nature === 'meeting') {
    const type = values.meetingType === 'other' ? values.meetingTypeOther?.trim() || 'another kind of meeting' : values.meetingType ? labelOf(meetingTypeOptions, values.meetingType) : '';
    return type ? `Meeting: ${type}` : 'Meeting';
  }
  return labelOf(natureOptions, nature);
}

export function observationDocument(input: ObservationDocumentInput, extras: DocumentExtras = {}, context: DocumentContext = {}): DocumentModel {
  const { values, meta, teamName, reflection } = input;
  const v = (field: ObservationField) => values[field] ?? '';
  const steps: DocField[] = [
    { label: 'Observer', value: meta?.authorName ?? '' },
    { label: 'Started', value: meta?.createdAt ? formatDateAndTime(meta.createdAt) : '' },
  ];
  if (meta && meta.status !== 'draft') steps.push({ label: 'Marked as complete', value: when(meta.completedAt, meta.authorName) });
  const sections: DocSection[] = [
    { id: 'doc-about', heading: 'About this observation', blocks: [fields(...steps)] },
    {
      id: 'doc-practice',
      heading: 'The practice observed',
      blocks: [
        fields(
          { label: observationLabels.practitionerId, value: v('practitionerName') },
          { label: observationLabels.teamId, value: teamName },
          { label: observationLabels.dateOfObservation, value: date(v('dateOfObservation')) },
          { label: observationLabels.childId, value: v('childId') },
          { label: observationLabels.levelOfNeed, value: v('levelOfNeed') ? labelOf(levelsOfNeed, v('levelOfNeed')) : '' },
          { label: observationLabels.nature, value: natureOf(values) },
        ),
      ],
    },
    { id: 'doc-findings', heading: 'What was observed', blocks: [fields(...observationNarrative.map((field) => long(observationLabels[field], v(field))))] },
    {
      id: 'doc-practitioner-reflection',
      heading: 'The practitioner’s reflection',
      blocks: [
        reflection
          ? { kind: 'quote', text: reflection.text, attribution: `${reflection.byName}, ${formatDateAndTime(reflection.at)}` }
          : { kind: 'paragraph', text: 'The practitioner has not added a reflection.', muted: true },
      ],
    },
    ...extrasSections(extras),
  ];
  const childId = v('childId');
  return frame('observation', meta, childId, context, {
    summary: [
      { label: 'Child ID', value: childId },
      { label: 'About', value: [v('practitionerName'), teamName].filter(Boolean).join(', ') },
      { label: 'Written by', value: meta?.authorName ?? '' },
      { label: 'Written', value: [v('dateOfObservation') ? `Observed ${formatDate(v('dateOfObservation'))}` : '', meta?.completedAt ? `completed ${formatDateAndTime(meta.completedAt)}` : ''].filter(Boolean).join('; ') },
    ],
    sections,
  });
}

// ——— Family feedback ———

export interface FeedbackDocumentInput {
  values: Values;
  meta: RecordMeta | null;
}

/** Said on the copy of feedback given without consent to its use. */
export const WITHOUT_CONSENT = 'Given WITHOUT CONSENT to its use: keep this copy to the child’s record; do not quote or share it.';

export function feedbackDocument(input: FeedbackDocumentInput, _extras: DocumentExtras = {}, context: DocumentContext = {}): DocumentModel {
  const { values, meta } = input;
  const v = (field: FeedbackField) => values[field] ?? '';
  const isChild = v('giver') === 'child';
  const consent = v('consent') === 'yes';
  const steps: DocField[] = [{ label: 'Recorded by', value: meta?.authorName ?? '' }];
  if (meta && meta.status !== 'draft') steps.push({ label: 'Finished', value: when(meta.completedAt, undefined) });
  const sections: DocSection[] = [
    {
      id: 'doc-about',
      heading: 'About this feedback',
      blocks: [
        fields(
          ...steps,
          { label: feedbackLabels.childId, value: v('childId') },
          { label: feedbackLabels.date, value: date(v('date')) },
          { label: feedbackLabels.giver, value: v('giver') ? labelOf(feedbackGivers, v('giver')) : '' },
          ...(isChild
            ? [
                { label: feedbackLabels.ageBand, value: v('ageBand') ? labelOf(ageBands, v('ageBand')) : '' },
                { label: feedbackLabels.seenAlone, value: v('seenAlone') ? labelOf(yesNo, v('seenAlone')) : '' },
              ]
            : [{ label: feedbackLabels.relationship, value: v('relationship') }]),
          { label: feedbackLabels.how, value: v('how') ? labelOf(feedbackWays, v('how')) : '' },
          { label: feedbackLabels.consent, value: consent ? 'Yes' : 'No' },
        ),
      ],
    },
    {
      id: 'doc-words',
      heading: 'In their own words',
      blocks: [
        fields(
          ...feedbackWords.slice(0, 3).map((field) => long(feedbackLabels[field], v(field))),
          { label: feedbackLabels.score, value: v('score') ? `${v('score')} out of 10` : '' },
          ...feedbackWords.slice(3).map((field) => long(feedbackLabels[field], v(field))),
        ),
      ],
    },
  ];
  const childId = v('childId');
  return frame('feedback', meta, childId, context, {
    summary: [
      { label: 'Child ID', value: childId },
      { label: 'Given by', value: v('giver') ? giverOf(values) : '' },
      { label: 'Written by', value: meta?.authorName ?? '' },
      { label: 'Written', value: [v('date') ? `Given ${formatDate(v('date'))}` : '', meta?.completedAt ? `finished ${formatDateAndTime(meta.completedAt)}` : ''].filter(Boolean).join('; ') },
    ],
    // Only a finished record lacks consent for good: a draft may still get it.
    ...(consent ? {} : { notice: WITHOUT_CONSENT }),
    sections,
  });
}

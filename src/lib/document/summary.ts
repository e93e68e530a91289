/**
 * A quarterly summary as a document (model.ts): the head of service's summary of QA activity for a service and
 * quarter (St Helens appendix 2) — the service, the period and the date, the activity table, the spread of
 * grades, what is working well, what we are worried about and what action is needed, then the reviews' and
 * families' words it was drafted from. The screen, the print view and the PDF all render this.
 */
import { recordKindLabels, type RecordMeta } from '../../../domain/records';
import { grades } from '../../../domain/review';
import { summaryLabels, summaryLayout, type SummaryDraft, type SummaryQuote } from '../../../domain/summary';
import { formatDate, formatDateAndTime } from '../format';
import { defaultOrganisation, NOT_RECORDED, type DocBlock, type DocSection, type DocumentModel } from './model';
import type { DocumentContext } from './records';

export interface SummaryDocumentInput {
  draft: SummaryDraft;
  values: Record<string, string>;
  meta: RecordMeta | null;
  /** Who submitted it, when it has been (from the list of summaries, the server's data). */
  submittedByName?: string | null;
}

const quoteBlocks = (quotes: SummaryQuote[], none: string): DocBlock[] =>
  quotes.length === 0
    ? [{ kind: 'paragraph', text: none, muted: true }]
    : quotes.map((q) => ({ kind: 'quote', text: q.text, attribution: [q.from, q.teamName, q.onDate ? formatDate(q.onDate) : ''].filter(Boolean).join(', ') }));

const safe = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();

export function summaryDocument(input: SummaryDocumentInput, context: DocumentContext = {}): DocumentModel {
  const { draft, values, meta } = input;
  const submitted = meta?.status === 'submitted';
  const sections: DocSection[] = [
    {
      id: 'summary-activity',
      heading: 'Quality assurance activity undertaken in the period',
      blocks: [
        {
          kind: 'table',
          name: 'activity',
          caption: `Activity in ${draft.serviceName}, ${draft.quarter.label}, against ${draft.previousLabel}`,
          columns: ['Activity', 'This quarter', 'The quarter before'],
          rows: draft.activity.map((a) => [a.label, String(a.count), String(a.previous)]),
        },
        {
          kind: 'table',
          name: 'grades',
          caption: 'Grades of the reviews submitted this quarter (as moderation agreed them, where moderated)',
          columns: ['Grade for', ...grades.map((g) => g.label)],
          rows: draft.grades.map((g) => [g.label, ...g.counts.map(String)]),
        },
      ],
    },
    ...summaryLayout.narrativeFields.map((field) => ({
      id: `summary-${field}`,
      heading: summaryLabels[field],
      blocks: [{ kind: 'fields' as const, fields: [{ label: summaryLabels[field], value: values[field]?.trim() ? values[field]! : NOT_RECORDED, long: true }] }],
    })),
    { id: 'summary-went-well', heading: 'From the reviews: what has gone well', blocks: quoteBlocks(draft.wentWell, 'No review this quarter said what has gone well.') },
    { id: 'summary-needs-to-happen', heading: 'From the reviews: what needs to happen', blocks: quoteBlocks(draft.needsToHappen, 'No review this quarter said what needs to happen.') },
    {
      id: 'summary-family-words',
      heading: 'Families’ words, given with their consent',
      blocks: [
        ...quoteBlocks(draft.familyWords, 'No family gave feedback with consent this quarter.'),
        ...(draft.feedbackLeftOut > 0
          ? [{ kind: 'paragraph' as const, text: `${draft.feedbackLeftOut} more gave feedback without consent to its use: their words are left out.`, muted: true }]
          : []),
      ],
    },
  ];
  return {
    organisation: context.organisation ?? defaultOrganisation,
    title: `${recordKindLabels.summary} of quality assurance`,
    final: submitted,
    statusLabel: submitted ? 'Submitted to the leadership team' : 'Being written',
    madeAt: (context.madeAt ?? new Date()).toISOString(),
    summary: [
      { label: 'Service', value: draft.serviceName },
      { label: 'QA period', value: draft.quarter.label },
      { label: 'Started', value: meta ? `${formatDateAndTime(meta.createdAt)}, by ${meta.authorName}` : NOT_RECORDED },
      {
        label: 'Date of summary',
        value: submitted && meta?.completedAt ? `Submitted ${formatDateAndTime(meta.completedAt)}${input.submittedByName ? `, by ${input.submittedByName}` : ''}` : 'Not yet submitted',
      },
      { label: 'Drafted from the data on', value: formatDateAndTime(draft.draftedAt) },
    ],
    sections,
    subject: `${draft.serviceName}, ${draft.quarter.label}`,
    fileName: `${safe(draft.serviceName)}_quarterly-summary_${draft.quarter.id}.pdf`,
  };
}

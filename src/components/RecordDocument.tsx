/**
 * A finished record read as a document: each field under its label with the person's words as they wrote
 * them (line breaks kept), "Not recorded" where a field was left empty, a review's grades in a table beside
 * the grades moderation agreed, and who did what, when. Not a disabled form: nothing here looks as if it
 * could be typed into, and a screen reader hears headings, a description list and a table.
 *
 * Pure: it shows the plain values it is given (`readValues` / `toRecord` of the record's document), and
 * knows nothing of how a field is edited or where the record is stored — so the print view and the PDF for
 * the child's file (issue 18) can show the same document.
 */
import { Fragment, type ReactNode } from 'react';
import { ageBands, feedbackGivers, feedbackLabels, feedbackWays, yesNo, type FeedbackField } from '../../domain/feedback';
import { moderationLabels } from '../../domain/moderation';
import { meetingTypeOptions, natureOptions, observationLabels, type ObservationField } from '../../domain/observation';
import { labelOf, levelsOfNeed } from '../../domain/options';
import type { RecordMeta } from '../../domain/records';
import { domainEvaluationField, domainGradeField, grades, reviewDomains, reviewLabels, type ReviewField } from '../../domain/review';
import { formatDate, formatDateAndTime } from '../lib/format';

type Values = Record<string, string>;

export const NOT_RECORDED = 'Not recorded';

/**
 * A person's words as written: a blank line starts a new paragraph, a single line break stays a line
 * break. Said plainly when there is nothing.
 */
export function DocumentText({ text, empty = NOT_RECORDED }: { text: string | undefined; empty?: string }) {
  if (!text?.trim()) return <p className="document-empty">{empty}</p>;
  const paragraphs = text.replace(/\r\n?/g, '\n').replace(/^\n+|\n+$/g, '').split(/\n[ \t]*\n/);
  return (
    <>
      {paragraphs.map((paragraph, p) => (
        <p key={p} className="document-text">
          {paragraph.split('\n').map((line, l) => (
            <Fragment key={l}>
              {l > 0 && <br />}
              {line}
            </Fragment>
          ))}
        </p>
      ))}
    </>
  );
}

export interface DocumentField {
  label: string;
  /** A short value, already worded for a person; '' when not recorded. */
  value?: string;
  /** Long narrative text, shown with its line breaks. */
  text?: string;
  /** Shown instead of the value, when the value needs more than words (a link, a list). */
  children?: ReactNode;
}

/** Fields under their labels, as a description list. */
export function DocumentFields({ fields }: { fields: DocumentField[] }) {
  return (
    <dl className="document-fields">
      {fields.map((field) => (
        <div key={field.label} className="document-field">
          <dt>{field.label}</dt>
          <dd>
            {field.children ??
              (field.text !== undefined ? (
                <DocumentText text={field.text} />
              ) : field.value?.trim() ? (
                field.value
              ) : (
                <span className="document-empty">{NOT_RECORDED}</span>
              ))}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** "14 Mar 2026 at 10:05, by Grace Okafor", or as much of it as is known. */
function when(at: string | undefined, by: string | undefined): string {
  const parts = [at ? formatDateAndTime(at) : 'When is not recorded', by ? `by ${by}` : ''].filter(Boolean);
  return parts.join(', ');
}

const minutes = (value: string | undefined) => (value?.trim() ? `${value.trim()} minutes` : '');
const gradeLabel = (value: string | undefined) => (value ? labelOf(grades, value) : '');

// ——— Collaborative case review ———

export interface ReviewAction {
  id: string;
  what: string;
  who: string;
  byWhen: string;
}

export interface RecordedModeration {
  values: Values;
  meta: RecordMeta | null;
}

interface ReviewDocumentProps {
  values: Values;
  meta: RecordMeta | null;
  /** The team of the child's social worker, from the directory. */
  teamName: string;
  actions: ReviewAction[];
  /**
   * The moderation, once it is recorded (the review is moderated or closed): its agreed grades go beside
   * the review's. 'not-here' when it is recorded but not on this device; absent before it is recorded.
   */
  moderation?: RecordedModeration | 'not-here' | undefined;
}

const gradeRows = [
  ...reviewDomains.map((d, i) => ({ field: domainGradeField(d.key), label: `${i + 1}. ${d.label}` })),
  { field: 'overallGrade' as const, label: 'Overall grade' },
];

export function ReviewDocument({ values, meta, teamName, actions, moderation }: ReviewDocumentProps) {
  const agreed = moderation && moderation !== 'not-here' ? moderation.values : null;
  const v = (field: ReviewField) => values[field] ?? '';
  const changed = agreed ? gradeRows.filter((row) => (agreed[row.field] ?? '') !== v(row.field)) : [];
  const steps: DocumentField[] = [
    { label: 'Lead reviewer', value: meta?.authorName ?? '' },
    { label: 'Started', value: meta?.createdAt ? formatDateAndTime(meta.createdAt) : '' },
  ];
  if (meta && meta.status !== 'draft') steps.push({ label: 'Submitted for moderation', value: when(meta.completedAt, meta.authorName) });
  if (meta?.status === 'moderated' || meta?.status === 'closed')
    steps.push({ label: 'Moderated', value: when(meta.moderatedAt, meta.moderatedByName) });
  if (meta?.status === 'closed') steps.push({ label: 'Closed', value: when(meta.closedAt, meta.closedByName) });

  return (
    <article className="record-document" aria-label="The review as written">
      <section aria-labelledby="doc-about">
        <h2 id="doc-about">About this review</h2>
        <DocumentFields fields={steps} />
      </section>

      <section aria-labelledby="doc-child">
        <h2 id="doc-child">The child</h2>
        <DocumentFields
          fields={[
            { label: reviewLabels.childId, value: v('childId') },
            { label: reviewLabels.childName, value: v('childName') },
            { label: reviewLabels.socialWorkerId, value: v('socialWorkerName') },
            { label: reviewLabels.teamManagerName, value: [v('teamManagerName'), teamName].filter(Boolean).join(', ') },
            { label: reviewLabels.levelOfNeed, value: v('levelOfNeed') ? labelOf(levelsOfNeed, v('levelOfNeed')) : '' },
          ]}
        />
      </section>

      <section aria-labelledby="doc-review">
        <h2 id="doc-review">The review</h2>
        <DocumentFields
          fields={[
            { label: reviewLabels.reviewers, text: v('reviewers') },
            { label: reviewLabels.reviewDate, value: v('reviewDate') ? formatDate(v('reviewDate')) : '' },
            { label: reviewLabels.location, value: v('location') },
            { label: 'How long the conversation took', value: minutes(v('conversationMinutes')) },
            { label: reviewLabels.additionalWork, text: v('additionalWork') },
            { label: 'How long the additional work took', value: minutes(v('additionalWorkMinutes')) },
            { label: reviewLabels.penPicture, text: v('penPicture') },
          ]}
        />
      </section>

      <section aria-labelledby="doc-grades">
        <h2 id="doc-grades">Grades</h2>
        {/* Scrolls sideways on its own if a narrow screen cannot fit it: reachable by keyboard to scroll. */}
        <div className="table-scroll" role="region" aria-label="Grades table" tabIndex={0}>
          <table className="document-table grades-table">
            <caption className="visually-hidden">The grade for each of the seven domains and the overall grade{agreed ? ', with the grades agreed at moderation' : ''}</caption>
            <thead>
              <tr>
                <th scope="col">Domain</th>
                <th scope="col">Review’s grade</th>
                {agreed && <th scope="col">Agreed at moderation</th>}
              </tr>
            </thead>
            <tbody>
              {gradeRows.map((row) => {
                const own = gradeLabel(v(row.field));
                const moderated = agreed ? gradeLabel(agreed[row.field]) : '';
                return (
                  <tr key={row.field}>
                    <th scope="row">{row.label}</th>
                    <td>{own || <span className="document-empty">Not graded</span>}</td>
                    {agreed && (
                      <td>
                        {moderated || <span className="document-empty">Not graded</span>}
                        {changed.some((c) => c.field === row.field) && <span className="grade-changed"> (changed from {own || 'no grade'})</span>}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="doc-domains">
        <h2 id="doc-domains">The seven domains</h2>
        {reviewDomains.map((domain, index) => (
          <section key={domain.key} className="document-domain" aria-labelledby={`doc-domain-${domain.key}`}>
            <h3 id={`doc-domain-${domain.key}`}>
              {index + 1}. {domain.label}
            </h3>
            <DocumentFields
              fields={[
                { label: 'Evaluation', text: v(domainEvaluationField(domain.key)) },
                { label: 'Grade', value: gradeLabel(v(domainGradeField(domain.key))) },
              ]}
            />
          </section>
        ))}
      </section>

      <section aria-labelledby="doc-overall">
        <h2 id="doc-overall">Overall</h2>
        <DocumentFields
          fields={[
            { label: reviewLabels.overallEvaluation, text: v('overallEvaluation') },
            { label: reviewLabels.wentWell, text: v('wentWell') },
            { label: reviewLabels.needsToHappen, text: v('needsToHappen') },
            { label: reviewLabels.overallGrade, value: gradeLabel(v('overallGrade')) },
            { label: reviewLabels.overallGradeRationale, text: v('overallGradeRationale') },
          ]}
        />
      </section>

      <section aria-labelledby="doc-actions">
        <h2 id="doc-actions">Actions agreed</h2>
        {actions.length === 0 ? (
          <p className="document-empty">No actions were agreed.</p>
        ) : (
          <div className="table-scroll" role="region" aria-label="Actions table" tabIndex={0}>
            <table className="document-table">
              <caption className="visually-hidden">Actions agreed: what needs to happen, who does it, and by when</caption>
              <thead>
                <tr>
                  <th scope="col">What needs to happen</th>
                  <th scope="col">Who</th>
                  <th scope="col">By when</th>
                </tr>
              </thead>
              <tbody>
                {actions.map((action) => (
                  <tr key={action.id}>
                    <td>{action.what.trim() || <span className="document-empty">{NOT_RECORDED}</span>}</td>
                    <td>{action.who.trim() || <span className="document-empty">{NOT_RECORDED}</span>}</td>
                    <td>{action.byWhen ? formatDate(action.byWhen) : <span className="document-empty">{NOT_RECORDED}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="doc-reflections">
        <h2 id="doc-reflections">{reviewLabels.practitionerReflections}</h2>
        <DocumentText text={v('practitionerReflections')} />
      </section>

      {moderation && (
        <section aria-labelledby="doc-moderation">
          <h2 id="doc-moderation">Moderation</h2>
          {moderation === 'not-here' ? (
            <p>The moderation is recorded, but it is not on this tablet yet. It arrives when the tablet next syncs.</p>
          ) : (
            <>
              <p>
                {meta?.moderatedByName || meta?.moderatedAt
                  ? `Recorded ${when(meta.moderatedAt, meta.moderatedByName)}.`
                  : moderation.meta
                    ? `Started by ${moderation.meta.authorName}.`
                    : ''}{' '}
                {changed.length === 0 ? 'Moderation agreed every grade.' : `Moderation changed ${changed.length === 1 ? 'one grade' : `${changed.length} grades`}: see the table of grades.`}
              </p>
              <DocumentFields
                fields={[
                  ...(changed.length > 0 ? [{ label: moderationLabels.gradeChangeReason, text: moderation.values.gradeChangeReason ?? '' }] : []),
                  { label: moderationLabels.wentWell, text: moderation.values.wentWell ?? '' },
                  { label: moderationLabels.needsToHappen, text: moderation.values.needsToHappen ?? '' },
                  { label: moderationLabels.summary, text: moderation.values.summary ?? '' },
                ]}
              />
            </>
          )}
        </section>
      )}
    </article>
  );
}

// ——— Observation of practice ———

export interface DocumentReflection {
  text: string;
  byName: string;
  at: string;
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

export function ObservationDocument({ values, meta, teamName, reflection }: { values: Values; meta: RecordMeta | null; teamName: string; reflection: DocumentReflection | null }) {
  const v = (field: ObservationField) => values[field] ?? '';
  const steps: DocumentField[] = [
    { label: 'Observer', value: meta?.authorName ?? '' },
    { label: 'Started', value: meta?.createdAt ? formatDateAndTime(meta.createdAt) : '' },
  ];
  if (meta && meta.status !== 'draft') steps.push({ label: 'Marked as complete', value: when(meta.completedAt, meta.authorName) });
  return (
    <article className="record-document" aria-label="The observation as written">
      <section aria-labelledby="doc-about">
        <h2 id="doc-about">About this observation</h2>
        <DocumentFields fields={steps} />
      </section>
      <section aria-labelledby="doc-practice">
        <h2 id="doc-practice">The practice observed</h2>
        <DocumentFields
          fields={[
            { label: observationLabels.practitionerId, value: v('practitionerName') },
            { label: observationLabels.teamId, value: teamName },
            { label: observationLabels.dateOfObservation, value: v('dateOfObservation') ? formatDate(v('dateOfObservation')) : '' },
            { label: observationLabels.childId, value: v('childId') },
            { label: observationLabels.levelOfNeed, value: v('levelOfNeed') ? labelOf(levelsOfNeed, v('levelOfNeed')) : '' },
            { label: observationLabels.nature, value: natureOf(values) },
          ]}
        />
      </section>
      <section aria-labelledby="doc-findings">
        <h2 id="doc-findings">What was observed</h2>
        <DocumentFields fields={observationNarrative.map((field) => ({ label: observationLabels[field], text: v(field) }))} />
      </section>
      <section aria-labelledby="doc-practitioner-reflection">
        <h2 id="doc-practitioner-reflection">The practitioner’s reflection</h2>
        {reflection ? (
          <blockquote className="reflection-text">
            <DocumentText text={reflection.text} />
            <footer>
              {reflection.byName}, {formatDateAndTime(reflection.at)}
            </footer>
          </blockquote>
        ) : (
          <p className="document-empty">The practitioner has not added a reflection.</p>
        )}
      </section>
    </article>
  );
}

// ——— Family feedback ———

const feedbackWords: FeedbackField[] = ['workingWell', 'worried', 'needsToHappen', 'goneWell', 'couldBeBetter', 'anythingElse'];

export function FeedbackDocument({ values, meta }: { values: Values; meta: RecordMeta | null }) {
  const v = (field: FeedbackField) => values[field] ?? '';
  const isChild = v('giver') === 'child';
  const steps: DocumentField[] = [{ label: 'Recorded by', value: meta?.authorName ?? '' }];
  if (meta && meta.status !== 'draft') steps.push({ label: 'Finished', value: when(meta.completedAt, undefined) });
  return (
    <article className="record-document" aria-label="The feedback as given">
      <section aria-labelledby="doc-about">
        <h2 id="doc-about">About this feedback</h2>
        <DocumentFields
          fields={[
            ...steps,
            { label: feedbackLabels.childId, value: v('childId') },
            { label: feedbackLabels.date, value: v('date') ? formatDate(v('date')) : '' },
            { label: feedbackLabels.giver, value: v('giver') ? labelOf(feedbackGivers, v('giver')) : '' },
            ...(isChild
              ? [
                  { label: feedbackLabels.ageBand, value: v('ageBand') ? labelOf(ageBands, v('ageBand')) : '' },
                  { label: feedbackLabels.seenAlone, value: v('seenAlone') ? labelOf(yesNo, v('seenAlone')) : '' },
                ]
              : [{ label: feedbackLabels.relationship, value: v('relationship') }]),
            { label: feedbackLabels.how, value: v('how') ? labelOf(feedbackWays, v('how')) : '' },
            { label: feedbackLabels.consent, value: v('consent') === 'yes' ? 'Yes' : 'No' },
          ]}
        />
      </section>
      <section aria-labelledby="doc-words">
        <h2 id="doc-words">In their own words</h2>
        <DocumentFields
          fields={[
            ...feedbackWords.slice(0, 3).map((field) => ({ label: feedbackLabels[field], text: v(field) })),
            { label: feedbackLabels.score, value: v('score') ? `${v('score')} out of 10` : '' },
            ...feedbackWords.slice(3).map((field) => ({ label: feedbackLabels[field], text: v(field) })),
          ]}
        />
      </section>
    </article>
  );
}

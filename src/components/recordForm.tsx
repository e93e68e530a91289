/**
 * What every record's form shares. The record's Yjs document is the truth: each change goes straight into
 * it (and so to IndexedDB) as the person types — there is no Save button. react-hook-form holds what the
 * inputs show and runs the kind's strict zod check when the record leaves the draft state ("Mark as
 * complete", "Submit for moderation"), putting each problem beside its field. Leaving the draft is a
 * command: queued in the outbox, applied by the server, locked meanwhile.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useEffect, useState, useSyncExternalStore, type ChangeEvent, type MouseEvent } from 'react';
import { useForm, type FieldErrors, type Path, type Resolver } from 'react-hook-form';
import { Link } from 'react-router';
import type { z } from 'zod';
import { formLayouts } from '../../domain/kinds';
import { recordDocName, recordStatusLabels, type RecordKind } from '../../domain/records';
import type { RecordHandle } from '../data/docs/openRecord';
import { dismissCommand, enqueueCommand, useRecordCommands } from '../data/outbox';
import { useRecordSummary } from '../data/records';
import { formatDateTime } from '../lib/format';
import { paths } from '../lib/routes';

type Values = Record<string, string>;

/** A form bound to a record's document: inputs follow changes made elsewhere, and write every change. */
export function useRecordForm<V extends Values>(handle: RecordHandle, strictSchema: z.ZodType, fields: readonly (keyof V & string)[]) {
  // The strict schema's input is narrower than the form's all-strings values; it validates them as they are.
  const form = useForm<V>({
    defaultValues: handle.values() as never,
    resolver: zodResolver(strictSchema as never) as unknown as Resolver<V>,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const [meta, setMeta] = useState(() => handle.meta());
  const [contested, setContested] = useState(() => handle.contested());

  // Changes that arrive from elsewhere (another tab, another device) update the inputs. Narrative fields
  // are edited in their own editors, straight into the document, so the form's copy of them (which the
  // strict check reads) follows every change, this person's typing included.
  const narrative = formLayouts[handle.kind].narrativeFields as readonly string[];
  useEffect(
    () =>
      handle.subscribe((source) => {
        setMeta(handle.meta());
        setContested(handle.contested());
        const values = handle.values();
        for (const name of source === 'this-device' ? fields.filter((f) => narrative.includes(f)) : fields) {
          const path = name as Path<V>;
          if (form.getValues(path) !== values[name]) form.setValue(path, (values[name] ?? '') as never, { shouldValidate: form.formState.isSubmitted });
        }
      }),
    [handle, form, fields, narrative],
  );

  /** register() for a field, writing every change into the record's document as it happens. */
  const bind = (name: keyof V & string) =>
    form.register(name as Path<V>, { onChange: (event: ChangeEvent<HTMLInputElement>) => handle.setField(name, event.target.value) });

  return { form, meta, contested, bind };
}

/**
 * Where the record is in its life on this device: its status, whether this person may change it, and
 * the command that moves it out of the draft state if one is waiting or was refused.
 */
export function useRecordWorkflow(handle: RecordHandle, userId: string, metaStatus: string | undefined) {
  const summary = useRecordSummary(userId, handle.id);
  const changedHereAt = useSyncExternalStore(
    useCallback((onChange: () => void) => handle.subscribe(onChange), [handle]),
    () => handle.changedHereAt(),
  );
  const recordName = recordDocName(handle.kind, handle.id);
  const commands = useRecordCommands(userId, recordName);
  const leaving = commands?.find((c) => c.command.type === 'complete' || c.command.type === 'submit');
  const status = metaStatus && metaStatus !== 'draft' ? metaStatus : (summary?.status ?? metaStatus ?? 'draft');
  const isDraft = status === 'draft';
  const isAuthor = (handle.meta()?.authorId ?? userId) === userId;
  const canWrite = summary?.access !== 'read' && summary?.access !== 'none';
  return {
    summary,
    /**
     * Whether some of it is not yet on the server. The index row says so a moment after each change (its
     * write is not awaited by the typing), so a change made here that the row does not count yet counts
     * too: "Sent" is never shown for an edit the server has not acknowledged.
     */
    unsent: summary?.unsynced !== 0 || (changedHereAt !== null && summary.updatedAt < changedHereAt),
    recordName,
    status,
    isDraft,
    isAuthor,
    leaving,
    /** Read-only when past the draft, when the server lets this person only read it, and while leaving the draft waits to be sent. */
    readOnly: !isDraft || !canWrite || leaving?.state === 'pending',
    /** Queues the command that moves the record on (complete an observation, submit a review). */
    leaveDraft: () =>
      enqueueCommand(userId, { type: handle.kind === 'review' || handle.kind === 'summary' ? 'submit' : 'complete', record: recordName, stateVector: handle.stateVector() }),
  };
}

const leaveWords: Record<Exclude<RecordKind, 'moderation'>, { done: string; what: string; heading: string }> = {
  feedback: { done: 'Finished on this tablet. It will be marked finished', what: 'feedback', heading: 'The server did not accept this feedback as finished' },
  observation: { done: 'Marked as complete on this tablet. It will be completed', what: 'observation', heading: 'The server did not complete this observation' },
  review: { done: 'Submitted on this tablet. It will be submitted for moderation', what: 'review', heading: 'The server did not submit this review' },
  summary: { done: 'Submitted on this tablet. It will be submitted to the leadership team', what: 'summary', heading: 'The server did not submit this summary' },
};

/** What the person needs to know about the record's state: read-only, waiting to be sent, or refused. */
export function WorkflowNotices({
  kind,
  userId,
  workflow,
  labelOf,
}: {
  kind: Exclude<RecordKind, 'moderation'>;
  userId: string;
  workflow: ReturnType<typeof useRecordWorkflow>;
  labelOf: (field: string) => string;
}) {
  const { summary, isDraft, leaving, unsent } = workflow;
  const words = leaveWords[kind];
  return (
    <>
      {isDraft && summary?.access === 'read' && (
        <p className="alert alert--info" role="status">
          You can read this {words.what} but not change it.
        </p>
      )}
      {summary?.access === 'none' && (
        <p className="alert alert--warning" role="status">
          You no longer have access to this {words.what}. {unsent ? 'Your changes that were not sent stay on this tablet.' : ''}
        </p>
      )}
      {isDraft && leaving?.state === 'pending' && (
        <div className="alert alert--info" role="status">
          <p>{words.done} when it reaches the server, and cannot be changed meanwhile.</p>
          <button type="button" className="button" onClick={() => void dismissCommand(userId, leaving.id)}>
            Keep it as a draft instead
          </button>
        </div>
      )}
      {isDraft && leaving?.state === 'rejected' && leaving.outcome?.status === 'rejected' && (
        <div className="alert alert--error" role="alert">
          <h2>{words.heading}</h2>
          <p>{leaving.outcome.message}</p>
          {leaving.outcome.problems && (
            <ul>
              {leaving.outcome.problems.map((p) => (
                <li key={p.field}>
                  {labelOf(p.field)}: {p.message}
                </li>
              ))}
            </ul>
          )}
          <button type="button" className="button" onClick={() => void dismissCommand(userId, leaving.id)}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );
}

/** The record's state and whether it is sent, at the top of the form. */
/** The top of a record's page, draft or finished: the way back, the form's name, and where the record stands. */
export function RecordPageTop({ title, workflow, completedAt }: { title: string; workflow: ReturnType<typeof useRecordWorkflow>; completedAt?: string | undefined }) {
  return (
    <>
      <p>
        <Link to={paths.myRecords}>Back to my records</Link>
      </p>
      <h1>{title}</h1>
      <RecordStatusPanel workflow={workflow} completedAt={completedAt} />
    </>
  );
}

export function RecordStatusPanel({ workflow, completedAt }: { workflow: ReturnType<typeof useRecordWorkflow>; completedAt?: string | undefined }) {
  const { status, unsent } = workflow;
  const label = recordStatusLabels[status as keyof typeof recordStatusLabels] ?? status;
  return (
    <div className="record-status" data-testid="record-status">
      <span className={`badge badge--${status === 'draft' ? 'draft' : 'complete'}`}>{label}</span>{' '}
      {status !== 'draft' && completedAt ? `${status === 'complete' ? 'Marked as complete' : 'Submitted'} ${formatDateTime(completedAt)}. ` : ''}
      <span className={unsent ? 'sent-state--pending' : 'sent-state--sent'}>{unsent ? 'Saved on this tablet — not yet sent.' : 'Sent — stored on the server.'}</span>
    </div>
  );
}

/** The control a field's problem is about: its input (the first of a radio group), or what marks itself as the field. */
function fieldControl(name: string): HTMLElement | null {
  const escaped = name.replace(/["\\]/g, '\\$&');
  return document.querySelector<HTMLElement>(`[name="${escaped}"]`) ?? document.querySelector<HTMLElement>(`[data-field="${escaped}"]`);
}

/** Fields in the order they appear on the page (those not on the page last, in the order given). */
function inPageOrder(names: readonly string[]): string[] {
  const placed = names.map((name, index) => ({ name, index, element: fieldControl(name) }));
  return placed
    .sort((a, b) => {
      if (a.element && b.element) return a.element.compareDocumentPosition(b.element) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
      if (a.element || b.element) return a.element ? -1 : 1;
      return a.index - b.index;
    })
    .map((p) => p.name);
}

/**
 * Every problem found by the strict check, listed at the top in page order (each is also shown beside its
 * field). Each is a link that moves the focus to its field, so a keyboard or screen-reader user goes
 * straight to what needs putting right.
 */
export function ErrorSummary<V extends Values>({
  heading,
  errors,
  fields,
  labelOf,
}: {
  heading: string;
  errors: FieldErrors<V>;
  fields: readonly (keyof V & string)[];
  labelOf: (field: string) => string;
}) {
  const messageOf = (name: string) => (errors as Record<string, { message?: string } | undefined>)[name]?.message;
  // The fields are on the page by the time the summary shows (after a submit), so their order can be read.
  const problems = inPageOrder(fields.filter((name) => messageOf(name)));
  const goTo = (event: MouseEvent<HTMLAnchorElement>, name: string) => {
    const control = fieldControl(name);
    if (!control) return;
    event.preventDefault();
    control.focus();
  };
  return (
    <div className="alert alert--error error-summary" role="alert" tabIndex={-1}>
      <h2>{heading}</h2>
      <p>
        {problems.length === 1 ? 'There is 1 thing to put right' : `There are ${problems.length} things to put right`}, shown beside each field:
      </p>
      <ul>
        {problems.map((name) => (
          <li key={name}>
            <a href={`#${fieldControl(name)?.id ?? ''}`} onClick={(event) => goTo(event, name)}>
              {labelOf(name)}: {messageOf(name)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The two pages every kind of record has: starting a new one on this device (works offline), and opening
 * one — from this device, or fetched from the server the first time it is reached by a link.
 */
import { Fragment, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { recordKindLabels, type RecordKind } from '../../domain/records';
import type { Person } from '../../domain/directory';
import { type CachedDirectory, useCachedDirectory } from '../data/directory';
import { createRecord, type RecordHandle } from '../data/docs/openRecord';
import { useRecord } from '../data/docs/useRecord';
import { useSignedIn } from '../data/sessionContext';
import { paths } from '../lib/routes';
import { Loading } from './Loading';

const lower = (kind: RecordKind) => recordKindLabels[kind].toLowerCase();

export function NewRecordPage({
  kind,
  initialValues,
  afterCreate,
}: {
  kind: RecordKind;
  initialValues: () => Record<string, string>;
  /** Runs once the record exists on the device (e.g. to queue a command about it). */
  afterCreate?: (id: string) => Promise<unknown>;
}) {
  const { user } = useSignedIn();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    // Create exactly one record even if React runs this effect twice.
    if (started.current) return;
    started.current = true;
    createRecord(user.id, user, kind, initialValues()).then(
      async (id) => {
        await afterCreate?.(id);
        navigate(paths.record(kind, id), { replace: true });
      },
      () => setFailure(`A new ${lower(kind)} could not be started on this tablet. Its storage may be full.`),
    );
  }, [user, navigate, kind, initialValues, afterCreate]);

  return (
    <main id="main" className="page">
      {failure ? (
        <div className="alert alert--error" role="alert">
          {failure}
        </div>
      ) : (
        <p role="status">Starting a new {lower(kind)}…</p>
      )}
    </main>
  );
}

export interface RecordFormProps {
  handle: RecordHandle;
  directory: CachedDirectory;
  /** The signed-in person. */
  observer: Person;
}

/** Opens the record named in the URL and shows it with `render` once it is here. */
export function OpenRecordPage({ kind, render }: { kind: RecordKind; render: (props: RecordFormProps) => ReactNode }) {
  const { id = '' } = useParams();
  const { user } = useSignedIn();
  const record = useRecord(user.id, kind, id);
  const directory = useCachedDirectory(user.id);

  if (record.state === 'loading' || directory === undefined) return <Loading message={`Opening the ${lower(kind)}…`} />;
  if (record.state === 'fetching') return <Loading message={`This ${lower(kind)} is not on this tablet yet: fetching it from the server…`} />;
  if (record.state === 'missing')
    return (
      <main id="main" className="page">
        <h1>Record not found</h1>
        <p>This {lower(kind)} is not on this tablet. It may belong to someone else, or not have reached this tablet yet.</p>
        <Link to={paths.myRecords}>Back to my records</Link>
      </main>
    );
  return <Fragment key={record.handle.id}>{render({ handle: record.handle, directory, observer: user })}</Fragment>;
}

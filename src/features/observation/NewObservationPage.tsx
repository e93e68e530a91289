/** Starts a new observation of practice on this device and opens it. Works offline. */
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { createRecord } from '../../data/docs/openRecord';
import { useSignedIn } from '../../data/sessionContext';
import { todayIsoDate } from '../../lib/format';
import { paths } from '../../lib/routes';

export function NewObservationPage() {
  const { user } = useSignedIn();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    // Create exactly one record even if React runs this effect twice.
    if (started.current) return;
    started.current = true;
    createRecord(user.id, user, 'observation', { dateOfObservation: todayIsoDate() }).then(
      (id) => navigate(paths.record('observation', id), { replace: true }),
      () => setFailure('A new observation could not be started on this tablet. Its storage may be full.'),
    );
  }, [user, navigate]);

  return (
    <main id="main" className="page">
      {failure ? (
        <div className="alert alert--error" role="alert">
          {failure}
        </div>
      ) : (
        <p role="status">Starting a new observation of practice…</p>
      )}
    </main>
  );
}

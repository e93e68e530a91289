/** Opens one observation of practice from this device and shows its form. */
import { Link, useParams } from 'react-router';
import { Loading } from '../../components/Loading';
import { useRecord } from '../../data/docs/useRecord';
import { useCachedDirectory } from '../../data/directory';
import { useSignedIn } from '../../data/sessionContext';
import { paths } from '../../lib/routes';
import { ObservationForm } from './ObservationForm';

export function ObservationPage() {
  const { id = '' } = useParams();
  const { user } = useSignedIn();
  const record = useRecord(user.id, 'observation', id);
  const directory = useCachedDirectory(user.id);

  if (record.state === 'loading' || directory === undefined) return <Loading message="Opening the observation…" />;
  if (record.state === 'fetching') return <Loading message="This observation is not on this tablet yet: fetching it from the server…" />;
  if (record.state === 'missing')
    return (
      <main id="main" className="page">
        <h1>Record not found</h1>
        <p>This observation is not on this tablet. It may belong to someone else, or not have reached this tablet yet.</p>
        <Link to={paths.home}>Back to my records</Link>
      </main>
    );
  return <ObservationForm key={record.handle.id} handle={record.handle} directory={directory} observer={user} />;
}

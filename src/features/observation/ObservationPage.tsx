/** Opens one observation of practice and shows its form. */
import { OpenRecordPage } from '../../components/recordPages';
import { ObservationForm } from './ObservationForm';

export function ObservationPage() {
  return <OpenRecordPage kind="observation" render={(props) => <ObservationForm {...props} />} />;
}

/** Starts a new observation of practice on this device, dated today, and opens it. Works offline. */
import { NewRecordPage } from '../../components/recordPages';
import { todayIsoDate } from '../../lib/format';

const initialValues = () => ({ dateOfObservation: todayIsoDate() });

export function NewObservationPage() {
  return <NewRecordPage kind="observation" initialValues={initialValues} />;
}

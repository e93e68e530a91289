/** Starts a new collaborative case review on this device, dated today, and opens it. Works offline. */
import { NewRecordPage } from '../../components/recordPages';
import { todayIsoDate } from '../../lib/format';

const initialValues = () => ({ reviewDate: todayIsoDate() });

export function NewReviewPage() {
  return <NewRecordPage kind="review" initialValues={initialValues} />;
}

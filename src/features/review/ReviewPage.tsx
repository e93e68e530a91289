/** Opens one collaborative case review and shows it. */
import { OpenRecordPage } from '../../components/recordPages';
import { ReviewForm } from './ReviewForm';

export function ReviewPage() {
  return <OpenRecordPage kind="review" render={(props) => <ReviewForm {...props} />} />;
}

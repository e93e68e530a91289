/**
 * One record in a list (My records, a child's page): what it is, where it is in its life, and the facts
 * that tell it apart, as one link that opens it. Reads the index row only.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { feedbackGivers } from '../../domain/feedback';
import { labelOf } from '../../domain/options';
import { recordKindLabels, recordStatusLabels, type RecordSummary } from '../../domain/records';
import { formatDate } from '../lib/format';
import { paths } from '../lib/routes';
import type { VirtualRowProps } from './VirtualList';

/** `showChildId`: false where the list is already one child's. */
/** `children`: what may be done with it besides opening it (discarding a draft), after the link. */
/** `item`: where a long list (VirtualList) places the row and what it says of its position. */
export function RecordRow({ record, showChildId = true, children, item }: { record: RecordSummary; showChildId?: boolean; children?: ReactNode; item?: VirtualRowProps }) {
  return (
    <li className="record-row" {...item}>
      <Link to={paths.record(record.kind, record.id)} className="record-link">
        <span className="record-title">
          {recordKindLabels[record.kind]}
          <span className={`badge badge--${record.status}`}>{recordStatusLabels[record.status]}</span>
        </span>
        <span className="record-details">
          {showChildId && (
            <span>
              <span className="label">Child ID</span> {record.childId || 'not recorded yet'}
              {record.childName && ` (${record.childName})`}
            </span>
          )}
          {/* Family feedback is about the family's view, not a practitioner: say who gave it and their score. */}
          {record.kind === 'feedback' ? (
            <>
              <span>
                <span className="label">Given by</span> {record.givenBy ? labelOf(feedbackGivers, record.givenBy) : 'not recorded yet'}
              </span>
              {record.score && (
                <span>
                  <span className="label">Score</span> {record.score} out of 10
                </span>
              )}
            </>
          ) : (
            <span>
              <span className="label">Practitioner</span> {record.practitionerName || 'not chosen yet'}
            </span>
          )}
          <span>
            <span className="label">Date</span> {record.date ? formatDate(record.date) : 'not recorded yet'}
          </span>
        </span>
        <span className={`sent-state ${record.unsynced ? 'sent-state--pending' : 'sent-state--sent'}`}>
          {record.unsynced ? 'Saved on this tablet — not yet sent' : 'Sent'}
        </span>
      </Link>
      {children}
    </li>
  );
}

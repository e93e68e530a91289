/**
 * Notifications: immediate concerns raised and resolved, changed grades, actions — newest first, unread
 * marked. Immediate concerns and their escalation are urgent: each has its own heading ("Immediate
 * concern", "Escalated: immediate concern unanswered"), a warning sign and a heavier red frame, so they
 * stand apart from routine notices for a screen reader as much as to the eye.
 */
import { Link } from 'react-router';
import { isUrgentNotification } from '../../../domain/concerns';
import { parseRecordDocName } from '../../../domain/records';
import { UnreachableError } from '../../data/api';
import { useMarkNotificationsRead, useNotifications } from '../../data/notifications';
import { useSignedIn } from '../../data/sessionContext';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../lib/routes';

export function NotificationsPage() {
  const { user } = useSignedIn();
  const notifications = useNotifications(user.id);
  const markRead = useMarkNotificationsRead(user.id);
  const list = notifications.data;

  return (
    <main id="main" className="page">
      <div className="page-heading">
        <h1>Notifications</h1>
        {list && list.unread > 0 && (
          <button type="button" className="button" onClick={() => markRead.mutate(undefined)} disabled={markRead.isPending}>
            Mark all as read
          </button>
        )}
      </div>
      {!list ? (
        notifications.isError ? (
          <p className="alert alert--error">
            {notifications.error instanceof UnreachableError ? 'Notifications need a connection. They will appear when this tablet is online.' : notifications.error.message}
          </p>
        ) : (
          <p role="status">Loading notifications…</p>
        )
      ) : list.notifications.length === 0 ? (
        <p className="empty">You have no notifications.</p>
      ) : (
        <>
          <p role="status" className="result-count">
            {list.unread === 0 ? 'All read.' : `${list.unread} unread${list.urgent > 0 ? `, ${list.urgent} of them urgent` : ''}.`}
          </p>
          <ul className="notification-list" aria-label="Notifications">
            {list.notifications.map((n) => {
              const record = parseRecordDocName(n.record);
              const urgent = isUrgentNotification(n.kind);
              return (
                <li key={n.id} className={`notification${n.read ? '' : ' notification--unread'}${urgent ? ' notification--urgent' : ''}`}>
                  {urgent && (
                    <h2>
                      <span aria-hidden="true">⚠ </span>
                      {n.kind === 'concern-escalated' ? 'Escalated: immediate concern unanswered' : 'Immediate concern'}
                    </h2>
                  )}
                  <p>
                    {!n.read && <strong>New: </strong>}
                    {n.text}
                  </p>
                  <p className="hint">
                    {formatDateTime(n.at)}
                    {/* An action's owner may not be able to read the record it was raised on: their way in is the action list. */}
                    {(n.kind.startsWith('action-') || n.kind === 'follow-up') && (
                      <>
                        {' · '}
                        <Link to={paths.actions} onClick={() => !n.read && markRead.mutate([n.id])}>
                          Open actions
                        </Link>
                      </>
                    )}
                    {n.kind === 'assigned' && (
                      <>
                        {' · '}
                        <Link to={paths.todo} onClick={() => !n.read && markRead.mutate([n.id])}>
                          Open To do
                        </Link>
                      </>
                    )}
                    {record && (
                      <>
                        {' · '}
                        <Link to={paths.record(record.kind, record.id)} onClick={() => !n.read && markRead.mutate([n.id])}>
                          Open the record
                        </Link>
                      </>
                    )}
                  </p>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </main>
  );
}

/** The frame around every signed-in screen: header, status bar, update offer, storage warnings. */
import { Suspense } from 'react';
import { Link, Navigate, Outlet } from 'react-router';
import { auditRoles, roleLabels } from '../../domain/directory';
import { reportRoles } from '../../domain/reports';
import { Loading } from '../components/Loading';
import { useDirectoryRefresh } from '../data/directory';
import { useNotifications } from '../data/notifications';
import { useSessionContext } from '../data/sessionContext';
import { paths } from '../lib/routes';
import { homeIsReports } from './Home';
import { SignOutButton } from './SignOutButton';
import { StatusBar } from './StatusBar';
import { StorageWarning } from './StorageWarning';

export function SignedInLayout() {
  const { session, signOut } = useSessionContext();
  if (!session) return <Navigate to={paths.signIn} replace />;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to={paths.home} className="app-name">
          Fieldnotes
        </Link>
        {/* Their home is the dashboard: My records is a link of its own. */}
        {homeIsReports(session.user.role) && (
          <Link to={paths.myRecords} className="header-link">
            My records
          </Link>
        )}
        {session.user.role !== 'admin' && (
          <Link to={paths.todo} className="header-link">
            To do
          </Link>
        )}
        {session.user.role !== 'admin' && (
          <Link to={paths.actions} className="header-link">
            Actions
          </Link>
        )}
        {session.user.role !== 'admin' && (
          <Link to={paths.programme} className="header-link">
            Programme
          </Link>
        )}
        {(reportRoles as readonly string[]).includes(session.user.role) && (
          <Link to={paths.reports} className="header-link">
            Reports
          </Link>
        )}
        {session.user.role !== 'admin' && <NotificationsLink userId={session.user.id} />}
        {session.user.role === 'admin' && (
          <Link to={paths.admin} className="header-link">
            People and access
          </Link>
        )}
        {auditRoles.includes(session.user.role) && (
          <Link to={paths.audit} className="header-link">
            Audit log
          </Link>
        )}
        <span className="signed-in-as">
          {session.user.displayName}, {roleLabels[session.user.role]}
        </span>
        <SignOutButton userId={session.user.id} />
      </header>
      <DirectoryRefresher userId={session.user.id} />
      <StatusBar userId={session.user.id} onSignInAgain={() => void signOut()} />
      <StorageWarning />
      <Suspense fallback={<Loading />}>
        <Outlet />
      </Suspense>
    </>
  );
}

/** "Notifications", with how many are unread — and, apart, how many of those are urgent (immediate concerns). */
function NotificationsLink({ userId }: { userId: string }) {
  const data = useNotifications(userId).data;
  const unread = data?.unread ?? 0;
  const urgent = data?.urgent ?? 0;
  const label = unread === 0 ? 'Notifications' : `Notifications, ${unread} unread${urgent > 0 ? `, ${urgent} urgent` : ''}`;
  return (
    <Link to={paths.notifications} className="header-link" aria-label={label}>
      Notifications{unread > 0 && <span className="unread" data-testid="unread-count">{unread}</span>}
      {urgent > 0 && (
        <span className="unread unread--urgent" data-testid="urgent-count">
          {urgent} urgent
        </span>
      )}
    </Link>
  );
}

/** Keeps the cached directory fresh whenever the server can be reached. */
function DirectoryRefresher({ userId }: { userId: string }) {
  useDirectoryRefresh(userId);
  return null;
}

export function SignedOutLayout() {
  return (
    <>
      <StatusBar userId={null} />
      <Suspense fallback={<Loading />}>
        <Outlet />
      </Suspense>
    </>
  );
}

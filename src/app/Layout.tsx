/** The frame around every signed-in screen: header, status bar, update offer, storage warnings. */
import { Suspense } from 'react';
import { Link, Navigate, Outlet } from 'react-router';
import { roleLabels } from '../../domain/directory';
import { Loading } from '../components/Loading';
import { useDirectoryRefresh } from '../data/directory';
import { useSessionContext } from '../data/sessionContext';
import { paths } from '../lib/routes';
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
        <span className="signed-in-as">
          {session.user.displayName}, {roleLabels[session.user.role]}
        </span>
        <button type="button" className="button button--quiet" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <DirectoryRefresher userId={session.user.id} token={session.token} />
      <StatusBar userId={session.user.id} onSignInAgain={() => void signOut()} />
      <StorageWarning />
      <Suspense fallback={<Loading />}>
        <Outlet />
      </Suspense>
    </>
  );
}

/** Keeps the cached directory fresh whenever the server can be reached. */
function DirectoryRefresher({ userId, token }: { userId: string; token: string }) {
  useDirectoryRefresh(userId, token);
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

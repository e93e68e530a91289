/**
 * The home screen chosen by role (issue 17): the dashboard for those who read reports (heads of service,
 * the assistant director, the director, the QA team, the principal social worker), My records for everyone
 * else. My records stays one link away for them at /records (the header's "My records").
 */
import { Navigate } from 'react-router';
import { reportRoles } from '../../domain/reports';
import { useSessionContext } from '../data/sessionContext';
import { MyRecordsPage } from '../features/records/MyRecordsPage';
import { paths } from '../lib/routes';

export const homeIsReports = (role: string) => (reportRoles as readonly string[]).includes(role);

export function Home() {
  const { session } = useSessionContext();
  if (session && homeIsReports(session.user.role)) return <Navigate to={paths.reports} replace />;
  return <MyRecordsPage />;
}

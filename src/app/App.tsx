/** The app: providers and routes. Features own their pages; this file only places them. */
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { lazy, useEffect } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { SessionProvider, useSessionContext } from '../data/sessionContext';
import { SyncProvider } from '../data/sync/SyncContext';
import { MyRecordsPage } from '../features/records/MyRecordsPage';
import { FamilyModeGate } from './FamilyModeGate';
import { Home } from './Home';
import { SignedInLayout, SignedOutLayout } from './Layout';
import { UpdatePrompt } from './UpdatePrompt';

// Forms load on demand (Yjs, react-hook-form): the list opens first. Every chunk is precached, so
// this costs nothing offline (tests/build/precache.test.ts proves it).
const NewObservationPage = lazy(() => import('../features/observation/NewObservationPage').then((m) => ({ default: m.NewObservationPage })));
const ObservationPage = lazy(() => import('../features/observation/ObservationPage').then((m) => ({ default: m.ObservationPage })));
const NewReviewPage = lazy(() => import('../features/review/NewReviewPage').then((m) => ({ default: m.NewReviewPage })));
const ReviewPage = lazy(() => import('../features/review/ReviewPage').then((m) => ({ default: m.ReviewPage })));
const NewFeedbackPage = lazy(() => import('../features/feedback/FeedbackPages').then((m) => ({ default: m.NewFeedbackPage })));
const FeedbackPage = lazy(() => import('../features/feedback/FeedbackPages').then((m) => ({ default: m.FeedbackPage })));
const ChildPage = lazy(() => import('../features/children/ChildPage').then((m) => ({ default: m.ChildPage })));
const NotificationsPage = lazy(() => import('../features/notifications/NotificationsPage').then((m) => ({ default: m.NotificationsPage })));
const ActionsPage = lazy(() => import('../features/actions/ActionsPage').then((m) => ({ default: m.ActionsPage })));
const FollowUpRulesPage = lazy(() => import('../features/actions/FollowUpRulesPage').then((m) => ({ default: m.FollowUpRulesPage })));
const TodoPage = lazy(() => import('../features/programme/TodoPage').then((m) => ({ default: m.TodoPage })));
const StartAssignmentPage = lazy(() => import('../features/programme/StartAssignmentPage').then((m) => ({ default: m.StartAssignmentPage })));
const ProgrammePage = lazy(() => import('../features/programme/ProgrammePage').then((m) => ({ default: m.ProgrammePage })));
const CoveragePage = lazy(() => import('../features/programme/CoveragePage').then((m) => ({ default: m.CoveragePage })));
// Reports carry the charting library: it loads with this screen only.
const ReportsPage = lazy(() => import('../features/reports/ReportsPage').then((m) => ({ default: m.ReportsPage })));
// Issue 17: the heads of service's quarterly summaries, listed by quarter, and one summary (a record written together).
const SummariesPage = lazy(() => import('../features/summaries/SummariesPage').then((m) => ({ default: m.SummariesPage })));
const SummaryPage = lazy(() => import('../features/summaries/SummaryPage').then((m) => ({ default: m.SummaryPage })));
const AdminPage = lazy(() => import('../features/admin/AdminPage').then((m) => ({ default: m.AdminPage })));
const AuditPage = lazy(() => import('../features/audit/AuditPage').then((m) => ({ default: m.AuditPage })));
const SignInPage = lazy(() => import('../features/sign-in/SignInPage').then((m) => ({ default: m.SignInPage })));

const queryClient = new QueryClient({
  // Offline is normal here: queries must not pause waiting for navigator.onLine.
  defaultOptions: { queries: { networkMode: 'always', refetchOnWindowFocus: true } },
});

/** Server answers cached in memory (the directory, the admin and audit screens) go when the person signs out. */
function ForgetAnswersOnSignOut() {
  const { session } = useSessionContext();
  const client = useQueryClient();
  useEffect(() => {
    if (!session) client.clear();
  }, [session, client]);
  return null;
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <ForgetAnswersOnSignOut />
        <SyncProvider>
          <BrowserRouter>
            <FamilyModeGate>
              <UpdatePrompt />
              <Routes>
                <Route element={<SignedOutLayout />}>
                  <Route path="/sign-in" element={<SignInPage />} />
                </Route>
                <Route element={<SignedInLayout />}>
                  <Route index element={<Home />} />
                  <Route path="/records" element={<MyRecordsPage />} />
                  <Route path="/observations/new" element={<NewObservationPage />} />
                  <Route path="/observations/:id" element={<ObservationPage />} />
                  <Route path="/reviews/new" element={<NewReviewPage />} />
                  <Route path="/reviews/:id" element={<ReviewPage />} />
                  <Route path="/feedback/new" element={<NewFeedbackPage />} />
                  <Route path="/feedback/:id" element={<FeedbackPage />} />
                  <Route path="/children/:childId" element={<ChildPage />} />
                  <Route path="/notifications" element={<NotificationsPage />} />
                  <Route path="/actions" element={<ActionsPage />} />
                  <Route path="/follow-up-rules" element={<FollowUpRulesPage />} />
                  <Route path="/todo" element={<TodoPage />} />
                  <Route path="/todo/:id/start" element={<StartAssignmentPage />} />
                  <Route path="/programme" element={<ProgrammePage />} />
                  <Route path="/coverage" element={<CoveragePage />} />
                  <Route path="/reports" element={<ReportsPage />} />
                  <Route path="/reports/summaries" element={<SummariesPage />} />
                  <Route path="/summaries/:id" element={<SummaryPage />} />
                  <Route path="/admin" element={<AdminPage />} />
                  <Route path="/audit" element={<AuditPage />} />
                  <Route path="*" element={<NotFound />} />
                </Route>
              </Routes>
            </FamilyModeGate>
          </BrowserRouter>
        </SyncProvider>
      </SessionProvider>
    </QueryClientProvider>
  );
}

function NotFound() {
  return (
    <main id="main" className="page">
      <h1>Page not found</h1>
      <p>There is no page at this address.</p>
    </main>
  );
}

/** The app's URLs, in one place so features link to each other's pages without importing them. */
import type { RecordKind } from '../../domain/records';

const kindSegments: Record<RecordKind, string> = { observation: 'observations', review: 'reviews', moderation: 'moderations', feedback: 'feedback', summary: 'summaries' };

export const paths = {
  /** My records for most; the reports dashboard for those who read reports (src/app/Home.tsx). */
  home: '/',
  /** My records, whatever the home screen is. */
  myRecords: '/records',
  signIn: '/sign-in',
  admin: '/admin',
  audit: '/audit',
  notifications: '/notifications',
  /** My actions, my team's, and (for the QA team) every open action. */
  actions: '/actions',
  followUpRules: '/follow-up-rules',
  /** Issue 16: what this person has been given; the QA programme; coverage. */
  todo: '/todo',
  startAssignment: (id: string) => `/todo/${encodeURIComponent(id)}/start`,
  programme: '/programme',
  coverage: '/coverage',
  /** Issue 17: figures for managers and boards. */
  reports: '/reports',
  /** Issue 17: the heads of service's quarterly summaries, listed by quarter. */
  summaries: '/reports/summaries',
  /** Family mode: the one screen a family holding the tablet sees (src/app/FamilyModeGate, src/features/feedback). */
  familyMode: '/family',
  child: (childId: string) => `/children/${encodeURIComponent(childId)}`,
  newRecord: (kind: RecordKind) => `/${kindSegments[kind]}/new`,
  /** New family feedback, started with what is already known: the child, the record it is for, the meeting. */
  newFeedback: (known: { child?: string; for?: string; how?: string; date?: string }) => {
    const query = new URLSearchParams(Object.entries(known).filter((entry): entry is [string, string] => Boolean(entry[1]))).toString();
    return `/${kindSegments.feedback}/new${query ? `?${query}` : ''}`;
  },
  record: (kind: RecordKind, id: string) => `/${kindSegments[kind]}/${id}`,
};

/** Whether a URL shows a form: an app update must not reload the page then. */
export function isFormPath(pathname: string): boolean {
  return Object.values(kindSegments).some((segment) => pathname.startsWith(`/${segment}/`));
}

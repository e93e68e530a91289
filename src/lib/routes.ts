/** The app's URLs, in one place so features link to each other's pages without importing them. */
import type { RecordKind } from '../../domain/records';

const kindSegments: Record<RecordKind, string> = { observation: 'observations', review: 'reviews', moderation: 'moderations', feedback: 'feedback' };

export const paths = {
  home: '/',
  signIn: '/sign-in',
  admin: '/admin',
  audit: '/audit',
  notifications: '/notifications',
  newRecord: (kind: RecordKind) => `/${kindSegments[kind]}/new`,
  record: (kind: RecordKind, id: string) => `/${kindSegments[kind]}/${id}`,
};

/** Whether a URL shows a form: an app update must not reload the page then. */
export function isFormPath(pathname: string): boolean {
  return Object.values(kindSegments).some((segment) => pathname.startsWith(`/${segment}/`));
}

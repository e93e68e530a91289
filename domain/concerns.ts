/**
 * Immediate concerns about a child's safety (Wandsworth 36, fifth authority 3.4): who is told, when a
 * response is due, and when an unanswered concern escalates. Pure rules, shared by the server (which
 * decides) and the tablet (which shows the same due time).
 *
 * A *response* is distinct from the *resolution*: within the organisation's response time a manager
 * (or the QA team) answers the concern — what is being done now — and that stops the escalation clock;
 * the concern stays open on the record until it is resolved with a recorded resolution, which may take
 * days (a strategy meeting, a plan). A resolution recorded before any response also answers it.
 */

/** The default time a concern must be answered in: one working day (Monday to Friday). */
export const DEFAULT_CONCERN_RESPONSE_WORKING_DAYS = 1;

/** The longest response time an organisation may set, in working days. */
export const MAX_CONCERN_RESPONSE_WORKING_DAYS = 10;

const weekdayInEngland = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short' });

/** True on a Saturday or Sunday where the council works (England), whatever the server's own time zone. */
export function isWeekendInEngland(at: Date): boolean {
  const day = weekdayInEngland.format(at);
  return day === 'Sat' || day === 'Sun';
}

/**
 * When a concern raised at `raisedAt` must be answered: the same time of day, `workingDays` working days
 * later, Saturdays and Sundays not counted — raised on Friday afternoon, due on Monday afternoon; raised
 * on Saturday, due on Monday at the same time. Bank holidays are not known to Fieldnotes and count as
 * working days (a council that wants them skipped sets a longer response time).
 */
export function concernDueAt(raisedAt: Date, workingDays: number = DEFAULT_CONCERN_RESPONSE_WORKING_DAYS): Date {
  let at = raisedAt.getTime();
  let counted = 0;
  while (counted < workingDays) {
    at += 86_400_000;
    if (!isWeekendInEngland(new Date(at))) counted++;
  }
  return new Date(at);
}

/** Reads the organisation's response time (FIELDNOTES_CONCERN_RESPONSE_DAYS): whole working days, 1 to 10. */
export function parseResponseWorkingDays(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_CONCERN_RESPONSE_WORKING_DAYS;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > MAX_CONCERN_RESPONSE_WORKING_DAYS)
    throw new Error(`FIELDNOTES_CONCERN_RESPONSE_DAYS must be a whole number of working days from 1 to ${MAX_CONCERN_RESPONSE_WORKING_DAYS}, not "${value}".`);
  return days;
}

/** Notices that cannot wait: shown as urgent in the app, and counted apart on the badge. */
export const urgentNotificationKinds: readonly string[] = ['concern-raised', 'concern-escalated'];
export const isUrgentNotification = (kind: string) => urgentNotificationKinds.includes(kind);

const dueParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "Monday 7 December 2026, 15:00" — a due time as a person reads it, in England's time, the same in every runtime. */
export function formatDueTime(at: Date | string): string {
  const parts = Object.fromEntries(dueParts.formatToParts(typeof at === 'string' ? new Date(at) : at).map((p) => [p.type, p.value]));
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute}`;
}

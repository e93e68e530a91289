/**
 * Issue 15, item 6: email for what cannot wait, against an SMTP server this test starts (smtp-server on
 * 127.0.0.1, port 0) and the real nodemailer transport. A concern raised sends mail to each person told
 * who has an email address; the message names the child ID and links to the app, and carries neither the
 * concern's words nor the child's name. With the mail server gone, the concern is still raised and
 * notified in the app, and the failure is logged without personal data.
 */
import { simpleParser } from 'mailparser';
import { moderationIdFor } from '../../domain/moderation';
import { reviewDomains } from '../../domain/review';
import { openRecord } from '../../src/data/docs/openRecord';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { NotificationList } from '../../domain/notifications';
import { startServer, type RunningServer } from '../../sync-server/server';
import { TestDevice } from '../support/device';
import { makeDataDir } from '../support/serverProcess';

interface Received {
  to: string[];
  subject: string;
  text: string;
}

let smtp: SMTPServer;
let smtpPort: number;
let received: Received[];
let server: RunningServer;
const devices: TestDevice[] = [];
const PUBLIC_URL = 'https://fieldnotes.council.example';

beforeEach(async () => {
  received = [];
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: mail.subject ?? '', text: mail.text ?? '' });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  server = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: makeDataDir(),
      staticDir: null,
      seedDemo: true,
      sessionDays: 1,
      mail: { smtpUrl: `smtp://127.0.0.1:${smtpPort}?ignoreTLS=true`, from: 'Fieldnotes <fieldnotes@council.example>', publicUrl: PUBLIC_URL },
    },
    { scheduleEveryMs: 0, mailRetryMs: 20 },
  );
});

afterEach(async () => {
  devices.splice(0).forEach((d) => d.goOffline());
  await server.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  vi.restoreAllMocks();
});

async function device(username: string) {
  const d = await TestDevice.signIn(server.url, username, `${username}-device`);
  devices.push(d);
  return d;
}

/** An observation of Yusuf Ahmed about child MOS555, whose name is in the record. */
async function observation() {
  const observer = await device('tm.okafor');
  const id = await observer.createObservation({ childId: 'MOS555', strengths: 'Yusuf listened to Amelia Thornbury-Price at her pace.' });
  await observer.goOnline();
  await observer.waitUntilAllSent();
  const ahmed = server.organisation.findUserByUsername('sw.ahmed')!;
  expect(await observer.command({ type: 'set-subject', record: `observation/${id}`, userId: ahmed.id })).toEqual({ status: 'applied' });
  return { observer, id, record: `observation/${id}` };
}

const CONCERN = 'Amelia Thornbury-Price told me her stepfather locked her out overnight.';

it('a concern raised sends mail to each person told who has an address: the child ID and a link, never the concern or the child’s name', async () => {
  const { observer, id, record } = await observation();
  // The director has no address: the others told are mailed, the director only in the app.
  const director = server.organisation.findUserByUsername('dcs.morgan')!;
  server.organisation.changeUser(director.id, { email: '' });

  expect(await observer.command({ type: 'raise-concern', record, text: CONCERN })).toEqual({ status: 'applied' });
  await server.mailer!.settled();

  const recipients = received.flatMap((m) => m.to).sort();
  expect(recipients).toEqual(['hos.patel@example.org', 'qa.green@example.org', 'sw.ahmed@example.org']);
  for (const mail of received) {
    expect(mail.to).toHaveLength(1); // one message each: nobody sees the others' addresses
    expect(mail.subject).toContain('child MOS555');
    expect(mail.text).toContain('child MOS555');
    expect(mail.text).toContain(`${PUBLIC_URL}/observations/${id}`);
    expect(`${mail.subject}\n${mail.text}`).not.toContain('Amelia');
    expect(`${mail.subject}\n${mail.text}`).not.toContain('Thornbury');
    expect(`${mail.subject}\n${mail.text}`).not.toContain('stepfather');
  }
  // The director is still told in the app.
  const dcs = await device('dcs.morgan');
  const inbox = (await (await fetch(`${server.url}/api/notifications`, { headers: { Authorization: `Bearer ${dcs.token}` } })).json()) as NotificationList;
  expect(inbox.notifications[0]).toMatchObject({ kind: 'concern-raised', record });
});

it('its escalation and an overdue action are mailed too; routine notices are not', async () => {
  let now = new Date('2026-12-04T15:00:00Z');
  await server.close();
  server = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: makeDataDir(),
      staticDir: null,
      seedDemo: true,
      sessionDays: 1,
      mail: { smtpUrl: `smtp://127.0.0.1:${smtpPort}?ignoreTLS=true`, from: 'fieldnotes@council.example', publicUrl: PUBLIC_URL },
    },
    { scheduleEveryMs: 0, mailRetryMs: 20, now: () => now },
  );
  const { observer, record } = await observation();
  const ahmed = server.organisation.findUserByUsername('sw.ahmed')!;
  // Routine: an action given to someone is in the app only.
  expect(
    await observer.command({ type: 'raise-action', record, action: { actionId: crypto.randomUUID(), what: 'Share the plan with Amelia’s school', why: 'Areas for development', finding: 'areasForDevelopment', ownerId: ahmed.id, dueDate: '2026-12-07' } }),
  ).toEqual({ status: 'applied' });
  expect(await observer.command({ type: 'raise-concern', record, text: CONCERN })).toEqual({ status: 'applied' });
  await server.mailer!.settled();
  expect(received.every((m) => m.subject.startsWith('Immediate concern'))).toBe(true);
  received = [];

  // Tuesday: the concern has escalated (Monday 15:00) and the action is overdue (due Monday).
  now = new Date('2026-12-08T09:00:00Z');
  server.runScheduledChecks();
  await server.mailer!.settled();
  const escalated = received.filter((m) => m.subject.startsWith('Escalated'));
  expect(escalated.flatMap((m) => m.to).sort()).toEqual(['dcs.morgan@example.org', 'hos.patel@example.org']);
  const overdue = received.filter((m) => m.subject.startsWith('Overdue'));
  expect(overdue.flatMap((m) => m.to).sort()).toEqual(['sw.ahmed@example.org', 'tm.okafor@example.org']);
  for (const mail of [...escalated, ...overdue]) {
    expect(mail.subject).toContain('child MOS555');
    expect(mail.text).toContain(PUBLIC_URL);
    expect(`${mail.subject}\n${mail.text}`).not.toMatch(/Amelia|stepfather|school/);
  }
});

it('with the mail server down, the concern is still raised and notified in the app, and the failure is logged without personal data', async () => {
  const warnings: string[] = [];
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')));
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  const { observer, record } = await observation();

  expect(await observer.command({ type: 'raise-concern', record, text: CONCERN })).toEqual({ status: 'applied' });
  const hos = await device('hos.patel');
  const inbox = (await (await fetch(`${server.url}/api/notifications`, { headers: { Authorization: `Bearer ${hos.token}` } })).json()) as NotificationList;
  expect(inbox).toMatchObject({ unread: 1, urgent: 1, notifications: [{ kind: 'concern-raised', record }] });

  // Tried, retried, given up — and nothing about the person, the child or the concern in the log.
  await server.mailer!.settled();
  expect(received).toEqual([]);
  const mailWarnings = warnings.filter((w) => w.includes('email could not be sent'));
  expect(mailWarnings.some((w) => w.includes('after 3 attempts'))).toBe(true);
  for (const warning of mailWarnings) expect(warning).not.toMatch(/@|MOS555|Amelia|stepfather|Patel|Ahmed/);
  // The server carries on.
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
});

it('an administrator sets where someone’s urgent notices are emailed; an address that is not one is refused', async () => {
  const admin = await device('admin.jones');
  const ahmed = server.organisation.findUserByUsername('sw.ahmed')!;
  const patch = (body: unknown) =>
    fetch(`${server.url}/api/admin/users/${ahmed.id}`, { method: 'PATCH', headers: { Authorization: `Bearer ${admin.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  for (const email of ['not an address', 'a@b', `${'x'.repeat(250)}@example.org`, 42]) expect((await patch({ email })).status, String(email)).toBe(400);
  const changed = await patch({ email: 'yusuf.ahmed@council.example' });
  expect(changed.status).toBe(200);
  expect(await changed.json()).toMatchObject({ username: 'sw.ahmed', email: 'yusuf.ahmed@council.example' });

  const { observer, record } = await observation();
  expect(await observer.command({ type: 'raise-concern', record, text: CONCERN })).toEqual({ status: 'applied' });
  await server.mailer!.settled();
  expect(received.flatMap((m) => m.to)).toContain('yusuf.ahmed@council.example');
  expect(received.flatMap((m) => m.to)).not.toContain('sw.ahmed@example.org');
});

const stateVectorOf = async (d: TestDevice, kind: 'review' | 'moderation', id: string) => {
  const handle = (await openRecord(d.storeId, kind, id, d.user))!;
  const sv = handle.stateVector();
  handle.release();
  return sv;
};

it('follow-ups given by the rules are mailed to their owners: the child ID and a link, never the practitioner’s name or the review’s words', async () => {
  const lead = await device('tm.hughes');
  const clarke = server.organisation.findUserByUsername('sw.clarke')!;
  const grades = { ...Object.fromEntries(reviewDomains.map((d) => [`${d.key}Grade`, 'inadequate'])), overallGrade: 'inadequate' };
  const id = await lead.createReview({
    childId: 'LCS9090',
    levelOfNeed: 'child-in-need',
    reviewDate: '2026-11-02',
    location: 'Civic centre',
    conversationMinutes: '60',
    reviewers: 'Owen Hughes, Daniel Clarke',
    penPicture: 'Tobias Wrenfield is twelve.',
    overallEvaluation: 'See the domains.',
    wentWell: 'Tobias was heard.',
    needsToHappen: 'A plan with dates.',
    overallGradeRationale: 'As graded.',
    ...Object.fromEntries(reviewDomains.map((d) => [`${d.key}Evaluation`, `On ${d.label}.`])),
    ...grades,
    socialWorkerId: clarke.id,
    socialWorkerName: clarke.displayName,
  });
  const name = `review/${id}`;
  await lead.goOnline();
  await lead.waitUntilAllSent();
  expect(await lead.command({ type: 'set-subject', record: name, userId: clarke.id })).toEqual({ status: 'applied' });
  expect(await lead.command({ type: 'submit', record: name, stateVector: await stateVectorOf(lead, 'review', id) })).toEqual({ status: 'applied' });
  const qa = await device('qa.green');
  await qa.createModeration(id, { ...grades, wentWell: 'Some.', needsToHappen: 'More.', summary: 'As graded.' });
  await qa.goOnline();
  await qa.waitUntilAllSent();
  expect(await qa.command({ type: 'moderate', record: name, stateVector: await stateVectorOf(qa, 'moderation', moderationIdFor(id)) })).toEqual({ status: 'applied' });
  await server.mailer!.settled();

  // Owen Hughes, the team manager and lead reviewer: the dip sample and the proposed re-audit. Nobody else is
  // mailed (the grade shared with the service manager is a routine notice, in the app only).
  expect(received.flatMap((m) => m.to)).toEqual(['tm.hughes@example.org', 'tm.hughes@example.org']);
  expect(received.map((m) => m.text).join('\n')).toContain('audit three more of a practitioner’s cases');
  expect(received.map((m) => m.text).join('\n')).toContain('re-audit the case of child LCS9090');
  for (const mail of received) {
    expect(mail.subject).toMatch(/^Follow-up for you in Fieldnotes, due \d{4}-\d{2}-\d{2}$/);
    expect(mail.text).toContain(`${PUBLIC_URL}/actions`);
    expect(`${mail.subject}\n${mail.text}`).not.toMatch(/Tobias|Wrenfield|Clarke/);
  }
});

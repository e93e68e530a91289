/** Records: which ones a person may see, what changed, commands, and the audit log. */
import type { FastifyInstance } from 'fastify';
import { auditRoles } from '../../domain/directory';
import { followUpRules } from '../../domain/followUp';
import type { RecordListing } from '../../domain/records';
import { deviceOf, sendError, type Guard, type HttpDeps } from '../http';

export function registerRecordRoutes(app: FastifyInstance, deps: HttpDeps, requireUser: Guard) {
  /** Every record this person may read, and how they may use it: the device lists and keeps exactly these. */
  app.get('/api/records', { preHandler: requireUser }, async (request) => {
    const records: RecordListing[] = deps.access.readableRecords(request.user!).map(({ level, relationship, record, participants }) => ({
      name: record.name,
      kind: record.kind,
      status: record.status,
      access: level === 'write' ? 'write' : 'read',
      relationship: relationship === 'none' ? 'reader' : relationship,
      authorId: record.author_id,
      participants,
    }));
    return { records };
  });

  /** Records this person may read that changed after a point: how a device learns of records made elsewhere. */
  app.get('/api/records/changes', { preHandler: requireUser }, async (request, reply) => {
    const query = request.query as { after?: string; device?: string };
    const after = Number(query.after ?? 0);
    if (!Number.isInteger(after) || after < 0) return sendError(reply, 400, 'bad-request', '"after" must be a whole number.');
    // `restore` tells devices the database was restored from a backup (sync-server/backup.ts), so they send again.
    return { ...deps.access.changesFor(request.user!, after, query.device?.slice(0, 64) ?? null), restore: deps.latestRestore?.() ?? '' };
  });

  /** A command from a device's outbox (domain/commands.ts); the answer is the same however often it is sent. */
  app.post('/api/commands', { preHandler: requireUser }, async (request) => deps.commands.run(request.user!, deviceOf(request), request.body));

  /** The immediate concerns raised on a record, for anyone who may read it. */
  app.get('/api/records/concerns', { preHandler: requireUser }, async (request, reply) => {
    const name = String((request.query as { record?: string }).record ?? '');
    const record = deps.access.record(name);
    if (!record || deps.access.accessTo(request.user!, record).level === 'none') return sendError(reply, 404, 'not-found', 'There is no such record you may read.');
    return { concerns: deps.commands.concernsOn(name) };
  });

  /**
   * The actions this person may read (all of them, or one record's), with what they may do with each:
   * the device keeps them in Dexie for "My actions", its team's and the QA team's lists, offline.
   */
  app.get('/api/actions', { preHandler: requireUser }, async (request) => {
    const record = (request.query as { record?: string }).record;
    return deps.actions.listFor(request.user!, typeof record === 'string' && record ? record.slice(0, 200) : undefined);
  });

  /** The team manager's response to a record's findings (or null), for anyone who may read the record. */
  app.get('/api/records/response', { preHandler: requireUser }, async (request, reply) => {
    const name = String((request.query as { record?: string }).record ?? '');
    const record = deps.access.record(name);
    if (!record || deps.access.accessTo(request.user!, record).level === 'none') return sendError(reply, 404, 'not-found', 'There is no such record you may read.');
    return { response: deps.followUps.responseTo(name) };
  });

  /** The follow-up rules the server applies (domain/followUp.ts), as data anyone signed in may read. */
  app.get('/api/follow-up-rules', { preHandler: requireUser }, async () => ({ rules: followUpRules }));

  /** This person's notifications, newest first, with how many are unread. */
  app.get('/api/notifications', { preHandler: requireUser }, async (request) => deps.notifications.list(request.user!.id));

  app.post('/api/notifications/read', { preHandler: requireUser }, async (request, reply) => {
    const body = (request.body ?? {}) as { ids?: unknown };
    if (body.ids !== undefined && !(Array.isArray(body.ids) && body.ids.every((id) => Number.isInteger(id))))
      return sendError(reply, 400, 'bad-request', '"ids" must be a list of notification ids.');
    deps.notifications.markRead(request.user!.id, body.ids as number[] | undefined);
    return { ok: true };
  });

  /** The audit log, for the QA team and administrators. */
  app.get('/api/audit', { preHandler: requireUser }, async (request, reply) => {
    if (!auditRoles.includes(request.user!.role)) return sendError(reply, 403, 'forbidden', 'Only the QA team and administrators can read the audit log.');
    const query = request.query as { record?: string; user?: string; before?: string };
    const before = query.before ? Number(query.before) : undefined;
    if (before !== undefined && !Number.isInteger(before)) return sendError(reply, 400, 'bad-request', '"before" must be a whole number.');
    return deps.audit.page({
      ...(query.record ? { record: query.record } : {}),
      ...(query.user ? { userId: query.user } : {}),
      ...(before !== undefined ? { before } : {}),
    });
  });
}

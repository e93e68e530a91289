/**
 * Administration: adding people, moving them between teams, changing line managers and roles,
 * deactivating them and resetting passwords. Administrators only. A change that can take access away
 * takes effect at once: sign-ins end (deactivation, new password) and live connections are re-checked.
 * Administrators manage people, not case records: they cannot give themselves or another administrator a
 * role that reads records, and a change that gives anyone case access is its own audit action.
 */
import type { FastifyInstance } from 'fastify';
import { caseAccessDetail, grantsCaseAccess, newUserRequestSchema, passwordResetSchema, roleChangeRefusal, userChangeSchema } from '../../domain/admin';
import { deviceOf, sendError, type Guard, type HttpDeps } from '../http';
import { OrganisationError } from '../organisation';

export function registerAdminRoutes(app: FastifyInstance, deps: HttpDeps, requireUser: Guard) {
  const requireAdmin: Guard = async (request, reply) => {
    const refused = await requireUser(request, reply);
    if (reply.sent) return refused;
    if (request.user!.role !== 'admin') return sendError(reply, 403, 'forbidden', 'Only administrators can manage people.');
  };
  const audit = (request: { user: { id: string } | null }, device: string | null, detail: string) =>
    deps.audit.record({ userId: request.user!.id, deviceId: device, action: 'command', record: null, detail });

  const caseAccess = (request: { user: { id: string } | null }, device: string | null, detail: string) =>
    deps.audit.record({ userId: request.user!.id, deviceId: device, action: 'case-access', record: null, detail });

  app.get('/api/admin/organisation', { preHandler: requireAdmin }, async () => deps.organisation.settings());

  /** The organisation's name and protective marking, on every PDF and printed copy made from now on. */
  app.put('/api/admin/organisation', { preHandler: requireAdmin }, async (request, reply) => {
    try {
      const before = deps.organisation.settings();
      const after = deps.organisation.setSettings(request.body);
      audit(request, deviceOf(request), `organisation settings: name "${before.name}" → "${after.name}", marking "${before.marking}" → "${after.marking}"`);
      return after;
    } catch (error) {
      if (error instanceof OrganisationError) return sendError(reply, 400, 'bad-request', error.message);
      throw error;
    }
  });

  app.get('/api/admin/users', { preHandler: requireAdmin }, async () => ({ users: deps.organisation.accounts() }));

  app.post('/api/admin/users', { preHandler: requireAdmin }, async (request, reply) => {
    const parsed = newUserRequestSchema.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 400, 'bad-request', parsed.error.issues[0]?.message ?? 'Check the details.');
    try {
      const id = await deps.organisation.addUser(parsed.data);
      audit(request, deviceOf(request), `added user ${parsed.data.username}`);
      if (grantsCaseAccess(null, parsed.data.role)) caseAccess(request, deviceOf(request), caseAccessDetail(`${parsed.data.displayName} (${parsed.data.username})`, null, parsed.data.role));
      return reply.code(201).send(deps.organisation.accounts().find((a) => a.id === id));
    } catch (error) {
      if (error instanceof OrganisationError) return sendError(reply, 400, 'bad-request', error.message);
      throw error;
    }
  });

  app.patch('/api/admin/users/:id', { preHandler: requireAdmin }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const parsed = userChangeSchema.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 400, 'bad-request', parsed.error.issues[0]?.message ?? 'Check the details.');
    if (id === request.user!.id && parsed.data.active === false) return sendError(reply, 400, 'bad-request', 'You cannot deactivate your own account.');
    const before = deps.organisation.account(id);
    if (!before) return sendError(reply, 404, 'not-found', 'There is no such person.');
    if (parsed.data.role !== undefined) {
      const refusal = roleChangeRefusal(request.user!, before, parsed.data.role);
      if (refusal) {
        // A refused attempt to widen an administrator's reach is worth a line in the log too.
        deps.audit.record({ userId: request.user!.id, deviceId: deviceOf(request), action: 'refused', record: null, detail: `role change of ${before.username} to ${parsed.data.role}: ${refusal}` });
        return sendError(reply, 403, 'forbidden', refusal);
      }
    }
    try {
      const account = deps.organisation.changeUser(id, parsed.data);
      if (!account.active) {
        deps.sessions.revokeAllFor(id, 'deactivated');
        deps.collaboration.disconnectUser(id);
      }
      // Teams, line managers and roles decide who may read what: re-check every live connection.
      deps.collaboration.recheckAccess();
      audit(request, deviceOf(request), `changed user ${account.username}: ${JSON.stringify(parsed.data)}`);
      if (grantsCaseAccess(before.role, account.role))
        caseAccess(request, deviceOf(request), caseAccessDetail(`${account.displayName} (${account.username})`, before.role, account.role));
      return account;
    } catch (error) {
      if (error instanceof OrganisationError) return sendError(reply, 400, 'bad-request', error.message);
      throw error;
    }
  });

  app.post('/api/admin/users/:id/password', { preHandler: requireAdmin }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const parsed = passwordResetSchema.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 400, 'bad-request', parsed.error.issues[0]?.message ?? 'Enter a new password.');
    try {
      await deps.organisation.resetPassword(id, parsed.data.password);
    } catch (error) {
      if (error instanceof OrganisationError) return sendError(reply, 400, 'bad-request', error.message);
      throw error;
    }
    // Whoever had the old password is signed out everywhere.
    deps.sessions.revokeAllFor(id, 'password reset');
    deps.collaboration.disconnectUser(id);
    audit(request, deviceOf(request), `reset the password of ${id}`);
    return { ok: true };
  });
}

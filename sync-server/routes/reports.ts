/**
 * The reports API (sync-server/reports.ts): GET /api/reports?period=<id>&service=<id>&team=<id> answers the
 * figures for the period and the one before, as the signed-in person may see them, and
 * GET /api/reports/records?…&figure=<path> the records behind one of them. Reports are read online.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendError, type Guard, type HttpDeps } from '../http';
import { ReportRefused } from '../reports';

export function registerReportRoutes(app: FastifyInstance, deps: HttpDeps, requireUser: Guard) {
  const answer = <T>(reply: FastifyReply, run: () => T) => {
    try {
      return run();
    } catch (error) {
      if (error instanceof ReportRefused) return sendError(reply, error.status, error.status === 403 ? 'forbidden' : 'bad-request', error.message);
      throw error;
    }
  };
  /** The figures (counts only: the records behind a figure are asked for one figure at a time). */
  app.get('/api/reports', { preHandler: requireUser }, async (request, reply) => answer(reply, () => deps.reports.summary(request.user!, request.query)));
  /** Activity against the programme's expectations: ?period=&service=&team= (counts only). */
  app.get('/api/reports/programme', { preHandler: requireUser }, async (request, reply) => answer(reply, () => deps.reports.programmeSummary(request.user!, request.query)));
  /** The records behind one figure: ?period=&service=&team=&figure=<path>. */
  app.get('/api/reports/records', { preHandler: requireUser }, async (request, reply) => answer(reply, () => deps.reports.recordsBehind(request.user!, request.query)));
}

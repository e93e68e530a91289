/**
 * The reports API (sync-server/reports.ts): GET /api/reports?period=<id>&service=<id>&team=<id> answers the
 * figures for the period and the one before, as the signed-in person may see them. Reports are read online.
 */
import type { FastifyInstance } from 'fastify';
import { sendError, type Guard, type HttpDeps } from '../http';
import { ReportRefused } from '../reports';

export function registerReportRoutes(app: FastifyInstance, deps: HttpDeps, requireUser: Guard) {
  app.get('/api/reports', { preHandler: requireUser }, async (request, reply) => {
    try {
      return deps.reports.figures(request.user!, request.query);
    } catch (error) {
      if (error instanceof ReportRefused) return sendError(reply, error.status, error.status === 403 ? 'forbidden' : 'bad-request', error.message);
      throw error;
    }
  });
}

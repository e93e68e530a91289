/**
 * The quarterly summaries API (sync-server/summaries.ts): GET /api/summaries lists those the signed-in person
 * may read, newest quarter first; POST /api/summaries { service, quarter } starts the summary of a service for a
 * quarter, drafted from the data, or answers the one that exists. Its content then travels like any record's.
 */
import type { FastifyInstance } from 'fastify';
import { sendError, type Guard, type HttpDeps } from '../http';
import { SummaryRefused } from '../summaries';

const codes = { 400: 'bad-request', 403: 'forbidden', 404: 'not-found' } as const;

export function registerSummaryRoutes(app: FastifyInstance, deps: HttpDeps, requireUser: Guard) {
  app.get('/api/summaries', { preHandler: requireUser }, async (request) => ({ summaries: deps.summaries.list(request.user!) }));
  app.post('/api/summaries', { preHandler: requireUser }, async (request, reply) => {
    try {
      const started = await deps.summaries.start(request.user!, request.body);
      return reply.code(started.created ? 201 : 200).send(started);
    } catch (error) {
      if (error instanceof SummaryRefused) return sendError(reply, error.status, codes[error.status], error.message);
      throw error;
    }
  });
}

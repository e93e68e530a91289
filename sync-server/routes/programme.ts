/**
 * The quality assurance programme's API (sync-server/programme.ts): expectations and the quarter's schedule
 * (read by everyone, set by the QA team and the principal social worker), samples and assignments, coverage,
 * and what a person's tablet keeps to read offline. Setting the programme is online; doing it is not.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { readsCaseRecords } from '../../domain/directory';
import { periodContaining } from '../../domain/periods';
import { sendError, type Guard, type HttpDeps } from '../http';
import { ProgrammeRefused } from '../programme';

const idParam = z.object({ id: z.string().min(1).max(100) });

export function registerProgrammeRoutes(app: FastifyInstance, deps: HttpDeps, requireUser: Guard) {
  const { programme } = deps;
  /** Runs a programme operation, answering a refusal as an error a person can read. */
  const answer = async <T>(reply: FastifyReply, run: () => T) => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ProgrammeRefused) return sendError(reply, error.status, error.status === 403 ? 'forbidden' : error.status === 404 ? 'not-found' : 'bad-request', error.message);
      throw error;
    }
  };
  const caseWorker: Guard = async (request, reply) => {
    const refused = await requireUser(request, reply);
    if (reply.sent) return refused;
    if (!readsCaseRecords(request.user!.role)) return sendError(reply, 403, 'forbidden', 'Administrators manage people, not case work.');
  };
  const id = (params: unknown) => idParam.safeParse(params).data?.id ?? '';
  const quarterOf = (query: unknown) => z.object({ quarter: z.string().max(20).optional() }).safeParse(query).data?.quarter ?? periodContaining('quarter', programme.today()).id;

  /** The expectations (everyone may read what is expected of whom) and a quarter's schedule as this person may see it. */
  app.get('/api/programme', { preHandler: caseWorker }, async (request) => {
    const quarter = quarterOf(request.query);
    return { today: programme.today(), quarter, expectations: programme.expectations(), schedule: programme.schedule(request.user!, quarter), settings: programme.settings() };
  });

  /** How the organisation moderates assigned reviews (the QA team and PSW set it). */
  app.put('/api/programme/settings', { preHandler: caseWorker }, async (request, reply) => answer(reply, () => programme.saveSettings(request.user!, request.body)));

  app.post('/api/programme/expectations', { preHandler: caseWorker }, async (request, reply) =>
    answer(reply, () => reply.code(201).send(programme.saveExpectation(request.user!, null, request.body))),
  );
  app.put('/api/programme/expectations/:id', { preHandler: caseWorker }, async (request, reply) =>
    answer(reply, () => programme.saveExpectation(request.user!, id(request.params), request.body)),
  );
  app.delete('/api/programme/expectations/:id', { preHandler: caseWorker }, async (request, reply) =>
    answer(reply, () => (programme.deleteExpectation(request.user!, id(request.params)), { ok: true })),
  );

  app.post('/api/programme/schedule', { preHandler: caseWorker }, async (request, reply) =>
    answer(reply, () => reply.code(201).send(programme.saveScheduleEntry(request.user!, quarterOf(request.query), null, request.body))),
  );
  app.put('/api/programme/schedule/:id', { preHandler: caseWorker }, async (request, reply) =>
    answer(reply, () => programme.saveScheduleEntry(request.user!, quarterOf(request.query), id(request.params), request.body)),
  );
  app.delete('/api/programme/schedule/:id', { preHandler: caseWorker }, async (request, reply) =>
    answer(reply, () => (programme.deleteScheduleEntry(request.user!, id(request.params)), { ok: true })),
  );

  /** A proposed sample of children for a quarter's reviews (the QA team, PSW, a head of service for their service). */
  app.get('/api/programme/sample', { preHandler: caseWorker }, async (request, reply) => answer(reply, () => ({ candidates: programme.sample(request.user!, request.query) })));

  app.post('/api/programme/assignments', { preHandler: caseWorker }, async (request, reply) =>
    answer(reply, () => reply.code(201).send({ assignments: programme.assign(request.user!, request.body) })),
  );
  app.delete('/api/programme/assignments/:id', { preHandler: caseWorker }, async (request, reply) =>
    answer(reply, () => (programme.cancel(request.user!, id(request.params)), { ok: true })),
  );

  /** Coverage for this person's scope, on a day (today by default): what their tablet caches to read offline. */
  app.get('/api/programme/coverage', { preHandler: caseWorker }, async (request, reply) => {
    const asOf = z.object({ asOf: z.string().max(10).optional() }).safeParse(request.query).data?.asOf;
    return answer(reply, () => programme.coverage(request.user!, asOf));
  });

  /** What a person's tablet keeps: their assignments (and those they gave out), the quarter's schedule naming them. */
  app.get('/api/programme/mine', { preHandler: caseWorker }, async (request) => {
    const quarter = periodContaining('quarter', programme.today()).id;
    const { mine, given } = programme.assignmentsFor(request.user!);
    return { assignments: mine, given, quarter, schedule: programme.schedule(request.user!, quarter), expectations: programme.expectations() };
  });
}

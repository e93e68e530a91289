/**
 * The bulk path over HTTP (see sync/bulk.ts for what it promises). HTTP rather than the sync websocket:
 * the request and its answer are one exchange the device can wait on (no correlating stateless messages),
 * the body is binary (no base64 inside JSON strings), its size is bounded by the route's own body limit
 * instead of the websocket's 2 MiB frames, it is authenticated like every API call, and the socket guard
 * and Hocuspocus never hold a batch in memory.
 */
import type { FastifyInstance } from 'fastify';
import { BULK_MAX_REQUEST_BYTES, BULK_SYNC_PATH, decodeBulkRequest, encodeBulkAnswer } from '../../recordModel/bulkWire';
import { deviceOf, sendError, type Guard, type HttpDeps } from '../http';
import { log } from '../log';
import { BulkRequestError } from '../sync/bulk';

export function registerBulkRoutes(app: FastifyInstance, deps: HttpDeps, requireUser: Guard) {
  const bulk = deps.bulk;
  if (!bulk) return;
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: BULK_MAX_REQUEST_BYTES }, (_request, body, done) => done(null, body));
    scope.post(BULK_SYNC_PATH, { preHandler: requireUser, bodyLimit: BULK_MAX_REQUEST_BYTES }, async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) return sendError(reply, 415, 'bad-request', 'Send the records as application/octet-stream.');
      const parsed = decodeBulkRequest(new Uint8Array(request.body.buffer, request.body.byteOffset, request.body.byteLength));
      if (!parsed) return sendError(reply, 400, 'bad-request', 'The records sent could not be read.');
      try {
        const answer = await bulk.handle(request.user!, deviceOf(request), parsed.docs);
        return reply.type('application/octet-stream').send(Buffer.from(encodeBulkAnswer(answer)));
      } catch (error) {
        if (error instanceof BulkRequestError) return sendError(reply, 400, 'bad-request', error.message);
        // Nothing of this request was stored (appendMany is all or nothing): the device keeps it all unsent.
        log.error({ err: error }, 'A bulk sync request could not be stored.');
        return sendError(reply, 503, 'not-stored', 'The server could not store these records just now; they stay on the device and are sent again.');
      }
    });
  });
}

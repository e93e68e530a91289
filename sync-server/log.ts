/**
 * The server's log: JSON lines on stdout (pino, Fastify's own logger), one object a line, for journald or
 * any log shipper. What goes in it is chosen so it never holds personal data: record names
 * (`observation/<uuid>`), user ids and route patterns, never a URL as typed (a deep link such as
 * `/children/<child ID>` carries a child's ID), a request body, a name or a narrative.
 * tests/integration/logs.test.ts runs a realistic flow and searches the log for the child ID, the names and
 * the words written.
 *
 * FIELDNOTES_LOG_LEVEL sets the level (pino's: fatal, error, warn, info, debug, trace, silent); info by
 * default (tests/support/nodeSetup.ts lowers it for servers started inside a test process).
 */
import pino, { type Logger } from 'pino';

export type { Logger };

type Listener = (line: string) => void;
const listeners = new Set<Listener>();

/** Lets a benchmark or test see every line written (the log still goes to stdout). */
export function onLogLine(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// process.stdout writes to a file or a pipe synchronously on Linux, so a line is out before a crash's exit.
const destination = {
  write(line: string) {
    for (const listener of listeners) listener(line);
    process.stdout.write(line);
  },
};

function createLogger(level: string): Logger {
  return pino(
    {
      level,
      // The process id and host name add nothing a supervisor does not already know.
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      // An error's own message and stack are kept (the server's words, not a client's); nothing else of it,
      // so a library that hangs a request or a document on an error cannot leak it into the log.
      serializers: { err: (error: unknown) => (error instanceof Error ? { type: error.name, message: error.message, stack: error.stack } : { message: String(error) }) },
    },
    destination,
  );
}

/** The process-wide log: Fastify's logger, and for what runs outside a request (the scheduler, backups, sync hooks). */
export const log: Logger = createLogger(process.env.FIELDNOTES_LOG_LEVEL ?? 'info');

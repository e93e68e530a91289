// Imported first by run.ts: the servers a benchmark starts in its own process log only warnings and errors,
// so their request lines do not bury the figures (servers run as child processes log as in production).
process.env.FIELDNOTES_LOG_LEVEL ??= 'warn';

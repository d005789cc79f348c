/**
 * Keeps a long-running Likeness process (`likeness serve`, the desktop app's library service)
 * alive through background failures. A throw in a file-watcher callback or a promise nobody
 * awaited would otherwise end the process, and with it the user's window ("No photos here",
 * retried forever). Instead each is logged and handed to `report`, which shows it as the
 * indexing error state; the process keeps serving. One-shot CLI commands do not install this:
 * for them an unexpected error should still end the command with a non-zero exit.
 */
export type BackgroundErrorOrigin = 'uncaught exception' | 'unhandled rejection';

export function guardProcess(report: (error: unknown, origin: BackgroundErrorOrigin) => void, log: (line: string, error: unknown) => void = defaultLog): () => void {
  const onException = (error: unknown) => handle(error, 'uncaught exception');
  const onRejection = (reason: unknown) => handle(reason, 'unhandled rejection');
  function handle(error: unknown, origin: BackgroundErrorOrigin): void {
    log(`likeness: a background task failed (${origin}); still running:`, error);
    try {
      report(error, origin);
    } catch (reportError) {
      log('likeness: could not report that failure:', reportError);
    }
  }
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}

function defaultLog(line: string, error: unknown): void {
  console.error(line, error);
}

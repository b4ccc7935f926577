/**
 * What a crash leaves behind: one JSON line (the JsonLogger's fields) on stderr, then exit 1.
 * An uncaught exception or an unhandled rejection leaves the process in an unknown state, so it
 * does not go on serving; the orchestrator (or the operator) restarts it.
 */
export function crashLine(processName: string, kind: 'uncaughtException' | 'unhandledRejection', err: unknown): string {
  const entry: Record<string, unknown> = {
    time: new Date().toISOString(),
    level: 'error',
    service: processName,
    context: 'Process',
    msg: kind === 'uncaughtException' ? 'uncaught exception, exiting' : 'unhandled promise rejection, exiting',
    error: err instanceof Error ? err.message : String(err),
  };
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') entry.code = code;
    entry.stack = err.stack;
  }
  entry.pid = process.pid;
  return `${JSON.stringify(entry)}\n`;
}

let installed = false;

/** Installs the crash handlers once per process (every entry point calls it first). */
export function logCrashes(processName: string, exit: (code: number) => void = (code) => process.exit(code)): void {
  if (installed) return;
  installed = true;
  const crash = (kind: 'uncaughtException' | 'unhandledRejection') => (err: unknown) => {
    try {
      process.stderr.write(crashLine(processName, kind, err));
    } finally {
      exit(1);
    }
  };
  process.on('uncaughtException', crash('uncaughtException'));
  process.on('unhandledRejection', crash('unhandledRejection'));
}

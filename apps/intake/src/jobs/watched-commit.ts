import { CommitImportRequest, ImportSubjects, ImportSummary } from '@app/contracts';
import { BusClient, ServiceUnavailableError } from '@app/platform';

/** While intake waits for a commit's answer, it asks review this often where the commit stands. */
export const COMMIT_PROBE_MS = 3000;
/** Answers "neither committed nor running" in a row that mean the commit or its answer was lost. */
const LOST_AFTER = 2;

/**
 * Asks review to commit a job and waits for the answer, up to `timeoutMs` for a large commit,
 * but asks every COMMIT_PROBE_MS where the commit stands (ImportSubjects.commitState), so a
 * lost answer costs seconds, not the whole timeout:
 * - committed: the stored counts are the answer (the commit's own answer was lost);
 * - running: a commit of the job is in progress, keep waiting;
 * - neither, twice in a row: the request or its answer was lost (review died mid-commit, or
 *   the connection broke); the attempt fails as SERVICE_UNAVAILABLE and the job is retried
 *   after its short backoff. Review's commit is idempotent per job, so the retry cannot apply
 *   it twice.
 * A probe that gets no answer changes nothing (review unreachable: its answer may still come).
 */
export function commitWatched(
  bus: BusClient,
  request: CommitImportRequest,
  options: { timeoutMs: number; probeMs?: number },
): Promise<ImportSummary> {
  const probeMs = options.probeMs ?? COMMIT_PROBE_MS;
  return new Promise<ImportSummary>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let lost = 0;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      settle();
    };
    bus.request(ImportSubjects.commit, request, { timeoutMs: options.timeoutMs }).then(
      (report) => finish(() => resolve(report)),
      (err: unknown) => finish(() => reject(err)),
    );
    const probe = async () => {
      if (settled) return;
      try {
        const answer = await bus.request(ImportSubjects.commitState, { jobId: request.jobId }, { timeoutMs: probeMs });
        if (answer.state === 'committed' && answer.summary) return finish(() => resolve(answer.summary!));
        lost = answer.state === 'none' ? lost + 1 : 0;
        if (lost >= LOST_AFTER) return finish(() => reject(new ServiceUnavailableError(ImportSubjects.commit.name)));
      } catch {
        // No answer to the probe either: keep waiting for the commit's own.
      }
      if (!settled) timer = setTimeout(() => void probe(), probeMs);
    };
    timer = setTimeout(() => void probe(), probeMs);
  });
}

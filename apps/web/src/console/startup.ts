import type { StartupProgress, StepProgress } from '@app/contracts/health/health.contract';

/** What the login screen needs to know: is the first start still creating the tree, accounts and workbooks? */
export type StartupState = { starting: true; progress: StartupProgress | null } | { starting: false };

/**
 * Asks the gateway's health. Only `starting` (503 with that status) holds the login form back:
 * a service down, or no answer at all, shows the form, whose login then says what is wrong.
 */
export async function fetchStartupState(): Promise<StartupState> {
  try {
    const response = await fetch('/api/v1/health');
    if (response.status !== 503) return { starting: false };
    const body = (await response.json().catch(() => null)) as { status?: string; progress?: StartupProgress } | null;
    if (body?.status !== 'starting') return { starting: false };
    return { starting: true, progress: body.progress ?? null };
  } catch {
    return { starting: false };
  }
}

/** The progress as lines a person reads. */
export function progressLines(progress: StartupProgress): string[] {
  const line = (label: string, step: StepProgress) => `${label}：${step.done} / ${step.total}`;
  return [
    line('预置单位', progress.units),
    line('单位账号', progress.accounts),
    line('下级单位账号表', progress.workbooks),
  ];
}

// Everything the CLI says to a person, in Chinese. Errors go to stderr, results to stdout.
import { describeInvalidForm, InvalidForm, PackageError, TemplateCellError, TemplateError } from '@app/package';
import { ConfigError } from '@app/platform';
import { OpsError } from './ops/tools';

export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function complain(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function printInvalidForms(forms: readonly InvalidForm[]): void {
  for (const form of forms) for (const line of describeInvalidForm(form)) complain(`  ✗ ${line}`);
}

export function printCellErrors(errors: readonly TemplateCellError[]): void {
  for (const error of errors) {
    const where = error.column
      ? `${error.sheet} ${error.column}${error.row}（${error.header}）`
      : `${error.sheet} 第${error.row}行`;
    complain(`  ✗ ${where}：${error.message}`);
  }
}

/** Prints a known error with its code; returns the exit code. Unknown errors are rethrown. */
export function printError(error: unknown): number {
  if (error instanceof PackageError || error instanceof TemplateError) {
    complain(`错误（${error.code}）：${error.message}`);
    if (error instanceof PackageError && error.code === 'FORM_INVALID')
      printInvalidForms(error.details.forms as InvalidForm[]);
    else printDetails(error.details);
    return 1;
  }
  if (error instanceof OpsError) {
    complain(`错误（${error.code}）：${error.message}`);
    return 1;
  }
  if (error instanceof ConfigError) {
    complain(error.message);
    return 2;
  }
  if (error instanceof UsageError) {
    complain(`用法错误：${error.message}`);
    complain('运行 npm run client -- --help 查看用法');
    return 2;
  }
  throw error;
}

function printDetails(details: Record<string, unknown>): void {
  const entries = details.entries;
  if (!Array.isArray(entries)) return;
  for (const entry of entries) {
    if (typeof entry === 'string') complain(`  - ${entry}`);
    else if (entry && typeof entry === 'object') complain(`  - ${Object.values(entry).join('  ')}`);
  }
}

/** The command line was wrong (exit code 2). */
export class UsageError extends Error {}

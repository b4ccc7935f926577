// sample -n 100 -o forms.json: valid test data (distinct websites, fresh ids).
import { writeFileSync } from 'node:fs';
import { createSampleForm } from '@app/forms';
import { say, UsageError } from '../print';

export function sample(
  count: number,
  output: string | undefined,
  options: { fillerUnit?: string; columns: number },
): number {
  if (!output) throw new UsageError('请用 -o 指定输出的 .json 文件');
  if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new UsageError('-n 应为 1 到 100000 之间的整数');
  if (!Number.isInteger(options.columns) || options.columns < 0 || options.columns > 200)
    throw new UsageError('--columns 应为 0 到 200 之间的整数');
  const forms = Array.from({ length: count }, (_, n) =>
    createSampleForm(n, { fillerUnit: options.fillerUnit, columnCount: options.columns }),
  );
  writeFileSync(output, `${JSON.stringify(forms, null, 2)}\n`);
  say(`已生成${count}张样例表：${output}`);
  return 0;
}

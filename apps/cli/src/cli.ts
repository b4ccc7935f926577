// The package CLI for the support desk and for test data: `npm run client -- <command>`.
// Same libs and same errors as the server and the offline client.
import { parseArgs } from 'node:util';
import { inspect } from './commands/inspect';
import { pack } from './commands/pack';
import { sample } from './commands/sample';
import { template } from './commands/template';
import { validate } from './commands/validate';
import { backup } from './ops/backup';
import { rekey } from './ops/rekey';
import { restore } from './ops/restore';
import { printError, say, UsageError } from './print';

const HELP = `政府网站信息报送 命令行工具

用法：npm run client -- <命令> [参数]

命令：
  pack <forms.json|模板.xlsx> -o <out.zip>   生成上报文件（与离线填报工具生成的相同）
       --filler-unit <单位>                  上报文件的填报单位（默认取表中一致的“填报单位”）
       --assign-ids                          为没有表单编号的表生成编号
  validate <forms.json|模板.xlsx|模板.xls|上报文件.zip> 检查每张表，列出所有错误
  inspect <上报文件.zip> [--json]             显示清单并核对每个文件的 sha256
  template [forms.json] -o <模板.xlsx>        生成空白Excel模板（或填入已有的表）
  sample -n <数量> -o <forms.json>            生成样例数据（测试用）
       --filler-unit <单位>  --columns <每张表的栏目数，默认3>

运维命令（读取服务使用的 DATABASE_URL、S3_*、ENCRYPTION_KEY 等设置，见 docs/OPERATIONS.md）：
  backup --out <目录>                         备份数据库（pg_dump）和全部存储对象，写出带 sha256 的清单
  restore --from <目录> [--force]             先核对清单，再恢复数据库和存储对象；目标非空时须加 --force
  rekey [--batch <每批条数，默认500>]         用当前 ENCRYPTION_KEY 重新加密所有加密字段（可中断后重跑）

退出码：0 成功；1 数据有错误或操作被拒绝；2 用法或配置错误。`;

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  'filler-unit': { type: 'string' },
  'assign-ids': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  count: { type: 'string', short: 'n' },
  columns: { type: 'string' },
  out: { type: 'string' },
  from: { type: 'string' },
  force: { type: 'boolean', default: false },
  batch: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const [command, input, ...rest] = positionals;
  if (values.help || !command) {
    say(HELP);
    return command || values.help ? 0 : 2;
  }
  if (rest.length > 0) throw new UsageError(`多余的参数：${rest.join(' ')}`);
  switch (command) {
    case 'pack':
      return pack({
        input: required(input, '要打包的文件'),
        output: values.output,
        fillerUnit: values['filler-unit'],
        assignIds: values['assign-ids'],
      });
    case 'validate':
      return validate(required(input, '要检查的文件'));
    case 'inspect':
      return inspect(required(input, '上报文件'), values.json);
    case 'template':
      return template(input, values.output);
    case 'sample':
      return sample(Number(values.count ?? '10'), values.output, {
        fillerUnit: values['filler-unit'],
        columns: Number(values.columns ?? '3'),
      });
    case 'backup':
      noPositional(input);
      return backup(required(values.out, '备份目录（--out）'));
    case 'restore':
      noPositional(input);
      return restore(required(values.from, '备份目录（--from）'), values.force);
    case 'rekey': {
      noPositional(input);
      const batch = Number(values.batch ?? '500');
      if (!Number.isInteger(batch) || batch < 1 || batch > 10000)
        throw new UsageError('--batch 应为 1 到 10000 的整数');
      return rekey(batch);
    }
    default:
      throw new UsageError(`不认识的命令“${command}”`);
  }
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function noPositional(value: string | undefined): void {
  if (value !== undefined) throw new UsageError(`多余的参数：${value}`);
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`请给出${what}`);
  return value;
}

/** Runs a command line and returns its exit code; known errors are printed, not thrown. */
export async function execute(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (error) {
    return printError(error);
  }
}

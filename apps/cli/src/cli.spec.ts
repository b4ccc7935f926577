// The CLI end to end in-process: real files in a temp folder, output captured.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPackage } from '@app/package';
import { execute } from './cli';

const dir = mkdtempSync(join(tmpdir(), 'gsr-cli-'));
const file = (name: string) => join(dir, name);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    return { code: await execute(argv), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('CLI', () => {
  it('makes sample data, validates, packs and inspects it', async () => {
    expect((await cli('sample', '-n', '4', '--filler-unit', '某某局', '-o', file('forms.json'))).code).toBe(0);
    expect(await cli('validate', file('forms.json'))).toMatchObject({ code: 0, out: '检查通过：4张表全部符合要求\n' });
    expect((await cli('pack', file('forms.json'), '-o', file('out.zip'))).code).toBe(0);
    const contents = readPackage(new Uint8Array(readFileSync(file('out.zip'))));
    expect(contents.forms).toHaveLength(4);
    expect(contents.manifest.fillerUnit).toBe('某某局');
    const inspected = await cli('inspect', file('out.zip'));
    expect(inspected.code).toBe(0);
    expect(inspected.out.match(/✓ 校验一致/g)).toHaveLength(4);
    expect(await cli('validate', file('out.zip'))).toMatchObject({ code: 0 });
  });

  it('goes through the Excel template too', async () => {
    await cli('sample', '-n', '2', '--filler-unit', '某某局', '-o', file('two.json'));
    expect((await cli('template', file('two.json'), '-o', file('two.xlsx'))).code).toBe(0);
    expect((await cli('pack', file('two.xlsx'), '-o', file('two.zip'))).code).toBe(0);
    const forms = JSON.parse(readFileSync(file('two.json'), 'utf8'));
    expect(readPackage(new Uint8Array(readFileSync(file('two.zip')))).forms.map((form) => form.id)).toEqual(
      forms.map((form: { id: string }) => form.id),
    );
  });

  it('lists every error and exits 1 without writing a package', async () => {
    await cli('sample', '-n', '2', '-o', file('bad.json'));
    const forms = JSON.parse(readFileSync(file('bad.json'), 'utf8'));
    forms[1].principal.mobile = '123';
    forms[1].contact.officePhone = '010-1234567；010-7654321';
    writeFileSync(file('bad.json'), JSON.stringify(forms));
    const result = await cli('pack', file('bad.json'), '-o', file('bad.zip'), '--filler-unit', '某某局');
    expect(result.code).toBe(1);
    expect(result.err).toContain('负责人手机：手机号应为11位数字');
    expect(result.err).toContain('联系人办公电话只能填写一个电话号码，不能填写多个');
    expect(() => readFileSync(file('bad.zip'))).toThrow();
  });

  it('refuses a package whose form holds a NUL or a bidi override, naming the form and field', async () => {
    await cli('sample', '-n', '2', '--filler-unit', '某某局', '-o', file('nul.json'));
    expect((await cli('pack', file('nul.json'), '-o', file('nul.zip'))).code).toBe(0);
    // Edit the form inside the package and fix its hash, as a hand-made package would.
    const { craftZip, unpack } = await import('@app/package/testing/craft-zip');
    const { sha256Hex } = await import('@app/package');
    const entries = unpack(new Uint8Array(readFileSync(file('nul.zip'))));
    const manifestEntry = entries.find((e) => e.name === 'manifest.json')!;
    const manifest = JSON.parse(new TextDecoder().decode(manifestEntry.data as Uint8Array));
    const listed = manifest.forms[0];
    const entry = entries.find((e) => e.name === listed.path)!;
    const form = JSON.parse(new TextDecoder().decode(entry.data as Uint8Array));
    form.site.siteName = `${form.site.siteName}\u0000`;
    form.contact.name = '张\u202e三';
    const data = new TextEncoder().encode(JSON.stringify(form));
    listed.sha256 = sha256Hex(data);
    writeFileSync(
      file('nul.zip'),
      craftZip(
        entries.map((e) =>
          e === entry ? { ...e, data } : e === manifestEntry ? { ...e, data: JSON.stringify(manifest) } : e,
        ),
      ),
    );
    const result = await cli('validate', file('nul.zip'));
    expect(result.code).toBe(1);
    expect(result.err).toContain(`《${listed.siteName}》：网站名称含有不允许的空字符（U+0000），请删除`);
    expect(result.err).toContain('联系人姓名含有不允许的文字方向控制符（U+202E），请删除');
  });

  it('reports a refused package with its code', async () => {
    writeFileSync(file('not.zip'), 'hello');
    expect(await cli('inspect', file('not.zip'))).toMatchObject({
      code: 1,
      err: expect.stringContaining('错误（NOT_A_ZIP）'),
    });
  });

  it.each([[['bogus']], [['pack', 'x.json']], [[]], [['inspect', '--nope']]])(
    'exits 2 on a usage error: %j',
    async (argv) => {
      expect((await cli(...argv)).code).toBe(2);
    },
  );

  it('prints help in Chinese', async () => {
    expect(await cli('--help')).toMatchObject({ code: 0, out: expect.stringContaining('生成上报文件') });
  });
});

describe('CLI operator commands: refusals that need no server', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('names what is missing on the command line (exit code 2)', async () => {
    expect(await cli('backup')).toMatchObject({ code: 2, err: expect.stringContaining('请给出备份目录（--out）') });
    expect(await cli('restore')).toMatchObject({ code: 2, err: expect.stringContaining('请给出备份目录（--from）') });
    expect(await cli('rekey', '--batch', '0')).toMatchObject({ code: 2, err: expect.stringContaining('--batch') });
  });

  it('names an unset setting (exit code 2) and never prints a secret', async () => {
    delete process.env.DATABASE_URL;
    process.env.S3_SECRET_KEY = 'a-secret-value-never-printed';
    const result = await cli('backup', '--out', file('never-made'));
    expect(result.code).toBe(2);
    expect(result.err).toContain('DATABASE_URL');
    expect(result.err).not.toContain('a-secret-value-never-printed');
  });

  it('refuses a directory that is no backup, a manifest pointing outside it and a damaged copy, before reading any setting', async () => {
    delete process.env.DATABASE_URL;
    const empty = mkdtempSync(join(dir, 'empty-'));
    expect(await cli('restore', '--from', empty)).toMatchObject({
      code: 1,
      err: expect.stringContaining('BACKUP_MANIFEST_INVALID'),
    });

    const backup = mkdtempSync(join(dir, 'backup-'));
    writeFileSync(join(backup, 'database.dump'), 'dump bytes');
    const manifest = {
      format: 'gsr-backup',
      formatVersion: 1,
      startedAt: '2026-12-02T00:00:00.000Z',
      database: {
        file: 'database.dump',
        size: 10,
        sha256: createHash('sha256').update('dump bytes').digest('hex'),
        schemas: [],
      },
      buckets: [{ role: 'files', name: 'gsr-files', objects: [] as unknown[] }],
    };
    writeFileSync(
      join(backup, 'manifest.json'),
      JSON.stringify({ ...manifest, database: { ...manifest.database, file: '../../etc/passwd' } }),
    );
    expect(await cli('restore', '--from', backup)).toMatchObject({
      code: 1,
      err: expect.stringContaining('不在备份目录内'),
    });

    writeFileSync(
      join(backup, 'manifest.json'),
      JSON.stringify({ ...manifest, database: { ...manifest.database, size: 11 } }),
    );
    const damaged = await cli('restore', '--from', backup, '--force');
    expect(damaged).toMatchObject({ code: 1, err: expect.stringContaining('BACKUP_CORRUPT') });
    expect(damaged.err).toContain('数据库导出（database.dump）大小 10，清单为 11');
  });
});

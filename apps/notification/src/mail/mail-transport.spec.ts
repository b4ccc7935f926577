import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileMailTransport } from './mail-transport';

describe('FileMailTransport', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'gsr-mail-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates its directory and writes one .eml file per message', async () => {
    const dir = join(root, 'data', 'mail');
    const transport = new FileMailTransport(dir);
    await transport.send({
      id: 'm1',
      from: 'a@example.gov.cn',
      to: ['b@example.gov.cn'],
      subject: '主题',
      text: '正文',
    });
    transport.close();
    const [file] = readdirSync(dir);
    expect(file).toMatch(/-m1\.eml$/);
    expect(readFileSync(join(dir, file), 'utf8')).toContain('Message-ID: <m1@gov-site-report>');
  });

  it('refuses to start where it cannot write, naming DATA_DIR and SMTP_URL (EACCES, EROFS or, here, a file in the way)', () => {
    writeFileSync(join(root, '.data'), '');
    expect(() => new FileMailTransport(join(root, '.data', 'mail'))).toThrow(
      /邮件目录 .*\.data\/mail 不可写（ENOTDIR）：请设置 SMTP_URL，或把 DATA_DIR 指向可写的卷/,
    );
  });
});

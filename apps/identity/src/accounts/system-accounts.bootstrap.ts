import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Role, Roles } from '@app/contracts';
import { AccountSettings, APP_CONFIG, DataDirSettings } from '@app/platform';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AccountRepository } from './account.repository';
import { InitialPasswordVault } from './initial-password-vault';
import { hashPassword } from './password-hasher';
import { generateInitialPassword } from './password-generator';

interface SystemAccount {
  username: string;
  roles: Role[];
  given?: string;
  label: string;
}

/** The root unit's code, which is also its account's username. */
export const ROOT_USERNAME = 'bm0100';

/**
 * How generated first-start passwords reach the operator: `terminal` (`npm start`: printed
 * once, never into the log stream) or `file` (every other run: a file under DATA_DIR, readable
 * by the service's user only; the log names the file, never a password).
 */
export const PASSWORD_HANDOVER = Symbol('PASSWORD_HANDOVER');
export type PasswordHandover = 'terminal' | 'file';

/** The handover file's name under DATA_DIR. */
export const INITIAL_PASSWORDS_FILE = 'initial-passwords.txt';

/**
 * On first start creates bm0100 (ROOT), support and auditor. A password given in the
 * environment is kept as the user's own and never shown; otherwise a random one is handed
 * over once (PASSWORD_HANDOVER) and must be changed at first login. Replicas may boot
 * together: the insert is conflict-free and only the replica that inserted hands over.
 */
@Injectable()
export class SystemAccountsBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(SystemAccountsBootstrap.name);

  constructor(
    private readonly accounts: AccountRepository,
    @Inject(APP_CONFIG) private readonly config: AccountSettings & Partial<DataDirSettings>,
    private readonly vault: InitialPasswordVault,
    @Inject(PASSWORD_HANDOVER) private readonly handover: PasswordHandover,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const accounts: SystemAccount[] = [
      {
        username: ROOT_USERNAME,
        roles: [Roles.ORG, Roles.ROOT],
        given: this.config.ROOT_PASSWORD,
        label: '国务院办公厅（根节点）',
      },
      { username: 'support', roles: [Roles.SUPPORT], given: this.config.SUPPORT_PASSWORD, label: '技术支持' },
      { username: 'auditor', roles: [Roles.AUDITOR], given: this.config.AUDITOR_PASSWORD, label: '审计员' },
    ];
    const file = join(resolve(this.config.DATA_DIR ?? './.data'), INITIAL_PASSWORDS_FILE);
    // Outside the terminal a generated password goes to the file: it must be writable before
    // any account is created with a password nobody could learn.
    if (this.handover === 'file') await this.checkHandoverFile(accounts, file);
    const printed: string[] = [];
    const generated: string[] = [];
    for (const account of accounts) {
      const password = account.given ?? generateInitialPassword();
      // A generated password is an initial one (kept sealed for the support reset); a given one is the user's own.
      const created = await this.accounts.insertIfAbsent({
        username: account.username,
        orgUnitId: null,
        roles: account.roles,
        passwordHash: await hashPassword(password),
        mustChangePassword: account.given === undefined,
        initialPasswordEnc: account.given === undefined ? this.vault.seal(account.username, password) : null,
      });
      if (!created) continue;
      this.logger.log({ msg: 'system account created', username: account.username });
      if (account.given === undefined) {
        generated.push(account.username);
        printed.push(`  ${account.label.padEnd(12, '　')} 账号 ${account.username.padEnd(8)} 初始密码 ${password}`);
      }
    }
    if (printed.length === 0) return;
    const text = `首次启动：已创建以下系统账号（密码只显示这一次，首次登录后须修改）：\n${printed.join('\n')}\n`;
    if (this.handover === 'terminal') {
      // Written straight to the terminal, once, and never to the log stream.
      process.stdout.write(`\n${text}\n`);
      return;
    }
    mkdirSync(resolve(file, '..'), { recursive: true });
    writeFileSync(file, `${text}读取后请删除本文件。\n`, { mode: 0o600 });
    this.logger.warn({
      msg: 'generated initial passwords written to a file: read it once, then delete it',
      path: file,
      usernames: generated,
    });
  }

  /** Refuses to boot if a password would be generated but could not be handed over. */
  private async checkHandoverFile(accounts: SystemAccount[], file: string): Promise<void> {
    const pending = await Promise.all(
      accounts
        .filter((account) => account.given === undefined)
        .map(async (account) => ((await this.accounts.findByUsername(account.username)) ? null : account.username)),
    );
    if (pending.every((name) => name === null)) return;
    try {
      mkdirSync(resolve(file, '..'), { recursive: true });
      accessSync(resolve(file, '..'), constants.W_OK);
    } catch (err) {
      throw new Error(
        `首次启动须交付系统账号的初始密码，但 DATA_DIR 不可写（${err instanceof Error ? err.message : String(err)}）：请设置 ROOT_PASSWORD、SUPPORT_PASSWORD、AUDITOR_PASSWORD，或给 DATA_DIR 挂载可写卷`,
      );
    }
  }
}

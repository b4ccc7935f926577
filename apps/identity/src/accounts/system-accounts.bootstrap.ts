import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Role, Roles } from '@app/contracts';
import { AccountSettings, APP_CONFIG } from '@app/platform';
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
 * On first start creates bm0100 (ROOT), support and auditor. A password given in the
 * environment is kept as the user's own; otherwise a random one is printed once, here,
 * and must be changed at first login. Replicas may boot together: the insert is
 * conflict-free and only the replica that inserted prints.
 */
@Injectable()
export class SystemAccountsBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(SystemAccountsBootstrap.name);

  constructor(
    private readonly accounts: AccountRepository,
    @Inject(APP_CONFIG) private readonly config: AccountSettings,
    private readonly vault: InitialPasswordVault,
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
    const printed: string[] = [];
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
      if (account.given === undefined)
        printed.push(`  ${account.label.padEnd(12, '　')} 账号 ${account.username.padEnd(8)} 初始密码 ${password}`);
    }
    if (printed.length > 0) {
      // Written straight to the terminal, once, and never to the log stream.
      process.stdout.write(
        `\n首次启动：已创建以下系统账号（密码只显示这一次，首次登录后须修改）：\n${printed.join('\n')}\n\n`,
      );
    }
  }
}

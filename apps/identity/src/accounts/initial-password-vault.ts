import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, EncryptionSettings, fieldCipherOf, FieldCipher } from '@app/platform';

/** Keeps initial passwords encrypted, each bound to its account's username. */
@Injectable()
export class InitialPasswordVault {
  private readonly cipher: FieldCipher;

  constructor(@Inject(APP_CONFIG) config: EncryptionSettings) {
    this.cipher = fieldCipherOf(config);
  }

  seal(username: string, password: string): string {
    return this.cipher.encrypt(password, `initial-password:${username}`);
  }

  open(username: string, sealed: string): string {
    return this.cipher.decrypt(sealed, `initial-password:${username}`);
  }
}

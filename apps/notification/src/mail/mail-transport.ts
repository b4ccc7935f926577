import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { Transporter } from 'nodemailer';

export interface OutgoingMail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
}

/** Where mail goes: a real SMTP server, or (embedded default) one .eml file per message. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export class SmtpMailTransport implements MailTransport {
  private readonly transporter: Transporter;

  constructor(url: string) {
    this.transporter = nodemailer.createTransport(url);
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail({
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      messageId: `<${mail.id}@gov-site-report>`,
    });
  }

  close(): void {
    this.transporter.close();
  }
}

/**
 * Writes each message, fully MIME-encoded by nodemailer, to `<dir>/<time>-<id>.eml`. The
 * directory must be writable when the app boots (the image's DATA_DIR is a declared volume;
 * a read-only root filesystem has no other writable place): otherwise the boot stops, saying
 * which setting to change, instead of failing on the first mail.
 */
export class FileMailTransport implements MailTransport {
  private readonly builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(private readonly dir: string) {
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new Error(
        `邮件目录 ${dir} 不可写（${reason}）：请设置 SMTP_URL，或把 DATA_DIR 指向可写的卷 / ` +
          `mail directory ${dir} is not writable (${reason}): set SMTP_URL, or point DATA_DIR at a writable volume`,
      );
    }
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = await this.builder.sendMail({
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      messageId: `<${mail.id}@gov-site-report>`,
    });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    writeFileSync(join(this.dir, `${stamp}-${mail.id}.eml`), info.message as Buffer);
  }

  close(): void {
    this.builder.close();
  }
}

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

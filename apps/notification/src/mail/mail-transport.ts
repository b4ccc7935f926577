import { mkdirSync, writeFileSync } from 'node:fs';
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

/** Writes each message, fully MIME-encoded by nodemailer, to `<dir>/<time>-<id>.eml`. */
export class FileMailTransport implements MailTransport {
  private readonly builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
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

import { MAX_MAILS_PER_MESSAGE, SendMailRequest } from '@app/contracts';
import { messages } from './code-mail-sender';

const mail = (n: number, textLength = 100): SendMailRequest => ({
  key: `site-code:${n}`,
  to: [`p${n}@example.gov.cn`],
  subject: '网站标识码通知',
  text: '正'.repeat(textLength),
});

describe('code mail messages', () => {
  it('keeps every mail, in order, in messages of at most MAX_MAILS_PER_MESSAGE', () => {
    const mails = Array.from({ length: 450 }, (_, i) => mail(i));
    const parts = messages(mails);
    expect(parts.map((part) => part.length)).toEqual([MAX_MAILS_PER_MESSAGE, MAX_MAILS_PER_MESSAGE, 50]);
    expect(parts.flat()).toEqual(mails);
  });

  it('keeps a message under 512 KiB however long the mails are', () => {
    // About 18 KB each (6,000 CJK characters): 29 fit in 512 KiB.
    const mails = Array.from({ length: 100 }, (_, i) => mail(i, 6000));
    const parts = messages(mails);
    expect(parts.flat()).toEqual(mails);
    for (const part of parts) expect(Buffer.byteLength(JSON.stringify(part))).toBeLessThanOrEqual(512 * 1024 + 100);
    expect(parts.length).toBeGreaterThan(3);
  });

  it('sends nothing for no mail', () => {
    expect(messages([])).toEqual([]);
  });
});

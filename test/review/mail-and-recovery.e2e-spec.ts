import { createSampleForm } from '@app/forms';
import { FieldCipher } from '@app/platform';
import { eventually } from '@app/testing';
import { createGatewayApp } from '../../apps/gateway/src/create-gateway-app';
import { ReviewSystem, Unit } from './support/review-system';

/**
 * Approval mail by reference (one code_mail_batch row per approval, rendered and handed to
 * notification in chunks by review's code-mail sender) and notification's mail worker, to a
 * real SMTP server: with notification down during the approvals, and the SMTP server busy
 * after, every mail still goes out, once; the 校验码 is never kept in clear text (review keeps
 * only the record ids, notification the body sealed while waiting, dropped once sent). A
 * 全部审核 of 250 records (three chunks) mails each site once, also when a chunk notification
 * already stored is handed to it again (a sender that died before it wrote its progress).
 * Then 标识码找回: the same answer whether or not anything matched, mail only on a match
 * and only to the registered addresses, rate-limited per IP (across gateway replicas) and
 * per record.
 */
describe('approval mail and 标识码找回', () => {
  let sys: ReviewSystem;
  let province: Unit;
  let city: Unit;
  let county: Unit;
  const forms = Array.from({ length: 5 }, (_, i) => createSampleForm(500 + i));

  beforeAll(async () => {
    sys = await ReviewSystem.start();
    [province, city, county] = await Promise.all(['130000', '130300', '130302'].map((code) => sys.unit(code)));
  });

  afterAll(async () => {
    await sys?.close();
  });

  const checkCodeOf = async (id: string) => {
    const [row] = await sys.sql('SELECT check_code_enc FROM review.record WHERE id = $1', [id]);
    return new FieldCipher(sys.runtime.config.ENCRYPTION_KEY!).decrypt(row.check_code_enc, `check-code:${id}`);
  };

  it('mails 标识码 and 校验码 to 负责人 and 联系人 once each, even when notification was down at approval', async () => {
    await sys.importForms(county, forms);
    await sys.stop('notification');
    expect((await county.client.post('/forms/submit-all')).body).toEqual({ submitted: 5 });
    expect((await city.client.post('/forms/review-all')).body).toEqual({ approved: 0, forwarded: 5 });
    expect((await province.client.post('/forms/review-all')).body).toEqual({ approved: 5, forwarded: 0 });
    // The mails wait, as one batch naming the five records, while notification is away.
    await eventually(
      async () =>
        (
          await sys.sql(
            `SELECT count(*)::int AS n FROM review.code_mail_batch WHERE done_at IS NULL AND sent = 0 AND total = 5 AND attempts >= 1`,
          )
        )[0].n === 1,
    );
    expect(sys.smtp.received).toHaveLength(0);

    // The SMTP server is busy at first: the mails wait in notification, their bodies sealed.
    sys.smtp.refusing = true;
    await sys.startService('notification');
    const waiting = await eventually(async () => {
      const rows = await sys.sql(
        `SELECT body, body_sealed FROM notification.mail WHERE status = 'PENDING' AND attempts >= 1`,
      );
      return rows.length === 5 ? rows : undefined;
    }, 60_000);
    const codes = await Promise.all(forms.map((f) => checkCodeOf(f.id)));
    for (const row of waiting) {
      expect(row.body_sealed).toBe(true);
      expect(row.body).toMatch(/^v2\.[0-9a-f]{8}\./);
      for (const code of codes) expect(row.body).not.toContain(code);
    }
    // Review never kept a mail: the batch names the records (the 校验码 stays sealed in them),
    // done once notification has stored the five.
    expect(await sys.sql(`SELECT 1 FROM review.outbox WHERE subject LIKE 'notification.mail.%'`)).toHaveLength(0);
    const [batch] = await sys.sql(`SELECT record_ids::text[] AS ids, sent, total, done_at FROM review.code_mail_batch`);
    expect([batch.ids.sort(), batch.sent, batch.total]).toEqual([forms.map((f) => f.id).sort(), 5, 5]);
    expect(batch.done_at).not.toBeNull();
    expect(sys.smtp.received).toHaveLength(0);
    sys.smtp.refusing = false;
    await eventually(async () => sys.smtp.received.length >= 5, 60_000);
    // Count once nothing is left to send: a duplicate would have gone out by then.
    await sys.mailSettled();
    expect(sys.smtp.received).toHaveLength(5);
    expect(await sys.sql(`SELECT 1 FROM notification.mail`)).toHaveLength(5);
    for (const [i, f] of forms.entries()) {
      const mail = sys.smtp.received.find(
        (m) => m.subject === `【全国政府网站信息报送系统】网站标识码通知：${f.site.siteName}`,
      );
      expect(mail).toBeDefined();
      expect(mail!.to.sort()).toEqual([`lina${500 + i}@example.gov.cn`, `zhangwei${500 + i}@example.gov.cn`]);
      const siteCode = (await county.client.get(`/forms/${f.id}`)).body.siteCode;
      expect(siteCode).toMatch(/^130302000[1-5]$/);
      expect(mail!.text).toContain(`网站标识码：${siteCode}`);
      expect(mail!.text).toContain(`校验码：${await checkCodeOf(f.id)}`);
      expect(mail!.text).toMatch(/审核通过日期：\d{4}年\d{1,2}月\d{1,2}日/);
      expect(mail!.text).toContain(f.site.homepageUrl);
    }
    // Sent, a mail keeps its recipients and subject, not its body.
    await eventually(
      async () => (await sys.sql(`SELECT 1 FROM notification.mail WHERE status <> 'SENT' OR body <> ''`)).length === 0,
    );
    // And the owner has one unread notice for the five approvals of the 全部审核, naming each.
    const notice = await eventually(async () =>
      (await county.client.get('/notices?pageSize=50')).body.items.find(
        (n: { kind: string }) => n.kind === 'record-approved',
      ),
    );
    expect(notice.title).toBe('5个网站信息已审核通过');
    for (const f of forms) expect(notice.body).toContain(`“${f.site.siteName}”`);
    expect(notice.recordId).toBeNull(); // about five records: it links to none of them
    const notices = (await county.client.get('/notices?pageSize=50')).body;
    expect(notices.items.filter((n: { kind: string }) => n.kind === 'record-approved')).toHaveLength(1);
    expect(notices.unread).toBe(1);
  });

  it('notifies the unit a record is returned to', async () => {
    const id = forms[0].id;
    expect((await province.client.post(`/forms/${id}/return`, { reason: '首页网址无法访问' })).status).toBe(200);
    const notice = await eventually(async () =>
      (await city.client.get('/notices')).body.items.find((n: { kind: string }) => n.kind === 'record-returned'),
    );
    expect(notice.title).toBe(`网站信息被退回：${forms[0].site.siteName}`);
    expect(notice.body).toContain('首页网址无法访问');
  });

  it('mails each site of a 全部审核 of 250 once, in chunks, also when chunks reach notification twice', async () => {
    const shanhaiguan = await sys.unit('130303');
    const many = Array.from({ length: 250 }, (_, i) => createSampleForm(2000 + i));
    await sys.importForms(shanhaiguan, many);
    const sentBefore = sys.smtp.received.length;
    expect((await shanhaiguan.client.post('/forms/submit-all')).body).toEqual({ submitted: 250 });
    expect((await city.client.post('/forms/review-all')).body).toEqual({ approved: 0, forwarded: 250 });
    expect((await province.client.post('/forms/review-all')).body).toEqual({ approved: 250, forwarded: 0 });
    // One row names the 250 records; no mail was written in the approving transaction.
    const [batch] = await sys.sql(
      `SELECT id, record_ids::text[] AS ids FROM review.code_mail_batch WHERE $1::uuid = ANY(record_ids)`,
      [many[0].id],
    );
    expect(batch.ids.sort()).toEqual(many.map((f) => f.id).sort());
    const codeMails = () => sys.smtp.received.slice(sentBefore).filter((m) => m.subject.includes('网站标识码通知'));
    await eventually(async () => codeMails().length >= 250, 60_000);
    await sys.mailSettled();
    const check = async () => {
      expect(codeMails()).toHaveLength(250);
      const cipher = new FieldCipher(sys.runtime.config.ENCRYPTION_KEY!);
      const coded = await sys.sql(
        `SELECT id, site_code, check_code_enc FROM review.record WHERE id = ANY($1::uuid[])`,
        [many.map((f) => f.id)],
      );
      const codes = new Map(coded.map((row) => [row.id, row]));
      const bySubject = new Map(codeMails().map((m) => [m.subject, m]));
      for (const [i, f] of many.entries()) {
        const mail = bySubject.get(`【全国政府网站信息报送系统】网站标识码通知：${f.site.siteName}`)!;
        expect(mail.to.sort()).toEqual([`lina${2000 + i}@example.gov.cn`, `zhangwei${2000 + i}@example.gov.cn`]);
        const { site_code, check_code_enc } = codes.get(f.id);
        expect(mail.text).toContain(`网站标识码：${site_code}`);
        expect(mail.text).toContain(`校验码：${cipher.decrypt(check_code_enc, `check-code:${f.id}`)}`);
      }
    };
    await check();

    // A sender that died after notification stored chunks two and three, before it wrote how
    // far it got, leaves the batch as it was after the first chunk: taken again, it hands those
    // chunks to notification again, which stores nothing new. Each site still has one mail.
    await sys.sql(`UPDATE review.code_mail_batch SET sent = 100, done_at = NULL WHERE id = $1`, [batch.id]);
    await eventually(async () => {
      const [row] = await sys.sql(`SELECT attempts, sent, done_at FROM review.code_mail_batch WHERE id = $1`, [
        batch.id,
      ]);
      return row.done_at !== null && row.attempts === 2 && row.sent === 250;
    }, 30_000);
    await sys.mailSettled();
    await check();
    expect(
      await sys.sql(`SELECT 1 FROM notification.mail WHERE key = ANY($1::text[])`, [
        many.map((f) => `site-code:${f.id}`),
      ]),
    ).toHaveLength(250);
  });

  async function recover(ip: string, body: Record<string, string>, baseUrl = sys.anonymous.baseUrl) {
    const res = await fetch(`${baseUrl}/api/v1/public/site-code-recovery`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  it('answers 标识码找回 the same whether or not anything matched, and mails only the registered addresses', async () => {
    const f = forms[1];
    const sentBefore = sys.smtp.received.length;
    const match = {
      siteName: f.site.siteName,
      homepageUrl: `${f.site.homepageUrl}/`,
      personName: '李娜',
      email: `LINA${501}@example.gov.cn`,
    };
    const matched = await recover('198.51.100.1', match);
    const unmatched = await recover('198.51.100.1', { ...match, personName: '王芳' });
    const unknownSite = await recover('198.51.100.1', { ...match, siteName: '不存在的网站' });
    expect(matched).toEqual(unmatched);
    expect(matched).toEqual(unknownSite);
    expect(matched.status).toBe(202);

    const mail = await eventually(async () =>
      sys.smtp.received.slice(sentBefore).find((m) => m.subject.includes('网站标识码找回')),
    );
    expect(mail.to.sort()).toEqual(['lina501@example.gov.cn', 'zhangwei501@example.gov.cn']);
    expect(mail.text).toContain(`校验码：${await checkCodeOf(f.id)}`);
    // The three requests were answered after their mails (if any) were asked for in the same
    // transaction: once those are all sent, the count is final.
    await sys.mailSettled();
    expect(sys.smtp.received.slice(sentBefore)).toHaveLength(1);
    const audit = await eventually(async () => {
      const rows = await sys.sql(
        `SELECT outcome FROM identity.audit_log WHERE action = 'site-code.recovery' ORDER BY at`,
      );
      return rows.length === 3 ? rows : undefined;
    });
    expect(audit.map((row: { outcome: string }) => row.outcome)).toEqual(['success', 'denied', 'denied']);
  });

  it('limits 标识码找回 per IP (429) and, silently, per record', async () => {
    const f = forms[2];
    const match = {
      siteName: f.site.siteName,
      homepageUrl: f.site.homepageUrl,
      personName: '张伟',
      email: `zhangwei502@example.gov.cn`,
    };
    const sentBefore = sys.smtp.received.length;
    // Five from different addresses: all answered alike, but only three mails per record a day.
    for (let i = 0; i < 5; i++) expect((await recover(`203.0.113.${i + 1}`, match)).status).toBe(202);
    await eventually(async () => sys.smtp.received.length - sentBefore >= 3);
    await sys.mailSettled();
    expect(sys.smtp.received.length - sentBefore).toBe(3);

    const ip = '192.0.2.77';
    for (let i = 0; i < 5; i++) expect((await recover(ip, { ...match, personName: `某人${i}` })).status).toBe(202);
    const limited = await recover(ip, match);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
  });

  it('holds the per-IP limit across gateway replicas', async () => {
    const second = await createGatewayApp(sys.runtime);
    await second.listen(0, '127.0.0.1');
    try {
      const other = (await second.getUrl()).replace('[::1]', '127.0.0.1');
      const attempt = {
        siteName: '某网站',
        homepageUrl: 'http://www.example.gov.cn',
        personName: '某人',
        email: 'someone@example.gov.cn',
      };
      const ip = '192.0.2.88';
      // Three through one replica, two through the other: five in all, fewer than five on each.
      for (let i = 0; i < 3; i++) expect((await recover(ip, attempt)).status).toBe(202);
      for (let i = 0; i < 2; i++) expect((await recover(ip, attempt, other)).status).toBe(202);
      const limited = await recover(ip, attempt, other);
      expect(limited).toEqual({
        status: 429,
        body: expect.objectContaining({ code: 'RATE_LIMITED', message: '找回请求过于频繁，请稍后再试' }),
      });
      expect((await recover('192.0.2.89', attempt, other)).status).toBe(202);
      expect(await sys.sql(`SELECT 1 FROM review.site_code_recovery_attempt WHERE client_key = $1`, [ip])).toHaveLength(
        5,
      );
    } finally {
      await second.close();
    }
  });

  it('believes X-Forwarded-For only from TRUST_PROXY: without it, a client rotating the header stays one client', async () => {
    // A replica that trusts no proxy: the socket's address (loopback) is the client, whatever the header says.
    const untrusting = await createGatewayApp({
      ...sys.runtime,
      config: { ...sys.runtime.config, TRUST_PROXY: undefined },
    });
    await untrusting.listen(0, '127.0.0.1');
    try {
      const direct = (await untrusting.getUrl()).replace('[::1]', '127.0.0.1');
      const attempt = {
        siteName: '某网站',
        homepageUrl: 'http://www.example.gov.cn',
        personName: '某人',
        email: 'someone@example.gov.cn',
      };
      const answers: number[] = [];
      for (let i = 0; i < 6; i++) answers.push((await recover(`100.64.7.${i + 1}`, attempt, direct)).status);
      expect(answers).toEqual([202, 202, 202, 202, 202, 429]);
      const keys = await sys.sql(
        `SELECT DISTINCT client_key FROM review.site_code_recovery_attempt WHERE client_key LIKE '100.64.7.%' OR client_key = '127.0.0.1'`,
      );
      expect(keys).toEqual([{ client_key: '127.0.0.1' }]);
    } finally {
      await untrusting.close();
    }
  });
});

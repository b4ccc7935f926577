import { ApiClient, eventually } from '@app/testing';
import { bucketName, ObjectStorage } from '@app/storage';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import { EvidenceService, EVIDENCE_UPLOAD_GRACE_MS } from '../../apps/assessment/src/evidence/evidence.service';
import { ReviewSystem, Unit } from '../review/support/review-system';
import { CodedSite, codedSites, items, vetoes } from './support/coded-sites';

/** A small PNG's bytes (a real header; the content does not matter to the system). */
function png(seed: number, size = 2048): Buffer {
  const bytes = Buffer.alloc(size, seed);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  return bytes;
}

/**
 * 评分证据 over the real system (NATS, PostgreSQL, S3): a site of 海港区 uploads screenshots
 * for its self-assessment, inspectors of 秦皇岛市 for their scoring; the bytes go into the
 * evidence bucket and come back byte for byte to exactly those who may see the sheet; refusals
 * store nothing; deleted and abandoned files leave nothing behind.
 */
describe('evidence files (评分证据)', () => {
  let sys: ReviewSystem;
  let haigang: Unit;
  let city: Unit;
  let province: Unit;
  let sibling: Unit;
  let sites: CodedSite[];
  let first: ApiClient;
  let second: ApiClient;
  let storage: ObjectStorage;
  let bucket: string;

  beforeAll(async () => {
    // A small upload limit, so that "too large" is cheap to show.
    sys = await ReviewSystem.start({ config: { EVIDENCE_MAX_UPLOAD_BYTES: String(64 * 1024) } });
    [province, city, haigang, sibling] = await Promise.all(
      ['130000', '130300', '130302', '130100'].map((code) => sys.unit(code)),
    );
    sites = await codedSites(sys, haigang, [city, province], 2);
    first = await sys.anonymous.siteLogin(sites[0].siteCode, sites[0].checkCode);
    second = await sys.anonymous.siteLogin(sites[1].siteCode, sites[1].checkCode);
    storage = sys.system.gateway.get(ObjectStorage);
    bucket = bucketName(sys.runtime.config as { S3_BUCKET_PREFIX: string }, 'evidence');
  }, 300_000);

  afterAll(async () => {
    await sys?.close();
  });

  const selfPath = (site: CodedSite) => `/sites/${site.siteCode}/self-assessment`;
  const objects = async () => {
    const keys: string[] = [];
    for await (const object of storage.list(bucket, '')) keys.push(object.key);
    return keys.sort();
  };
  const rows = () =>
    sys.sql<{ id: string; status: string; object_key: string }>(
      `SELECT id, status, object_key FROM assessment.evidence_file ORDER BY created_at`,
    );

  it('keeps a file the site uploads for an item and hands it back, byte for byte, to the site, its owner and the units above only', async () => {
    const bytes = png(1);
    const uploaded = await first.upload(
      `${selfPath(sites[0])}/evidence?key=homepage-availability`,
      bytes,
      '首页截图.png',
    );
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({
      key: 'homepage-availability',
      fileName: '首页截图.png',
      contentType: 'image/png',
      size: bytes.length,
      uploadedBy: '网站自查',
    });
    const id = uploaded.body.id as string;

    const view = await first.get(selfPath(sites[0]));
    expect(view.body.status).toBe('DRAFT');
    expect(view.body.evidence).toEqual({ 'homepage-availability': [uploaded.body] });

    for (const client of [first, haigang.client, city.client, province.client]) {
      const file = await client.download(`/evidence/${id}`);
      expect(file.status).toBe(200);
      expect(file.bytes.equals(bytes)).toBe(true);
      expect(file.headers.get('content-type')).toBe('image/png');
      expect(file.headers.get('content-disposition')).toContain(
        `filename*=UTF-8''${encodeURIComponent('首页截图.png')}`,
      );
      expect(file.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(file.headers.get('x-content-type-options')).toBe('nosniff');
      expect(file.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    }
    // A sibling subtree and another site do not learn the file exists.
    for (const client of [sibling.client, second]) {
      const refused = await client.get(`/evidence/${id}`);
      expect(refused.status).toBe(404);
      expect(refused.body).toEqual({ code: 'EVIDENCE_NOT_FOUND', message: '未找到该证据文件，或无权查看' });
    }
    expect((await city.client.get(`/evidence/${randomUUID()}`)).body.code).toBe('EVIDENCE_NOT_FOUND');

    expect((await rows()).map((row) => row.status)).toEqual(['STORED']);
    expect(await objects()).toEqual([`self/${sites[0].siteCode}/${id}.png`]);

    // Audit entries reach identity through the outbox, shortly after the answer.
    const audit = await eventually(async () => {
      const entries = await sys.sql<{ action: string; actor_username: string; details: Record<string, unknown> }>(
        `SELECT action, actor_username, details FROM identity.audit_log WHERE action LIKE 'evidence.%' ORDER BY seq`,
      );
      return entries.filter((entry) => entry.action === 'evidence.download').length >= 4 && entries;
    });
    expect(audit[0]).toMatchObject({
      action: 'evidence.upload',
      details: { scope: 'self', siteCode: sites[0].siteCode, itemName: '首页可用性', fileName: '首页截图.png' },
    });
    expect(audit.filter((entry) => entry.action === 'evidence.download')).toHaveLength(4);
  });

  it('refuses the wrong caller, kind, item, size and an empty file, storing nothing', async () => {
    const before = { rows: await rows(), objects: await objects() };
    const url = `${selfPath(sites[0])}/evidence?key=homepage-availability`;

    const unit = await haigang.client.upload(url, png(2), 'a.png');
    expect(unit.status).toBe(403);
    const otherSite = await second.upload(url, png(2), 'a.png');
    expect(otherSite.status).toBe(404);
    expect(otherSite.body.code).toBe('SITE_NOT_FOUND');

    const exe = await first.upload(url, png(2), 'setup.exe');
    expect(exe.status).toBe(415);
    expect(exe.body.code).toBe('EVIDENCE_TYPE_NOT_ALLOWED');
    expect(exe.body.message).toContain('不支持该类型的证据文件“setup.exe”');

    const unknown = await first.upload(`${selfPath(sites[0])}/evidence?key=page-beauty`, png(2), 'a.png');
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('ASSESSMENT_UNKNOWN_ITEM');
    const noKey = await first.upload(`${selfPath(sites[0])}/evidence`, png(2), 'a.png');
    expect(noKey.status).toBe(400);
    expect(noKey.body.code).toBe('VALIDATION_FAILED');

    const large = await first.upload(url, png(2, 200 * 1024), 'large.png');
    expect(large.status).toBe(413);
    expect(large.body.code).toBe('PAYLOAD_TOO_LARGE');
    // Past the limit only while streaming (the declared length is within it): stopped midway.
    const streamed = await first.upload(url, png(2, 64 * 1024 + 10), 'large.png');
    expect(streamed.status).toBe(413);

    const empty = await first.upload(url, Buffer.alloc(0), 'empty.png');
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('VALIDATION_FAILED');

    expect(await rows()).toEqual(before.rows);
    expect(await objects()).toEqual(before.objects);
  });

  it('keeps at most 10 files an item; a removed file is gone from the sheet and the bucket', async () => {
    const url = `${selfPath(sites[1])}/evidence?key=link-availability`;
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const uploaded = await second.upload(url, png(10 + i), `死链${i + 1}.png`);
      expect(uploaded.status).toBe(201);
      ids.push(uploaded.body.id);
    }
    const eleventh = await second.upload(url, png(30), '死链11.png');
    expect(eleventh.status).toBe(409);
    expect(eleventh.body.code).toBe('EVIDENCE_LIMIT_REACHED');

    // Units see the sheet but do not change it: 403, the file stays.
    expect((await haigang.client.delete(`/evidence/${ids[0]}`)).status).toBe(403);
    expect((await sibling.client.delete(`/evidence/${ids[0]}`)).status).toBe(404);
    expect((await second.delete(`/evidence/${ids[0]}`)).status).toBe(204);
    expect((await second.delete(`/evidence/${ids[0]}`)).status).toBe(404);
    expect((await second.get(`/evidence/${ids[0]}`)).status).toBe(404);
    const view = await second.get(selfPath(sites[1]));
    expect(view.body.evidence['link-availability'].map((file: { id: string }) => file.id)).toEqual(ids.slice(1));
    expect(await objects()).not.toContain(`self/${sites[1].siteCode}/${ids[0]}.png`);
    expect((await rows()).some((row) => row.id === ids[0])).toBe(false);
    // Room again for one more.
    expect((await second.upload(url, png(31), '死链11.png')).status).toBe(201);
    const audit = await eventually(async () => {
      const entries = await sys.sql(`SELECT details FROM identity.audit_log WHERE action = 'evidence.delete'`);
      return entries.length > 0 && entries;
    });
    expect(audit).toEqual([{ details: expect.objectContaining({ fileName: '死链1.png', itemName: '链接可用性' }) }]);
  });

  it('places an upload as its own caller when the connection carried another user’s request first (keep-alive, as browsers do)', async () => {
    // One socket for both requests: the file's events arrive in the context the connection was
    // opened in, the unit's request; the upload must still act as the site.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<Socket>();
    const send = (method: string, path: string, token: string, body?: Buffer, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
        const req = request(
          `${sys.anonymous.baseUrl}/api/v1${path}`,
          { method, agent, headers: { ...headers, authorization: `Bearer ${token}` } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }),
            );
          },
        );
        req.on('socket', (socket) => sockets.add(socket));
        req.on('error', reject);
        // The body after the headers, in packets of its own, as a browser sends a file: its
        // events then come from the socket, not from within the request's handler.
        if (body) {
          req.flushHeaders();
          setTimeout(() => req.end(body), 100);
        } else req.end();
      });
    try {
      expect((await send('GET', '/me', haigang.client.token!)).status).toBe(200);
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(png(5))]), '保持连接.png');
      const multipart = new Request('http://localhost/', { method: 'POST', body: form });
      const uploaded = await send(
        'POST',
        `${selfPath(sites[0])}/evidence?key=homepage-availability`,
        first.token!,
        Buffer.from(await multipart.arrayBuffer()),
        { 'content-type': multipart.headers.get('content-type')! },
      );
      expect(sockets.size).toBe(1);
      // As the unit (whose request opened the connection) it would be 403, with no actor 401.
      expect(uploaded.status).toBe(201);
      expect(uploaded.body).toMatchObject({ fileName: '保持连接.png', uploadedBy: '网站自查' });
    } finally {
      agent.destroy();
    }
  });

  it('freezes the files of a submitted self-assessment', async () => {
    const view = await first.put(selfPath(sites[0]), { vetoes: vetoes(), items: items() });
    expect(view.status).toBe(200);
    expect((await first.post(`${selfPath(sites[0])}/submit`)).status).toBe(200);
    const [file] = (await first.get(selfPath(sites[0]))).body.evidence['homepage-availability'];
    const late = await first.upload(`${selfPath(sites[0])}/evidence?key=homepage-availability`, png(3), 'b.png');
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('ASSESSMENT_ALREADY_SUBMITTED');
    expect((await first.delete(`/evidence/${file.id}`)).status).toBe(409);
    expect((await city.client.download(`/evidence/${file.id}`)).status).toBe(200);
  });

  it("keeps the inspectors' files with their scoring, beside the site's own, for the inspecting unit and those above only", async () => {
    const created = await city.client.post('/inspections', {
      name: '证据检查',
      orgUnitId: city.id,
      sample: { mode: 'all' },
    });
    expect(created.status).toBe(201);
    const inspection = created.body.id as string;
    const sitePath = `/inspections/${inspection}/sites/${sites[0].siteCode}`;
    const bytes = png(4);
    const uploaded = await city.client.upload(`${sitePath}/evidence?key=serious-errors`, bytes, '错别字.pdf');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({
      key: 'serious-errors',
      contentType: 'application/pdf',
      uploadedBy: '130300',
    });

    const view = await city.client.get(sitePath);
    expect(view.body.evidence).toEqual({ 'serious-errors': [uploaded.body] });
    expect(Object.keys(view.body.selfAssessment.evidence)).toEqual(['homepage-availability']);

    expect((await province.client.download(`/evidence/${uploaded.body.id}`)).bytes.equals(bytes)).toBe(true);
    // The inspected unit and the site itself are not the inspectors.
    for (const client of [haigang.client, first])
      expect((await client.get(`/evidence/${uploaded.body.id}`)).status).toBe(404);
    expect((await first.upload(`${sitePath}/evidence?key=serious-errors`, bytes, 'x.pdf')).status).toBe(403);
    expect((await haigang.client.upload(`${sitePath}/evidence?key=serious-errors`, bytes, 'x.pdf')).status).toBe(404);

    expect((await city.client.post(`/inspections/${inspection}/close`)).status).toBe(200);
    const closed = await city.client.upload(`${sitePath}/evidence?key=serious-errors`, bytes, 'y.pdf');
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe('INSPECTION_CLOSED');
    expect((await city.client.delete(`/evidence/${uploaded.body.id}`)).status).toBe(409);
  });

  it('removes the bytes of an upload that died before it finished, once its grace has passed', async () => {
    const id = randomUUID();
    const key = `self/${sites[1].siteCode}/${id}.png`;
    await storage.put(bucket, key, png(5), 'image/png');
    await sys.sql(
      `INSERT INTO assessment.evidence_file (id, scope, site_code, item_key, object_key, file_name, content_type, uploaded_by, created_at)
       VALUES ($1, 'self', $2, 'homepage-availability', $3, 'a.png', 'image/png', '网站自查', now() - interval '30 minutes')`,
      [id, sites[1].siteCode, key],
    );
    const service = sys.system.services.get('assessment')!.get(EvidenceService);
    // Still within its grace: an upload may be streaming.
    await service.sweepOnce();
    expect(await objects()).toContain(key);
    await service.sweepOnce(Date.now() + EVIDENCE_UPLOAD_GRACE_MS);
    expect(await objects()).not.toContain(key);
    expect((await rows()).some((row) => row.id === id)).toBe(false);
    // Never shown: it was not stored.
    expect((await second.get(`/evidence/${id}`)).status).toBe(404);
  });
});

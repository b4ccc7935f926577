import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import * as iconv from 'iconv-lite';
import { analyzePage, decodePage, findPublishDates, HostLimiter, isRefusedAddress, probe, sampleLinks } from '.';
import { columnHtml, FixtureSite, startFixtureSite } from './fixture-site';

/** 2015-03-12 10:00 in Beijing. */
const FETCHED_AT = new Date('2015-03-12T02:00:00Z');
const open = { allowPrivateTargets: true };

let site: FixtureSite;
beforeAll(async () => {
  site = await startFixtureSite();
});
afterAll(() => site.close());

describe('probe: fetching', () => {
  it('fetches a page with the monitor User-Agent, status, bytes and elapsed time', async () => {
    const result = await probe(`${site.origin}/column/list`, open);
    expect(result).toMatchObject({
      reachable: true,
      status: 200,
      finalUrl: `${site.origin}/column/list`,
      redirects: 0,
    });
    expect(result.failure).toBeUndefined();
    expect(result.bytes).toBe(Buffer.byteLength(columnHtml(12)));
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
    const request = site.requests.at(-1)!;
    expect(request.path).toBe('/column/list');
    expect(request.userAgent).toMatch(/^GovSiteMonitor\/1\.0 \(\+%E5%85%A8/);
    expect(decodeURIComponent(request.userAgent!)).toBe('GovSiteMonitor/1.0 (+全国政府网站信息报送系统)');
  });

  it('decodes GBK declared by the Content-Type header', async () => {
    const result = await probe(`${site.origin}/gbk-header`, open);
    expect(result).toMatchObject({ reachable: true, charset: 'gb18030', charsetSource: 'header' });
    expect(result.html).toContain('通知公告 2015年3月12日');
  });

  it('decodes GB2312 declared by <meta http-equiv> and GBK by <meta charset>', async () => {
    const equiv = await probe(`${site.origin}/gbk-meta`, open);
    expect(equiv).toMatchObject({ charset: 'gb18030', charsetSource: 'meta' });
    expect(equiv.html).toContain('政务公开');
    const meta5 = await probe(`${site.origin}/gbk-meta5`, open);
    expect(meta5).toMatchObject({ charset: 'gb18030', charsetSource: 'meta' });
    expect(meta5.html).toContain('互动交流');
  });

  it('sniffs GBK when nothing declares it', async () => {
    const result = await probe(`${site.origin}/gbk-sniff`, open);
    expect(result).toMatchObject({ charset: 'gb18030', charsetSource: 'sniff' });
    expect(result.html).toContain('政府信息公开工作情况报告');
  });

  it('decodes Big5 and gzip-compressed pages', async () => {
    expect((await probe(`${site.origin}/big5`, open)).html).toContain('政府資訊公開');
    const gzip = await probe(`${site.origin}/gzip`, open);
    expect(gzip.html).toContain('压缩的页面');
    expect(gzip.bytes).toBe(Buffer.byteLength('<html><body>压缩的页面 2015-03-12</body></html>'));
  });

  it('follows redirects up to the cap and fails past it', async () => {
    const five = await probe(`${site.origin}/redirect/5`, open);
    expect(five).toMatchObject({ reachable: true, redirects: 5, finalUrl: `${site.origin}/redirect/0` });
    const six = await probe(`${site.origin}/redirect/6`, open);
    expect(six).toMatchObject({ reachable: false, failure: 'too-many-redirects', redirects: 5 });
    const capped = await probe(`${site.origin}/redirect/2`, { ...open, maxRedirects: 1 });
    expect(capped.failure).toBe('too-many-redirects');
  });

  it('stops reading past the size cap', async () => {
    const result = await probe(`${site.origin}/big`, open);
    expect(result).toMatchObject({ reachable: false, failure: 'too-large', status: 200 });
    const small = await probe(`${site.origin}/column/list`, { ...open, maxBytes: 100 });
    expect(small.failure).toBe('too-large');
  });

  it('classifies a missing answer and a stalled body as timeout', async () => {
    const head = await probe(`${site.origin}/hang`, { ...open, timeoutMs: 300 });
    expect(head).toMatchObject({ reachable: false, failure: 'timeout' });
    const body = await probe(`${site.origin}/hang-body`, { ...open, timeoutMs: 300 });
    expect(body).toMatchObject({ reachable: false, failure: 'timeout', status: 200 });
  });

  it('reports an HTTP error status', async () => {
    for (const status of [404, 500, 503]) {
      const result = await probe(`${site.origin}/status/${status}`, open);
      expect(result).toMatchObject({ reachable: false, failure: 'http-status', status });
    }
  });

  it('classifies a refused connection, a failed TLS handshake, a cut body and a failed name lookup', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect((await probe(`http://127.0.0.1:${port}/`, open)).failure).toBe('connect');
    // https to a plain HTTP server: the handshake fails.
    expect((await probe(`https://127.0.0.1:${site.port}/home`, open)).failure).toBe('tls');
    expect((await probe(`${site.origin}/cut`, open)).failure).toBe('protocol');
    // A label over 63 characters: the resolver fails it without asking a server.
    expect((await probe(`http://${'x'.repeat(64)}.invalid/`, open)).failure).toBe('dns');
    expect((await probe('ftp://example.gov.cn/', open)).failure).toBe('invalid-url');
    expect((await probe('not a url', open)).failure).toBe('invalid-url');
  });

  it('fetches one host one request at a time through a shared limiter', async () => {
    const limiter = new HostLimiter(1);
    const before = site.maxInFlight;
    site.maxInFlight = 0;
    const results = await Promise.all(
      Array.from({ length: 4 }, () => probe(`${site.origin}/slow`, { ...open, limiter })),
    );
    expect(results.every((r) => r.reachable)).toBe(true);
    expect(site.maxInFlight).toBe(1);
    expect(limiter.pending('127.0.0.1')).toBe(0);
    site.maxInFlight = Math.max(before, site.maxInFlight);
  });
  it('starts the clock when the limiter lets the request go, not while it waits for the host', async () => {
    const limiter = new HostLimiter(1);
    const [stuck, queued] = await Promise.all([
      probe(`${site.origin}/hang`, { ...open, limiter, timeoutMs: 1200 }),
      probe(`${site.origin}/slow`, { ...open, limiter, timeoutMs: 1000 }),
    ]);
    expect(stuck.failure).toBe('timeout');
    expect(queued).toMatchObject({ reachable: true, status: 200 });
    expect(queued.startedAt.getTime()).toBeGreaterThanOrEqual(stuck.startedAt.getTime() + 1000);
  });
});

describe('probe: private targets (SSRF)', () => {
  it.each([
    ['127.0.0.1', () => `${site.origin}/home`],
    ['10.x', () => 'http://10.1.2.3/'],
    ['169.254.x (metadata)', () => 'http://169.254.169.254/latest/meta-data/'],
    ['192.168.x', () => 'http://192.168.1.1/'],
    ['0.0.0.0', () => `http://0.0.0.0:${site.port}/home`],
    ['::1', () => `http://[::1]:${site.port}/home`],
    ['fc00::', () => 'http://[fc00::1]/'],
    ['fe80::', () => 'http://[fe80::1]/'],
    ['IPv4-mapped ::ffff:127.0.0.1', () => `http://[::ffff:127.0.0.1]:${site.port}/home`],
    ['a name resolving to 127.0.0.1 (localhost)', () => `http://localhost:${site.port}/home`],
  ])('refuses %s by default, without sending a request', async (_, url) => {
    const requests = site.requests.length;
    const result = await probe(url(), { timeoutMs: 5000 });
    expect(result).toMatchObject({ reachable: false, failure: 'refused-target' });
    expect(site.requests.length).toBe(requests);
  });

  it('checks every redirect target again, by address and by resolved name', async () => {
    // A policy refusing only 127.0.0.1 stands in for "private" so a loopback site can play the
    // public one: 127.0.0.2 redirects to 127.0.0.1, by literal and by a name (localhost).
    const onlyLoopbackOne = (address: string) => address === '127.0.0.1' || address === '::1';
    const front = await startFixtureSite(0, '127.0.0.2');
    try {
      const requests = site.requests.length;
      for (const target of [`${site.origin}/home`, `http://localhost:${site.port}/home`]) {
        const result = await probe(`${front.origin}/to?url=${encodeURIComponent(target)}`, {
          refuseAddress: onlyLoopbackOne,
          timeoutMs: 5000,
        });
        expect(result).toMatchObject({ reachable: false, failure: 'refused-target', redirects: 1, finalUrl: target });
      }
      expect(site.requests.length).toBe(requests);
      const allowed = await probe(`${front.origin}/to?url=${encodeURIComponent(`${front.origin}/column/list`)}`, {
        refuseAddress: onlyLoopbackOne,
      });
      expect(allowed).toMatchObject({ reachable: true, redirects: 1 });
    } finally {
      await front.close();
    }
  });

  it('fetches them when private targets are allowed', async () => {
    expect((await probe(`http://localhost:${site.port}/column/list`, open)).reachable).toBe(true);
  });

  it('knows the public from the refused ranges', () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.1.1',
      '100.64.0.1',
      '0.0.0.0',
      '::',
      '::1',
      'fd12::1',
      'fe80::1',
      '::ffff:10.0.0.1',
      '::ffff:7f00:1',
      '[::1]',
    ])
      expect([address, isRefusedAddress(address)]).toEqual([address, true]);
    for (const address of ['202.108.22.5', '172.32.0.1', '8.8.8.8', '2400:3200::1', '::ffff:202.108.22.5'])
      expect([address, isRefusedAddress(address)]).toEqual([address, false]);
  });
});

describe('decodePage', () => {
  it('prefers the header to the meta, and the meta to sniffing', () => {
    const gbk = iconv.encode('<meta charset="utf-8"><p>政府网站</p>', 'gbk');
    expect(decodePage(gbk, 'text/html; charset=gb2312')).toMatchObject({
      source: 'header',
      text: '<meta charset="utf-8"><p>政府网站</p>',
    });
    const utf8 = Buffer.from('<meta charset="utf-8"><p>政府网站</p>');
    expect(decodePage(utf8, 'text/html; charset=unknown-x')).toMatchObject({ source: 'meta', charset: 'utf-8' });
  });
});

describe('findPublishDates', () => {
  it.each([
    ['2015-03-10', '发布日期：2015-03-10', '2015-03-10'],
    ['2015/03/10', '2015/03/10 10:21', '2015-03-10'],
    ['2015.3.10', '时间 2015.3.10', '2015-03-10'],
    ['2015年3月10日', '2015年3月10日 来源：办公室', '2015-03-10'],
    ['2015 年 03 月 10 日', '2015 年 03 月 10 日', '2015-03-10'],
    ['[03-10]', '通知[03-10]', '2015-03-10'],
    ['03-10', '通知 03-10', '2015-03-10'],
  ])('reads %s', (_, text, date) => {
    expect(findPublishDates(text, FETCHED_AT)).toEqual([date]);
  });

  it('puts a month-day after the fetch day in the year before', () => {
    expect(findPublishDates('[12-30]', FETCHED_AT)).toEqual(['2014-12-30']);
    expect(findPublishDates('[03-12]', FETCHED_AT)).toEqual(['2015-03-12']);
    expect(findPublishDates('[03-13]', FETCHED_AT)).toEqual(['2014-03-13']);
    // 02-29 fetched in 2015: the latest 29 February not in the future is 2012's.
    expect(findPublishDates('[02-29]', FETCHED_AT)).toEqual(['2012-02-29']);
  });

  it('ignores future dates, implausible years, impossible days, times, phone numbers and today’s-date banners', () => {
    expect(findPublishDates('2015-03-13 2016年1月1日 2099-01-01', FETCHED_AT)).toEqual([]);
    expect(findPublishDates('1949年10月1日 1990-01-01', FETCHED_AT)).toEqual([]);
    expect(findPublishDates('2015-02-30 2015-13-01 [13-01]', FETCHED_AT)).toEqual([]);
    expect(findPublishDates('10:30 电话 0335-3022222 第1-12期 v2.10.12', FETCHED_AT)).toEqual([]);
    expect(findPublishDates('今天是2015年3月12日 星期四', FETCHED_AT)).toEqual([]);
  });

  it('takes the fetch day in Beijing time', () => {
    // 2015-03-11 20:00 UTC is already 12 March in Beijing.
    expect(findPublishDates('2015-03-12', new Date('2015-03-11T20:00:00Z'))).toEqual(['2015-03-12']);
    expect(findPublishDates('2015-03-12', new Date('2015-03-11T15:00:00Z'))).toEqual([]);
  });

  it('lists distinct dates newest first', () => {
    expect(findPublishDates('2015-01-02 [03-01] 2015年1月2日 2014/12/31', FETCHED_AT)).toEqual([
      '2015-03-01',
      '2015-01-02',
      '2014-12-31',
    ]);
  });
});

describe('analyzePage', () => {
  it('reads the GBK homepage: newest date, same-site links', async () => {
    const result = await probe(`${site.origin}/home`, open);
    expect(result).toMatchObject({ reachable: true, charsetSource: 'meta' });
    expect(result.bytes).toBeGreaterThan(25_000);
    const page = analyzePage(result.html!, result.finalUrl, FETCHED_AT);
    // The header's "今天是2015年3月12日" and the script's 2099 date are not publish dates.
    expect(page.newestDate).toBe('2015-03-12');
    expect(page.dates).toContain('2015-02-28');
    expect(page.blank).toBe(false);
    expect(page.links).toContain(`${site.origin}/xxgk/1000.htm`);
    expect(page.links).toContain(`${site.origin}/col0/`);
    expect(page.links.filter((link) => link.startsWith(`${site.origin}/xxgk/1000.htm`))).toHaveLength(1);
    expect(page.links.every((link) => link.startsWith(`${site.origin}/`))).toBe(true);
  });

  it('takes a date from the body even when the header prints today', () => {
    const html =
      '<div class="top">今天是2015年3月12日</div><ul><li><a href="/a">关于某项工作的通知</a>[01-05]</li></ul>';
    expect(analyzePage(html, 'http://www.example.gov.cn/', FETCHED_AT).newestDate).toBe('2015-01-05');
    expect(analyzePage('<p>没有日期</p>', 'http://www.example.gov.cn/', FETCHED_AT).newestDate).toBeNull();
  });

  it('tells a blank column from a list and from an article', () => {
    const url = 'http://www.example.gov.cn/tzgg/';
    const blank = analyzePage(columnHtml(0), url, FETCHED_AT);
    expect(blank).toMatchObject({ blank: true, contentLinks: 0 });
    expect(analyzePage(columnHtml(1), url, FETCHED_AT)).toMatchObject({ blank: false, contentLinks: 1 });
    const article = `<html><body><div class="nav"><a href="/">网站首页</a></div><div class="article"><p>${'本机关主要职责是贯彻执行国家有关方针政策。'.repeat(6)}</p></div></body></html>`;
    expect(analyzePage(article, url, FETCHED_AT).blank).toBe(false);
    const navOnly =
      '<html><body><nav><a href="/a">政务公开栏目</a></nav><div id="footer"><a href="/b">网站地图说明</a></div><div class="top-news"></div></body></html>';
    expect(analyzePage(navOnly, url, FETCHED_AT).blank).toBe(true);
  });

  it('resolves links against <base> and keeps subdomains of the site', () => {
    const html =
      '<base href="http://www.example.gov.cn/sub/"><a href="a.htm">甲</a><a href="http://zwgk.example.gov.cn/b">乙</a><a href="http://other.gov.cn/c">丙</a><a href="a.htm#x">甲</a>';
    expect(analyzePage(html, 'http://www.example.gov.cn/', FETCHED_AT).links).toEqual([
      'http://www.example.gov.cn/sub/a.htm',
      'http://zwgk.example.gov.cn/b',
    ]);
  });
});

describe('sampleLinks', () => {
  const links = Array.from({ length: 50 }, (_, i) => `http://www.example.gov.cn/${i}.htm`);

  it('is reproducible from its seed, whatever the order of the links', () => {
    const sample = sampleLinks(links, 10, 'G130300001:2015-03-12');
    expect(sample).toHaveLength(10);
    expect(new Set(sample).size).toBe(10);
    expect(sampleLinks([...links].reverse(), 10, 'G130300001:2015-03-12')).toEqual(sample);
    expect(sampleLinks(links, 10, 'G130300001:2015-03-13')).not.toEqual(sample);
    expect(sampleLinks(links.slice(0, 3), 10, 'x')).toHaveLength(3);
  });
});

describe('HostLimiter', () => {
  it('runs one task per key at a time and keys independently', async () => {
    const limiter = new HostLimiter(1);
    const log: string[] = [];
    let release!: () => void;
    const first = limiter.run('a', () =>
      new Promise<void>((resolve) => (release = resolve)).then(() => log.push('a1')),
    );
    const second = limiter.run('a', async () => log.push('a2'));
    const other = limiter.run('b', async () => log.push('b1'));
    await other;
    expect(log).toEqual(['b1']);
    expect(limiter.pending('a')).toBe(2);
    release();
    await Promise.all([first, second]);
    expect(log).toEqual(['b1', 'a1', 'a2']);
    expect(limiter.pending('a')).toBe(0);
  });
});

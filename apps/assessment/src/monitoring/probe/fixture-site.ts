import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import * as iconv from 'iconv-lite';

/**
 * A fixture government site on 127.0.0.1 for the probe's tests and benchmark (there is no
 * internet here): GBK pages declared by header, by `<meta>` or not at all, a ~30 KB homepage with
 * dates and links, column pages, redirects, oversized and slow answers, error statuses.
 */
export interface FixtureSite {
  server: Server;
  /** `http://<host>:<port>` */
  origin: string;
  port: number;
  /** Requests received, with their User-Agent, in order. */
  requests: Array<{ path: string; userAgent?: string }>;
  /** The most requests in flight at once. */
  maxInFlight: number;
  close(): Promise<void>;
}

const NEWS = [
  '关于进一步加强政府网站信息内容建设的意见',
  '省人民政府办公厅关于印发政务公开工作要点的通知',
  '全省政府网站普查工作推进会召开',
  '市长主持召开常务会议研究部署重点工作',
  '关于公开征求意见的公告',
  '政府信息公开工作年度报告',
  '优化营商环境若干措施政策解读',
  '全市安全生产工作电视电话会议召开',
];

/** The homepage: ~30 KB once GBK-encoded, with news lists (dated `[MM-DD]` and `YYYY-MM-DD`) and links. */
export function homepageHtml(newest = '2015-03-12'): string {
  const items: string[] = [];
  for (let i = 0; items.join('').length < 21_000; i++) {
    const title = `${NEWS[i % NEWS.length]}（第${i + 1}期）`;
    const day = 28 - (i % 27);
    const date = i % 3 === 0 ? `[02-${String(day).padStart(2, '0')}]` : `2015-02-${String(day).padStart(2, '0')}`;
    items.push(`<li><a href="/xxgk/${1000 + i}.htm" title="${title}">${title}</a><span>${date}</span></li>`);
  }
  const nav = ['首页', '政务公开', '政务服务', '互动交流', '走进本市', '专题专栏']
    .map((name, i) => `<a href="/col${i}/">${name}</a>`)
    .join(' ');
  return `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某某市人民政府门户网站</title><style>body{font:12px 宋体}</style>
<script>var updated = "2099-01-01";</script></head><body>
<div class="top">欢迎访问某某市人民政府门户网站 今天是2015年3月12日</div>
<div id="nav">${nav}</div>
<div class="content"><h2>要闻动态</h2><p>最新更新：${newest}</p>
<ul>${items.join('\n')}</ul>
<a href="http://www.example.gov.cn/other.htm">外站链接</a>
<a href="https://sub.127.0.0.1.invalid/x.htm">外站</a>
<a href="javascript:void(0)">打印</a> <a href="mailto:web@example.gov.cn">信箱</a>
<a href="/xxgk/1000.htm#top">重复链接</a></div>
<div class="footer">主办：某某市人民政府办公室 备案号：冀ICP备05000000号 联系电话：0335-3022222 建于1998年</div>
</body></html>`;
}

/** A column page with a list of `count` dated items (0 → a blank column with only its chrome). */
export function columnHtml(count: number, dated = '2015年3月2日'): string {
  const items = Array.from(
    { length: count },
    (_, i) => `<li><a href="/c/${i}.htm">${NEWS[i % NEWS.length]}</a> ${dated}</li>`,
  );
  return `<html><head><meta charset="utf-8"><title>通知公告</title></head><body>
<div class="header"><a href="/">网站首页</a><a href="/zwgk/">政务公开</a><a href="/zwfw/">政务服务</a><a href="/hdjl/">互动交流</a></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/tzgg/">通知公告</a></div>
<div class="list"><ul>${items.join('')}</ul>${count ? '' : '暂无信息'}<div class="page">共${count}条 <a href="?p=1">首页</a> <a href="?p=0">上一页</a> <a href="?p=2">下一页</a> <a href="?p=9">尾页</a></div></div>
<div class="footer">版权所有：某某市人民政府 地址：某某路1号</div></body></html>`;
}

/** Enough Chinese text, without any charset label, for sniffing to recognise GBK. */
const SNIFF_TEXT = `<html><head><title>政府信息公开</title></head><body><p>${NEWS.join('。')}。根据《中华人民共和国政府信息公开条例》规定，现将本机关政府信息公开工作情况报告如下。</p></body></html>`;

function send(res: ServerResponse, status: number, body: Buffer | string, contentType = 'text/html'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Starts the fixture site on a loopback address (127.0.0.1 unless given; the benchmark uses
 * 127.0.0.2… as distinct hosts) and an ephemeral port unless given.
 */
export async function startFixtureSite(port = 0, host = '127.0.0.1'): Promise<FixtureSite> {
  const gbkHome = iconv.encode(homepageHtml(), 'gbk');
  let inFlight = 0;
  const site = { requests: [], maxInFlight: 0 } as unknown as FixtureSite;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const path = url.pathname;
    site.requests.push({ path, userAgent: req.headers['user-agent'] });
    inFlight++;
    site.maxInFlight = Math.max(site.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    let m: RegExpExecArray | null;
    if (path === '/home') return send(res, 200, gbkHome, 'text/html');
    if (path === '/gbk-header')
      return send(
        res,
        200,
        iconv.encode('<html><body><p>通知公告 2015年3月12日</p></body></html>', 'gbk'),
        'text/html; charset=GBK',
      );
    if (path === '/gbk-meta')
      return send(
        res,
        200,
        iconv.encode(
          '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>政务公开</body></html>',
          'gbk',
        ),
      );
    if (path === '/gbk-meta5')
      return send(res, 200, iconv.encode('<html><head><meta charset="GBK"></head><body>互动交流</body></html>', 'gbk'));
    if (path === '/gbk-sniff') return send(res, 200, iconv.encode(SNIFF_TEXT, 'gbk'));
    if (path === '/big5')
      return send(res, 200, iconv.encode('<html><body>政府資訊公開</body></html>', 'big5'), 'text/html; charset=big5');
    if (path === '/gzip') {
      const body = gzipSync(Buffer.from('<html><body>压缩的页面 2015-03-12</body></html>'));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
      return void res.end(body);
    }
    if (path === '/column/blank') return send(res, 200, columnHtml(0), 'text/html; charset=utf-8');
    if (path === '/column/list') return send(res, 200, columnHtml(12), 'text/html; charset=utf-8');
    if ((m = /^\/redirect\/(\d+)$/.exec(path))) {
      const n = Number(m[1]);
      if (n === 0) return send(res, 200, '<html><body>到了</body></html>', 'text/html; charset=utf-8');
      res.writeHead(302, { location: `/redirect/${n - 1}` });
      return void res.end();
    }
    if (path === '/to') {
      res.writeHead(302, { location: url.searchParams.get('url') ?? '/' });
      return void res.end();
    }
    if ((m = /^\/status\/(\d{3})$/.exec(path))) return send(res, Number(m[1]), '<html><body>错误</body></html>');
    if (path === '/big') {
      // 3 MiB, streamed without a length, as a generated page would be.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const write = (): void => {
        while (sent < 3 * 1024 * 1024 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', write);
        }
        res.end();
      };
      return write();
    }
    if (path === '/hang') return; // never answers
    if (path === '/hang-body') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.write('<html><body>'); // the rest never comes
    }
    if (path === '/cut') {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': 1000 });
      res.write('<html><body>');
      return void setImmediate(() => res.socket?.destroy());
    }
    if (path === '/slow') {
      const timer = setTimeout(() => send(res, 200, '<html><body>慢</body></html>', 'text/html; charset=utf-8'), 50);
      return void res.on('close', () => clearTimeout(timer));
    }
    send(res, 404, 'not found');
  };
  const server = createServer(handle);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const actual = (server.address() as AddressInfo).port;
  Object.assign(site, {
    server,
    port: actual,
    origin: `http://${host}:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return site;
}

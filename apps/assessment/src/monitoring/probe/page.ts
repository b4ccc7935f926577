import { load } from 'cheerio';
import { findPublishDates } from './dates';

/**
 * What a fetched page says, read with a real HTML parser (cheerio on htmlparser2).
 *
 * Blank column (空白栏目) heuristic, conservative because it proposes a deduction an inspector
 * confirms: scripts, styles and the page's chrome are removed first — `header`, `nav`,
 * `footer`, `aside`, ARIA navigation/banner/contentinfo roles, and elements whose id or class
 * names chrome (nav, menu, header/head, top, footer/foot, bottom, banner, breadcrumb, crumb,
 * position, location, copyright, side/sidebar, dh/daohang, friend/yqlj; see hasChromeToken). What remains is
 * blank when it has no content link — an `<a>` whose text has at least 4 characters and is not
 * a pager or utility word (首页, 上一页, 下一页, 尾页, 更多, 返回, 打印, 关闭, page numbers) — and
 * less than 100 characters of text. A page with an article body (≥ 100 characters) or any
 * titled link is not blank.
 */
export interface PageAnalysis {
  /** The newest publish date found (`YYYY-MM-DD`, Beijing time), or null. */
  newestDate: string | null;
  /** Every plausible publish date found, newest first. */
  dates: string[];
  /** Whether the page, as a column page, is blank (see above). */
  blank: boolean;
  /** Content links counted by the blank heuristic. */
  contentLinks: number;
  /** Characters of text (whitespace removed) outside the page chrome. */
  contentChars: number;
  /** Same-site http(s) links of the page, absolute, without fragments, deduplicated, in page order. */
  links: string[];
}

const CHROME_TOKEN =
  /^(nav|navbar|navigation|menu|menus|header|head|top|topbar|footer|foot|bottom|banner|breadcrumb|breadcrumbs|crumb|crumbs|position|location|copyright|side|sidebar|dh|daohang|friend|friendlink|yqlj)$/i;
const UTILITY_LINK =
  /^(首页|网站首页|上一页|下一页|尾页|末页|更多|查看更多|返回|返回首页|返回顶部|打印|打印本页|关闭|关闭窗口|第?\d+页?|go|more)$/i;
const MIN_TITLE_CHARS = 4;
const MIN_ARTICLE_CHARS = 100;

/**
 * Whether an id or class names page chrome: one of its words, less a trailing number, a
 * `box`/`bar`/`wrap`-like suffix or a `g-`/`page-`/`site-` prefix, is a chrome token. `nav`,
 * `topbar`, `footer_wrap`, `g-header` are chrome; `top-news` or `list_head` are not.
 */
function hasChromeToken(value: string | undefined): boolean {
  if (!value) return false;
  return value.split(/\s+/).some((word) =>
    CHROME_TOKEN.test(
      word
        .toLowerCase()
        .replace(/[-_]?\d+$/, '')
        .replace(/[-_]?(box|bar|wrap|wrapper|area|bg|inner|container|con)$/, '')
        .replace(/^(g|page|site|main)[-_]/, ''),
    ),
  );
}

/** The parts of a parsed node (domhandler's) the walk reads. */
interface TreeNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: TreeNode[];
}

const SKIPPED = new Set(['script', 'style', 'noscript', 'template']);
const CHROME_TAGS = new Set(['head', 'header', 'nav', 'footer', 'aside']);
const CHROME_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'search']);

function siteKey(host: string): string {
  return host.toLowerCase().replace(/^www\./, '');
}

/** Same site: the same host, or one a subdomain of the other (`www.` ignored). */
export function isSameSite(a: string, b: string): boolean {
  const x = siteKey(a);
  const y = siteKey(b);
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

/** The text of a node and its descendants (scripts and styles left out). */
function textOf(node: TreeNode): string {
  if (node.type === 'text') return node.data ?? '';
  if (node.type !== 'tag' || SKIPPED.has(node.name ?? '')) return '';
  return (node.children ?? []).map(textOf).join('');
}

function isChrome(node: TreeNode): boolean {
  const attribs = node.attribs ?? {};
  return (
    CHROME_TAGS.has(node.name ?? '') ||
    CHROME_ROLES.has(attribs.role ?? '') ||
    hasChromeToken(attribs.id) ||
    hasChromeToken(attribs.class)
  );
}

function isContentLink(node: TreeNode): boolean {
  const bare = textOf(node)
    .replace(/\s+/g, '')
    .replace(/[>»<«[\]【】()（）.。:：]/g, '');
  return bare.length >= MIN_TITLE_CHARS && !UTILITY_LINK.test(bare);
}

function resolveLinks(hrefs: string[], baseHref: string | undefined, pageUrl: string): string[] {
  let base: URL;
  try {
    base = new URL(baseHref ?? pageUrl, pageUrl);
  } catch {
    base = new URL(pageUrl);
  }
  const pageHost = new URL(pageUrl).hostname;
  const seen = new Set<string>();
  for (const raw of hrefs) {
    const href = raw.trim();
    if (!href || href.startsWith('#')) continue;
    let url: URL;
    try {
      url = new URL(href, base);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    if (!isSameSite(url.hostname, pageHost)) continue;
    url.hash = '';
    seen.add(url.href);
  }
  return [...seen];
}

/**
 * Parses `html` fetched from `pageUrl` at `fetchedAt`: cheerio with its htmlparser2 back end
 * (forgiving, and several times faster than the parse5 one on these pages), then one walk of
 * the tree for the text, the links and the blank-column counts.
 */
export function analyzePage(html: string, pageUrl: string, fetchedAt: Date): PageAnalysis {
  const $ = load(html, { xml: { xmlMode: false, decodeEntities: true } });
  const lines: string[] = [];
  const hrefs: string[] = [];
  let baseHref: string | undefined;
  let contentLinks = 0;
  let contentChars = 0;
  const walk = (node: TreeNode, chrome: boolean): void => {
    if (node.type === 'text') {
      const text = node.data?.trim();
      if (!text) return;
      lines.push(text);
      if (!chrome) contentChars += text.replace(/\s+/g, '').length;
      return;
    }
    if (node.type === 'tag') {
      const name = node.name ?? '';
      if (SKIPPED.has(name)) return;
      const href = node.attribs?.href;
      if (name === 'base' && href !== undefined && baseHref === undefined) baseHref = href;
      if ((name === 'a' || name === 'area') && href !== undefined) hrefs.push(href);
      chrome = chrome || isChrome(node);
      if (name === 'a' && !chrome && isContentLink(node)) contentLinks++;
    } else if (node.type !== 'root') return;
    for (const child of node.children ?? []) walk(child, chrome);
  };
  walk($.root()[0] as unknown as TreeNode, false);
  const dates = findPublishDates(lines.join('\n'), fetchedAt);
  return {
    newestDate: dates[0] ?? null,
    dates,
    blank: contentLinks === 0 && contentChars < MIN_ARTICLE_CHARS,
    contentLinks,
    contentChars,
    links: resolveLinks(hrefs, baseHref, pageUrl),
  };
}

/** FNV-1a over the seed's UTF-16 code units: a 32-bit start for the generator. */
function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small seeded generator, uniform in [0, 1). */
function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` links chosen from `links` for the broken-link check, reproducibly: the same set of
 * links and the same seed (e.g. the site code and the day) give the same sample, whatever the
 * order the links were found in.
 */
export function sampleLinks(links: readonly string[], count: number, seed: string): string[] {
  const pool = [...new Set(links)].sort();
  const random = generator(hashSeed(seed));
  const n = Math.min(Math.max(0, Math.floor(count)), pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, n);
}

import { createHash } from 'node:crypto';
import { scriptHashes } from './security-headers';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

describe('inline script hashes for the CSP', () => {
  it('hashes each inline script exactly as the browser reads it, and skips external ones', () => {
    const html =
      '<html><head><script type="module" crossorigin>let a = "<p>";\n</script>' +
      '<script src="/x.js"></script><style>p{}</style></head><body><SCRIPT>b()</SCRIPT></body></html>';
    expect(scriptHashes(html)).toEqual([sha('let a = "<p>";\n'), sha('b()')]);
  });

  it('finds none in a page without scripts', () => {
    expect(scriptHashes('<!doctype html><p>正在加载…</p>')).toEqual([]);
  });
});

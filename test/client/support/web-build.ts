// The e2e tests drive the BUILT page; scripts/web-build.js rebuilds it first when it is
// missing or older than any of its sources, so `npx jest test/client` never tests a stale page.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const webBuild = require('../../../scripts/web-build.js') as {
  ensureWebBuild(): boolean;
  CLIENT_DIR: string;
  CLIENT_HTML: string;
};

export const CLIENT_DIR = webBuild.CLIENT_DIR;
export const CLIENT_HTML = webBuild.CLIENT_HTML;

export function ensureWebBuild(): void {
  webBuild.ensureWebBuild();
}

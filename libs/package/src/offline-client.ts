// Where the build puts the offline client (npm run build:web), for the gateway to serve at
// /client and to offer as a download. Paths are relative to the repository root.
export const OFFLINE_CLIENT_DIR = 'apps/web/dist/client';
export const OFFLINE_CLIENT_HTML = 'apps/web/dist/client/index.html';
/** The name the single file is downloaded under. */
export const OFFLINE_CLIENT_DOWNLOAD_NAME = '政府网站基本信息离线填报工具.html';

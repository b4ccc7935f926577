// How packages made by this page name their maker in manifest.json.
export const GENERATOR = { name: '政府网站基本信息离线填报工具', version: '0.1.0' };

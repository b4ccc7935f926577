// How packages made by the CLI name their maker in manifest.json.
export const GENERATOR = { name: '政府网站信息报送命令行工具', version: '0.1.0' };

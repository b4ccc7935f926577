// 说明.txt: a human-readable note inside every package, for whoever opens the ZIP.
import { Manifest } from './manifest';

export function readmeText(manifest: Manifest): string {
  const lines = [
    '政府网站基本信息上报文件',
    '',
    `填报单位：${manifest.fillerUnit}`,
    `生成时间：${manifest.createdAt}`,
    `生成工具：${manifest.generator.name} ${manifest.generator.version}`,
    `网站数量：${manifest.forms.length}`,
    '',
    '请将本文件原样上传到全国政府网站信息报送系统（登录后点左侧菜单“导入”）。',
    '请勿解压后修改再重新打包：系统会核对每个文件的校验值，修改过的文件将被拒绝导入。',
    '如需修改，请在离线填报工具中修改后重新生成上报文件。',
    '',
    '包含的网站：',
    ...manifest.forms.map((form, index) => `${index + 1}. ${form.siteName}`),
    '',
  ];
  return lines.join('\r\n');
}

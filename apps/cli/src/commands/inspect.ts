// inspect <package.zip>: prints the manifest and checks every entry's hash (the reader
// refuses the package, naming the entry, if any hash or anything else is wrong).
import { readPackage, sha256Hex } from '@app/package';
import { nodeCodec } from '@app/package/node-codec';
import { readBytes } from '../load-forms';
import { printInvalidForms, say } from '../print';

export function inspect(input: string, asJson: boolean): number {
  const bytes = readBytes(input);
  const contents = readPackage(bytes, {}, nodeCodec);
  const { manifest } = contents;
  if (asJson) {
    say(JSON.stringify(manifest, null, 2));
    return contents.rejected.length > 0 ? 1 : 0;
  }
  say(`上报文件：${input}（${bytes.length} 字节，sha256 ${sha256Hex(bytes)}）`);
  say(`格式：${manifest.format} 第${manifest.formatVersion}版，表单版本 ${manifest.schemaVersion}`);
  say(`填报单位：${manifest.fillerUnit}`);
  say(`生成时间：${manifest.createdAt}`);
  say(`生成工具：${manifest.generator.name} ${manifest.generator.version}`);
  say(`网站数量：${manifest.forms.length}`);
  say('');
  manifest.forms.forEach((form, index) => {
    say(`${String(index + 1).padStart(4)}. ${form.siteName}`);
    say(`      表单编号 ${form.id}`);
    say(`      文件 ${form.path}`);
    say(`      sha256 ${form.sha256} ✓ 校验一致`);
  });
  say('');
  if (contents.rejected.length > 0) {
    say(`所有文件校验一致，但有${contents.rejected.length}张表未通过检查：`);
    printInvalidForms(contents.rejected);
    return 1;
  }
  say(`所有文件校验一致，${contents.forms.length}张表全部符合要求`);
  return 0;
}

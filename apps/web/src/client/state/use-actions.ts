// What the toolbar buttons do. Each action ends in a notice that says, in Chinese, what
// happened; none of them fails silently.
import { createBlankForm, SiteForm } from '@app/forms';
import { describeInvalidForm } from '@app/package';
import { importData, exportData } from '../actions/data-file';
import { download, readChosenFile, safeFileName, stamp } from '../actions/download';
import { blankTemplate, importExcel } from '../actions/excel';
import { generatePackage } from '../actions/generate';
import type { NoticeContent } from '../components/Notice';
import { toDraft } from './to-draft';
import type { Drafts } from './use-drafts';

const MAX_CELL_ERRORS_SHOWN = 30;

export function useActions(
  drafts: Drafts,
  excluded: Set<string>,
  say: (notice: NoticeContent) => void,
  open: (id: string, showAll: boolean) => void,
) {
  const guard = (title: string, work: () => Promise<void>) => async () => {
    try {
      await work();
    } catch (error) {
      say({ tone: 'error', title, lines: [error instanceof Error ? error.message : String(error)] });
    }
  };

  return {
    create() {
      const form = createBlankForm();
      drafts.put([form]);
      open(form.id, false);
    },

    exportData: guard('导出数据失败', async () => {
      download(exportData(drafts.forms), `网站信息表数据_${stamp()}.json`, 'application/json');
      say({
        tone: 'success',
        title: `已导出${drafts.forms.length}张表`,
        lines: ['在另一台电脑上打开离线填报工具，点“导入数据”选择这个文件，即可继续填写。'],
      });
    }),

    importData: (file: File) =>
      guard('导入数据失败', async () => {
        const result = importData(new TextDecoder().decode(await readChosenFile(file)), drafts.forms);
        drafts.put(result.toStore);
        const lines = [`新增${result.added}张，更新${result.updated}张`];
        if (result.keptLocal > 0) lines.push(`${result.keptLocal}张本机的版本更新，保留了本机的版本`);
        if (result.unreadable > 0) lines.push(`${result.unreadable}项不是有效的网站信息表，已跳过`);
        say({ tone: 'success', title: `已导入数据：${file.name}`, lines });
      })(),

    downloadTemplate: guard('生成Excel模板失败', async () => {
      download(
        await blankTemplate(),
        '政府网站基本信息表模板.xlsx',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      say({ tone: 'info', title: '已下载空白Excel模板', lines: ['按“填写说明”填好后，点“导入Excel模板”导入。'] });
    }),

    importExcel: (file: File) =>
      guard('导入Excel模板失败', async () => {
        const result = await importExcel(await readChosenFile(file));
        const drafted = result.forms.map((form) => toDraft(form)).filter((form): form is SiteForm => form !== null);
        drafts.put(drafted);
        const lines = result.cellErrors
          .slice(0, MAX_CELL_ERRORS_SHOWN)
          .map(
            (error) =>
              `“${error.sheet}”第${error.row}行${error.header ? `，“${error.header}”列（${error.column}列）` : ''}：${error.message}`,
          );
        if (result.cellErrors.length > MAX_CELL_ERRORS_SHOWN) lines.push(`……共${result.cellErrors.length}处问题`);
        const title = `已从Excel导入${drafted.length}张表${result.withErrors > 0 ? `，其中${result.withErrors}张有错误，请打开修改` : ''}`;
        say({ tone: result.cellErrors.length > 0 ? 'error' : 'success', title, lines });
      })(),

    generate: guard('生成上报文件失败', async () => {
      const selected = drafts.forms.filter((form) => !excluded.has(form.id));
      const outcome = await generatePackage(selected);
      if (outcome.kind === 'nothing') return say({ tone: 'error', title: '没有勾选任何网站信息表' });
      if (outcome.kind === 'mixed-units') {
        return say({
          tone: 'error',
          title: '所选的表填报单位不一致，不能放进同一个上报文件',
          lines: [`填报单位：${outcome.units.join('、')}`, '请只勾选同一填报单位的表，分别生成。'],
        });
      }
      if (outcome.kind === 'invalid') {
        const fixes = outcome.forms.map(({ form, errors }, index) => ({
          id: form.id,
          name: form.site.siteName.trim() || '未命名网站',
          problems: describeInvalidForm({ index, formId: form.id, siteName: '', errors }).map((line) =>
            line.replace(/^第\d+张表：/, ''),
          ),
        }));
        return say({
          tone: 'error',
          title: `有${fixes.length}张表有错误，不能生成上报文件。请改正，或取消勾选这些表：`,
          fixes,
        });
      }
      const fileName = `政府网站基本信息上报文件_${safeFileName(outcome.fillerUnit)}_${stamp()}.zip`;
      download(outcome.bytes, fileName, 'application/zip');
      say({
        tone: 'success',
        title: `已生成上报文件：${fileName}`,
        lines: [
          `包含${outcome.count}张表，填报单位：${outcome.fillerUnit}。`,
          '请登录全国政府网站信息报送系统，点左侧菜单“导入”，选择此文件后点“导入”。不要解压或修改它。',
        ],
      });
    }),
  };
}

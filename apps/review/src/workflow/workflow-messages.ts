import { CreateNoticeRequest, REQUEST_KIND_LABELS, RequestKind, SendMailRequest } from '@app/contracts';
import { SitePeople } from '../records/record.repository';
import { MovedRecord } from './transitions';

export type { SitePeople };

/** Made once: building an Intl formatter costs far more than using it (10,000 mails of one 全部审核). */
const CHINA_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});

/** 2026年3月5日, in China's time zone. */
export function chineseDate(at: Date): string {
  const [year, month, day] = CHINA_DATE.format(at).split('-');
  return `${year}年${Number(month)}月${Number(day)}日`;
}

export type CodeMailKind = 'approved' | 'recovery';

/** The mail that carries a site's 标识码 and 校验码, to its 负责人 and 联系人 (once each address). */
export function siteCodeMail(
  people: SitePeople,
  codes: { siteCode: string; checkCode: string },
  kind: CodeMailKind,
  key: string,
  at: Date,
): SendMailRequest {
  const to = [
    ...new Set(
      [people.principalEmail, people.contactEmail].map((email) => email.trim()).filter((email) => email.length > 0),
    ),
  ];
  const names = [...new Set([people.principalName, people.contactName].filter((name) => name.length > 0))].join('、');
  const opening =
    kind === 'approved'
      ? '贵单位报送的政府网站已通过审核，系统已为其分配网站标识码，信息如下：'
      : '根据标识码找回申请，现将该网站的网站标识码和校验码发送给您（本邮件只发送到该网站登记的负责人和联系人邮箱）：';
  const dateLine = kind === 'approved' ? `审核通过日期：${chineseDate(at)}` : `发送日期：${chineseDate(at)}`;
  const text = [
    `${names || '您好'}：`,
    '',
    opening,
    '',
    `网站名称：${people.siteName}`,
    `首页网址：${people.homepageUrl}`,
    `网站标识码：${codes.siteCode}`,
    `校验码：${codes.checkCode}`,
    dateLine,
    '',
    '网站标识码是政府网站的唯一身份代码，一经分配不再变更，请在网站首页底部标注；校验码用于核验网站身份，请妥善保管，不要公开。',
    '网站标识码和校验码合起来是本网站的自查评分登录凭据：以二者登录后，可按全国政府网站普查评分表填写并提交本网站的自查评分。请勿转交无关人员。',
    kind === 'recovery' ? '如果您没有申请找回标识码，请忽略本邮件。' : '',
    '',
    '（本邮件由全国政府网站信息报送系统自动发送，请勿回复。）',
  ].filter((line, index, lines) => line !== '' || lines[index - 1] !== '');
  const title = kind === 'approved' ? '网站标识码通知' : '网站标识码找回';
  return { key, to, subject: `【全国政府网站信息报送系统】${title}：${people.siteName}`, text: text.join('\n') };
}

/** In-app notices: the owner learns of a final approval, the unit a record is returned to learns why. */
export function workflowNotice(record: MovedRecord, reason: string | null): CreateNoticeRequest | null {
  if (record.requestKind) return requestNotice(record, record.requestKind, reason);
  if (record.toStatus === 'APPROVED') {
    return {
      key: `record:${record.id}:history:${record.historyId}`,
      orgUnitId: record.ownerOrgUnitId,
      kind: 'record-approved',
      title: `网站信息已审核通过：${record.siteName}`,
      body: `贵单位报送的“${record.siteName}”已审核通过${record.siteCode ? `，网站标识码 ${record.siteCode}` : ''}。标识码和校验码已发送到该网站的负责人和联系人邮箱。`,
    };
  }
  if (record.toStatus === 'RETURNED') {
    return {
      key: `record:${record.id}:history:${record.historyId}`,
      orgUnitId: record.toHolder,
      kind: 'record-returned',
      title: `网站信息被退回：${record.siteName}`,
      body: `“${record.siteName}”已被上级单位退回。退回理由：${reason ?? ''}`,
    };
  }
  return null;
}

const REQUEST_APPROVED_BODY: Readonly<Record<RequestKind, string>> = {
  CHANGE: '变更后的内容已成为当前内容，原内容保留在历史版本中',
  CLOSE: '网站状态已改为“已关停”',
  REOPEN: '网站状态已恢复为“运行中”',
  DEREGISTER: '网站状态已改为“已注销”，记录只读，网站标识码不再使用',
};

/** A request's final approval tells the owner it took effect; a return tells the unit it comes back to why. */
function requestNotice(record: MovedRecord, kind: RequestKind, reason: string | null): CreateNoticeRequest | null {
  const label = REQUEST_KIND_LABELS[kind];
  if (record.toStatus === 'APPROVED')
    return {
      key: `record:${record.id}:history:${record.historyId}`,
      orgUnitId: record.ownerOrgUnitId,
      kind: 'record-approved',
      title: `${label}申请已审核通过：${record.siteName}`,
      body: `贵单位为“${record.siteName}”（网站标识码 ${record.siteCode ?? ''}）提出的${label}申请已审核通过，${REQUEST_APPROVED_BODY[kind]}。`,
    };
  if (record.toStatus === 'RETURNED')
    return {
      key: `record:${record.id}:history:${record.historyId}`,
      orgUnitId: record.toHolder,
      kind: 'record-returned',
      title: `${label}申请被退回：${record.siteName}`,
      body: `“${record.siteName}”的${label}申请已被上级单位退回（网站仍按已审核的内容和状态运行）。退回理由：${reason ?? ''}`,
    };
  return null;
}

/** How many site names a grouped notice lists before “等”. */
const GROUPED_NOTICE_NAMES = 10;

/**
 * The notices of a bulk action (全部审核): a unit whose several plain records were approved
 * at once gets one notice naming how many and which (the first few), not one per record — a
 * county with 60 approved sites reads one line, and a province's 10,000 approvals write ~200
 * notices, not 10,000. A unit with one approved record, and every request (变更, 关停…) and
 * return, keeps its own notice. Keyed by the first history row of the group: unique, and the
 * same on a redelivery.
 */
export function bulkNotices(records: MovedRecord[], reason: string | null): CreateNoticeRequest[] {
  const approvedByOwner = new Map<string, MovedRecord[]>();
  const notices: CreateNoticeRequest[] = [];
  for (const record of records) {
    if (record.toStatus === 'APPROVED' && !record.requestKind) {
      const group = approvedByOwner.get(record.ownerOrgUnitId);
      if (group) group.push(record);
      else approvedByOwner.set(record.ownerOrgUnitId, [record]);
      continue;
    }
    const notice = workflowNotice(record, reason);
    if (notice) notices.push(notice);
  }
  for (const [orgUnitId, group] of approvedByOwner) {
    if (group.length === 1) {
      notices.push(workflowNotice(group[0], reason)!);
      continue;
    }
    const listed = group
      .slice(0, GROUPED_NOTICE_NAMES)
      .map((record) => `“${record.siteName}”${record.siteCode ? `（${record.siteCode}）` : ''}`)
      .join('、');
    const more = group.length > GROUPED_NOTICE_NAMES ? `等${group.length}个网站` : '';
    notices.push({
      key: `bulk-approval:history:${group[0].historyId}`,
      orgUnitId,
      kind: 'record-approved',
      title: `${group.length}个网站信息已审核通过`,
      body: `贵单位报送的${listed}${more}已审核通过，均已分配网站标识码。各网站的标识码和校验码已分别发送到该网站的负责人和联系人邮箱，可在“网站信息”中按状态“已审核”查看。`,
    });
  }
  return notices;
}

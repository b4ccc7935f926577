import { registeredPerson, homepageVariants } from '../recovery/site-code-recovery.service';
import { MovedRecord } from './transitions';
import { bulkNotices, chineseDate, siteCodeMail, SitePeople } from './workflow-messages';

const site: SitePeople = {
  id: 'r1',
  siteName: '秦皇岛市人民政府网站',
  homepageUrl: 'http://www.qhd.gov.cn',
  siteCode: '1303000001',
  checkCodeEnc: 'sealed',
  principalName: '张伟',
  principalEmail: 'zhangwei@qhd.gov.cn',
  contactName: '李娜',
  contactEmail: 'LiNa@qhd.gov.cn',
};

describe('site code mail', () => {
  it('names the site, both codes and the date in Chinese, to both registered people once each', () => {
    const mail = siteCodeMail(
      site,
      { siteCode: '1303000001', checkCode: 'AB23CD' },
      'approved',
      'site-code:r1',
      new Date('2026-03-04T20:00:00Z'),
    );
    expect(mail.to).toEqual(['zhangwei@qhd.gov.cn', 'LiNa@qhd.gov.cn']);
    expect(mail.subject).toBe('【全国政府网站信息报送系统】网站标识码通知：秦皇岛市人民政府网站');
    expect(mail.text).toContain('网站标识码：1303000001');
    expect(mail.text).toContain('校验码：AB23CD');
    expect(mail.text).toContain('审核通过日期：2026年3月5日');
    expect(mail.text).toContain('网站标识码和校验码合起来是本网站的自查评分登录凭据');
    expect(mail.text.startsWith('张伟、李娜：')).toBe(true);
    const same = siteCodeMail(
      { ...site, contactEmail: ' zhangwei@qhd.gov.cn ' },
      { siteCode: 'x', checkCode: 'y' },
      'recovery',
      'k',
      new Date(),
    );
    expect(same.to).toEqual(['zhangwei@qhd.gov.cn']);
    // The 标识码找回 mail says what the codes are for, too.
    expect(same.text).toContain('网站标识码和校验码合起来是本网站的自查评分登录凭据');
  });

  it('formats dates in China time', () => {
    expect(chineseDate(new Date('2026-12-31T16:30:00Z'))).toBe('2027年1月1日');
  });
});

describe('标识码找回 matching', () => {
  it('matches a registered name with its own email, after the form rules’ normalisation', () => {
    expect(registeredPerson(site, ' 张伟 ', 'ＺＨＡＮＧＷＥＩ＠qhd.gov.cn')).toBe(true);
    expect(registeredPerson(site, '李娜', 'lina@qhd.gov.cn')).toBe(true);
    expect(registeredPerson(site, '张伟', 'lina@qhd.gov.cn')).toBe(false);
    expect(registeredPerson(site, '王芳', 'zhangwei@qhd.gov.cn')).toBe(false);
  });

  it('finds a homepage with or without its trailing slash', () => {
    expect(homepageVariants(' http://www.qhd.gov.cn/ ')).toEqual(['http://www.qhd.gov.cn', 'http://www.qhd.gov.cn/']);
  });
});

describe('notices of a bulk approval (全部审核)', () => {
  const moved = (n: number, owner: string, extra: Partial<MovedRecord> = {}): MovedRecord => ({
    id: `r${owner}-${n}`,
    ownerOrgUnitId: owner,
    ownerCode: owner,
    siteName: `网站${owner}-${n}`,
    siteCode: `${owner}${String(n).padStart(4, '0')}`,
    fromStatus: 'PENDING',
    toStatus: 'APPROVED',
    fromHolder: 'p',
    toHolder: 'p',
    historyId: `h${owner}-${n}`,
    ...extra,
  });

  it('gives a unit one notice for its many approvals, naming how many and the first ten', () => {
    const records = Array.from({ length: 12 }, (_, i) => moved(i + 1, '130302'));
    const notices = bulkNotices(records, null);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      key: 'bulk-approval:history:h130302-1',
      orgUnitId: '130302',
      kind: 'record-approved',
      title: '12个网站信息已审核通过',
    });
    expect(notices[0].body).toContain('“网站130302-10”（1303020010）等12个网站已审核通过');
    expect(notices[0].body).not.toContain('网站130302-11');
  });

  it('keeps its own notice for a unit with one approval, a request and a record forwarded up none', () => {
    const notices = bulkNotices(
      [
        moved(1, '130303'),
        moved(1, '130304', { requestKind: 'CLOSE' }),
        moved(2, '130304', { requestKind: 'CLOSE' }),
        moved(1, '130305', { toStatus: 'PENDING', toHolder: 'up' }),
      ],
      null,
    );
    expect(notices.map((notice) => [notice.orgUnitId, notice.title])).toEqual([
      ['130304', '关停申请已审核通过：网站130304-1'],
      ['130304', '关停申请已审核通过：网站130304-2'],
      ['130303', '网站信息已审核通过：网站130303-1'],
    ]);
  });
});

import { registeredPerson, homepageVariants } from '../recovery/site-code-recovery.service';
import { chineseDate, siteCodeMail, SitePeople } from './workflow-messages';

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

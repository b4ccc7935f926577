import { createSampleForm } from '@app/forms';
import { ApiClient, TransportKind } from '@app/testing';
import { ReviewSystem, Unit } from './support/review-system';

/**
 * What a clerk reads instead of ids (issue 15), over real NATS and in-process: where a record
 * is and who holds it, the latest return reason, 流转历史 in sentences with unit names, counts per
 * status tab, a region filter, notices that link to their record, the audit log in Chinese, and
 * the support desk finding an account by a part of its code or its unit's name.
 */
describe.each<TransportKind>(['nats', 'in-process'])('what a clerk reads (%s)', (transport) => {
  let sys: ReviewSystem;
  let province: Unit; // 河北省
  let city: Unit; // 秦皇岛市
  let county: Unit; // 海港区
  let sibling: Unit; // 山海关区
  let stranger: Unit; // 山西省
  const forms = [createSampleForm(1), createSampleForm(2), createSampleForm(3)];
  const [first, second, third] = forms;

  beforeAll(async () => {
    sys = await ReviewSystem.start({ transport });
    const units: Unit[] = [];
    for (const code of ['130000', '130300', '130302', '130303', '140000']) units.push(await sys.unit(code));
    [province, city, county, sibling, stranger] = units;
    await sys.importForms(county, forms.slice(0, 2));
    await sys.importForms(sibling, [third]);
  });

  afterAll(async () => {
    await sys?.close();
  });

  const ok = async (request: Promise<{ status: number; body: any }>, status = 200) => {
    const res = await request;
    expect({ status: res.status, body: res.body }).toMatchObject({ status });
    return res.body;
  };

  it('says who holds a record, in the list and the detail, and 已审核 only when final', async () => {
    await ok(county.client.post(`/forms/${first.id}/submit`));
    const atCity = await ok(province.client.get(`/forms?status=PENDING`));
    expect(atCity.items[0]).toMatchObject({ id: first.id, holderName: '秦皇岛市', statusText: '待 秦皇岛市 审核' });
    expect(await ok(county.client.get(`/forms/${first.id}`))).toMatchObject({
      holderName: '秦皇岛市',
      statusText: '待 秦皇岛市 审核',
      lastReturn: null,
    });

    await ok(city.client.post(`/forms/${first.id}/approve`));
    expect(await ok(county.client.get(`/forms/${first.id}`))).toMatchObject({ statusText: '待 河北省 审核' });
    await ok(province.client.post(`/forms/${first.id}/approve`));
    const approved = await ok(county.client.get(`/forms?status=APPROVED`));
    expect(approved.items[0]).toMatchObject({ id: first.id, statusText: '已审核' });
  });

  it('puts the latest return reason on the returned record, and tells the history in sentences', async () => {
    await ok(county.client.post(`/forms/${second.id}/submit`));
    await ok(city.client.post(`/forms/${second.id}/return`, { reason: '联系人手机号有误' }));
    const returned = await ok(county.client.get(`/forms/${second.id}`));
    expect(returned).toMatchObject({
      status: 'RETURNED',
      holderName: '海港区',
      statusText: '已退回，待 海港区 处理',
      lastReturn: { reason: '联系人手机号有误', byOrgUnitName: '秦皇岛市' },
    });

    const history = await ok(county.client.get(`/forms/${first.id}/history`));
    expect(history.map((entry: { description: string }) => entry.description)).toEqual([
      '海港区 导入记录',
      '海港区 提交，报送 秦皇岛市 审核',
      '秦皇岛市 审核通过，报送 河北省',
      '河北省 审核通过（终审），记录已审核',
    ]);
    expect(history[2]).toMatchObject({ actorOrgUnitName: '秦皇岛市', toHolderName: '河北省' });
    const back = await ok(county.client.get(`/forms/${second.id}/history`));
    expect(back[back.length - 1]).toMatchObject({ description: '秦皇岛市 退回 海港区', reason: '联系人手机号有误' });
  });

  it('counts each status tab and filters by region, never outside the caller’s subtree', async () => {
    const all = await ok(city.client.get('/forms?status=DRAFT&pageSize=5'));
    expect(all.counts).toEqual({ DRAFT: 1, PENDING: 0, APPROVED: 1, RETURNED: 1 });
    expect(all.total).toBe(1);
    expect(all.items.map((item: { id: string }) => item.id)).toEqual([third.id]);

    // 海港区 alone: its two records, counted per status; 山海关区 alone: its draft.
    const haigang = await ok(city.client.get(`/forms?orgUnitId=${county.id}&pageSize=5`));
    expect(haigang.counts).toEqual({ DRAFT: 0, PENDING: 0, APPROVED: 1, RETURNED: 1 });
    expect(haigang.items.map((item: { id: string }) => item.id).sort()).toEqual([first.id, second.id].sort());
    const shanhaiguan = await ok(province.client.get(`/forms?orgUnitId=${sibling.id}&status=DRAFT`));
    expect(shanhaiguan.items.map((item: { id: string }) => item.id)).toEqual([third.id]);

    // A unit above, beside or outside the caller: nothing, and no counts of theirs.
    for (const [unit, region] of [
      [county, city.id],
      [county, sibling.id],
      [stranger, county.id],
    ] as const) {
      const none = await ok(unit.client.get(`/forms?orgUnitId=${region}`));
      expect(none).toMatchObject({ items: [], total: 0, counts: { DRAFT: 0, PENDING: 0, APPROVED: 0, RETURNED: 0 } });
    }
    expect((await city.client.get(`/forms?orgUnitId=not-a-unit`)).status).toBe(400);
    const held = await city.client.get(`/forms?scope=held&orgUnitId=${county.id}`);
    expect({ status: held.status, code: held.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('links a notice about a record to that record', async () => {
    let notices: Array<{ recordId: string | null; title: string }> = [];
    for (let tries = 0; tries < 100 && !notices.some((n) => n.recordId === second.id); tries++) {
      notices = (await ok(county.client.get('/notices?pageSize=50'))).items;
      if (!notices.some((n) => n.recordId === second.id)) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(notices.find((n) => n.recordId === second.id)?.title).toMatch(/退回/);
  });

  it('shows the audit log in Chinese with unit and site names, and support finds accounts by any part', async () => {
    const auditor: ApiClient = await sys.anonymous.login('auditor', 'Auditor-Pass-2026');
    let returns: Array<Record<string, string>> = [];
    for (let tries = 0; tries < 100 && returns.length === 0; tries++) {
      returns = (await ok(auditor.get('/admin/audit?action=record.return'))).items;
      if (returns.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(returns[0]).toMatchObject({
      actionName: '退回',
      actorName: '秦皇岛市（130300）',
      targetName: `网站「${second.site.siteName}」`,
    });
    expect(returns[0].summary).toContain('退回原因：联系人手机号有误');
    expect(JSON.stringify(returns[0])).not.toMatch(/"summary":"\{/);

    const support = await sys.anonymous.login('support', 'Support-Pass-2026');
    const byMiddle = await ok(support.get('/admin/accounts?q=0302'));
    expect(byMiddle.items.map((a: { username: string }) => a.username)).toEqual(['130302']);
    expect(byMiddle.items[0]).toMatchObject({ orgUnitName: '海港区' });
    const byName = await ok(support.get(`/admin/accounts?q=${encodeURIComponent('秦皇岛')}`));
    expect(byName.items.map((a: { username: string }) => a.username)).toContain('130300');
  });
});

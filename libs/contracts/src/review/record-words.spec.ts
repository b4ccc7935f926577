import { historySentence, recordStatusText } from './record-words';

describe('record words', () => {
  it('says who holds a record and uses 已审核 only when final', () => {
    expect(recordStatusText('PENDING', '秦皇岛市')).toBe('待 秦皇岛市 审核');
    expect(recordStatusText('RETURNED', '海港区')).toBe('已退回，待 海港区 处理');
    expect(recordStatusText('APPROVED', '河北省')).toBe('已审核');
    expect(recordStatusText('DRAFT', '海港区')).toBe('未提交');
    expect(recordStatusText('PENDING', null)).toBe('未审核');
  });

  it('tells each history step as a sentence with unit names', () => {
    const base = { actorUsername: '130300', toHolderName: '河北省' };
    expect(historySentence({ ...base, action: 'approve', toStatus: 'PENDING', actorUnitName: '秦皇岛市' })).toBe(
      '秦皇岛市 审核通过，报送 河北省',
    );
    expect(historySentence({ ...base, action: 'approve', toStatus: 'APPROVED', actorUnitName: '河北省' })).toBe(
      '河北省 审核通过（终审），记录已审核',
    );
    expect(
      historySentence({
        action: 'return',
        toStatus: 'RETURNED',
        actorUnitName: '秦皇岛市',
        actorUsername: null,
        toHolderName: '海港区',
      }),
    ).toBe('秦皇岛市 退回 海港区');
    expect(historySentence({ ...base, action: 'edit', toStatus: 'DRAFT', actorUnitName: null })).toBe(
      '130300 修改内容',
    );
  });
});

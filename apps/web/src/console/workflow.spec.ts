import { allowedActions } from './workflow';

const at = (status: string, holder: string) => ({ status, ownerOrgUnitId: 'county', holderOrgUnitId: holder });
const none = { submit: false, remove: false, approve: false, return: false };

describe('allowedActions', () => {
  it('lets the owner submit or delete its draft, and nobody else act on it', () => {
    expect(allowedActions(at('DRAFT', 'county'), 'county')).toEqual({ ...none, submit: true, remove: true });
    expect(allowedActions(at('DRAFT', 'county'), 'city')).toEqual(none);
  });

  it('lets the holder of a pending record approve or return it, and only the holder', () => {
    expect(allowedActions(at('PENDING', 'city'), 'city')).toEqual({ ...none, approve: true, return: true });
    expect(allowedActions(at('PENDING', 'city'), 'county')).toEqual(none);
    expect(allowedActions(at('PENDING', 'city'), 'province')).toEqual(none);
  });

  it('lets the final reviewer return an approved record, never approve it again', () => {
    expect(allowedActions(at('APPROVED', 'province'), 'province')).toEqual({ ...none, return: true });
  });

  it('passes a return down: the city may return it further, the owner may resubmit or delete', () => {
    expect(allowedActions(at('RETURNED', 'city'), 'city')).toEqual({ ...none, return: true });
    expect(allowedActions(at('RETURNED', 'county'), 'county')).toEqual({ ...none, submit: true, remove: true });
  });

  it('lets a final reviewer approve its own pending record but not return it to itself', () => {
    const own = { status: 'PENDING', ownerOrgUnitId: 'province', holderOrgUnitId: 'province' };
    expect(allowedActions(own, 'province')).toEqual({ ...none, approve: true });
  });
});

// Which buttons a record's page shows: the workflow rules of docs/DOMAIN.md as the console needs
// them. The server checks every action again; this only keeps impossible buttons off screen.
export interface RecordPosition {
  status: string;
  ownerOrgUnitId: string;
  holderOrgUnitId: string;
}

export function allowedActions(record: RecordPosition, unitId: string | null) {
  const holds = record.holderOrgUnitId === unitId;
  const owns = record.ownerOrgUnitId === unitId;
  // Only back at the owner (未提交, or 已退回 all the way down) may the owner act on it.
  const atOwner = holds && owns && (record.status === 'DRAFT' || record.status === 'RETURNED');
  return {
    submit: atOwner,
    remove: atOwner,
    approve: holds && record.status === 'PENDING',
    return: holds && !owns && ['PENDING', 'APPROVED', 'RETURNED'].includes(record.status),
  };
}

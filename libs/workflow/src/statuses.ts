/** The four workflow statuses; users read the Chinese labels, the API keeps the codes. */
export const RECORD_STATUSES = ['DRAFT', 'PENDING', 'APPROVED', 'RETURNED'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export const RECORD_STATUS_LABELS: Readonly<Record<RecordStatus, string>> = {
  DRAFT: '未提交',
  PENDING: '未审核',
  APPROVED: '已审核',
  RETURNED: '已退回',
};

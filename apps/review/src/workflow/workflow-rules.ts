import { RecordErrorCodes } from '@app/contracts';
import { DomainError } from '@app/platform';
import { RecordPosition, refusal, WorkflowAction } from '@app/workflow';

/**
 * Enforces the workflow rules (@app/workflow, docs/DOMAIN.md) for one record and one unit:
 * throws the reason the unit may not act — 403 NOT_RECORD_OWNER where only the owner may,
 * 409 RECORD_STATE_CONFLICT otherwise. The caller holds the record's row lock while asking.
 */
export function checkAction(record: RecordPosition, unitId: string, action: WorkflowAction): void {
  const refused = refusal(action, record, unitId);
  if (!refused) return;
  throw new DomainError(
    refused.kind === 'not-owner' ? RecordErrorCodes.NOT_RECORD_OWNER : RecordErrorCodes.RECORD_STATE_CONFLICT,
    refused.message,
  );
}

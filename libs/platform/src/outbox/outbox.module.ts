import { DynamicModule, Module } from '@nestjs/common';
import { DEFAULT_RELAY_OPTIONS, OUTBOX_RELAY_OPTIONS, OutboxRelay, OutboxRelayOptions } from './outbox.relay';
import { AuditTrail } from '../audit/audit-trail';
import { Outbox } from './outbox.service';

/** The transactional outbox of one service (its table comes from CreateOutbox1764190000000), and the audit trail that uses it. */
@Module({})
export class OutboxModule {
  static register(options: Partial<OutboxRelayOptions> = {}): DynamicModule {
    return {
      module: OutboxModule,
      providers: [
        Outbox,
        OutboxRelay,
        AuditTrail,
        { provide: OUTBOX_RELAY_OPTIONS, useValue: { ...DEFAULT_RELAY_OPTIONS, ...options } },
      ],
      exports: [Outbox, OutboxRelay, AuditTrail],
    };
  }
}

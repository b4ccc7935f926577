// The platform without its database side (TypeORM, pg, the outbox and the job queue): what the
// gateway, which keeps no data of its own, imports as '@app/platform/core'. TypeORM and pg
// alone hold about 18 MiB resident in a process that loads them; the gateway's budget is
// 150 MiB. Services import '@app/platform', which is this and the database side.
export * from './config/app-config';
export * from './tokens';
export * from './errors/domain-error';
export * from './errors/validation';
export * from './errors/bus-exception.filter';
export * from './errors/unavailable';
export * from './context/request-context';
export * from './context/correlation.interceptor';
export * from './context/actor-assertion.interceptor';
export * from './logging/json-logger';
export * from './bus/in-process-broker';
export * from './bus/bus-headers';
export * from './bus/transport';
export * from './bus/bus-connection-monitor';
export * from './bus/bus-client';
export * from './bus/actor-assertion';
export * from './health/health-probe';
export * from './service/platform.module';
export * from './service/create-service-app';
export * from './service/runtime';
export * from './service/run-service';
export * from './health/health.controller';
export * from './health/process-health';
export * from './outbox/outbox.migration';
export * from './crypto/field-cipher';
export * from './crypto/jwt-secret';
export * from './database/query';
export * from './worker/polling-loop';
export * from './jobs/work-queue';
export * from './metrics/metrics';
export * from './logging/crash-log';

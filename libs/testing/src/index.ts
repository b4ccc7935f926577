export * from './test-database';
export * from './test-system';
export * from './http-client';
export * from './unit-accounts';

export * from './services';
export * from './subject';
export * from './errors';
export * from './health/health.contract';
export * from './identity/roles';
export * from './identity/auth.contract';

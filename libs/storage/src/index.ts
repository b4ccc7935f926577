export * from './object-storage';
export * from './storage.module';
export * from './embedded-s3';

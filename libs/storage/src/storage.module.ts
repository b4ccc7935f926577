import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { HealthProbe, STORAGE_PROBE, StorageSettings } from '@app/platform/core';
import { ObjectStorage } from './object-storage';

/** The buckets of the system; names are `<S3_BUCKET_PREFIX>-<name>`. */
export const BUCKETS = {
  /** Uploaded report packages (ZIP/Excel): imports' kept for audit, refused and dry-run ones until their retention ends. */
  packages: 'packages',
  /** 文件中心 files: credential workbooks, exports. */
  files: 'files',
  /** 评分证据: the files sites and inspectors upload as evidence for their scoring. */
  evidence: 'evidence',
} as const;

export type BucketName = keyof typeof BUCKETS;

export function bucketName(config: Pick<StorageSettings, 'S3_BUCKET_PREFIX'>, bucket: BucketName): string {
  return `${config.S3_BUCKET_PREFIX}-${BUCKETS[bucket]}`;
}

const STORAGE_BUCKETS = Symbol('STORAGE_BUCKETS');

/** Object storage for a service; the buckets it names exist once the app has booted. */
@Module({})
export class StorageModule implements OnModuleInit {
  constructor(
    private readonly storage: ObjectStorage,
    @Inject(STORAGE_BUCKETS) private readonly buckets: { names: string[]; region: string },
  ) {}

  /**
   * `occasional`: the service only writes an object now and then (an export) into a bucket
   * another service creates: it neither creates buckets at boot nor reports storage in its
   * health, so it boots and serves (logins, records) while object storage is away; only the
   * occasional write fails then (and is retried by its job).
   */
  static forService(
    config: StorageSettings,
    buckets: BucketName[],
    options: { occasional?: boolean } = {},
  ): DynamicModule {
    const names = options.occasional ? [] : buckets.map((bucket) => bucketName(config, bucket));
    const settings = {
      endpoint: config.S3_ENDPOINT,
      accessKey: config.S3_ACCESS_KEY,
      secretKey: config.S3_SECRET_KEY,
      region: config.S3_REGION,
    };
    return {
      module: StorageModule,
      providers: [
        { provide: ObjectStorage, useFactory: () => new ObjectStorage(settings) },
        { provide: STORAGE_BUCKETS, useValue: { names, region: config.S3_REGION } },
        ...(options.occasional
          ? []
          : [
              {
                provide: STORAGE_PROBE,
                useFactory: (storage: ObjectStorage): HealthProbe => ({
                  name: 'storage',
                  check: () => storage.ping(names[0]),
                }),
                inject: [ObjectStorage],
              },
            ]),
      ],
      exports: options.occasional ? [ObjectStorage] : [ObjectStorage, STORAGE_PROBE],
    };
  }

  async onModuleInit(): Promise<void> {
    await this.storage.ensureBuckets(this.buckets.names, this.buckets.region);
  }
}

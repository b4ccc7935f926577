import { ALL_SETTINGS, describeSettings, SEPARATE_PROCESS_NEEDS, SettingInfo } from '@app/platform';
import { CORE_SCHEMA, load, loadAll, mergeTag } from 'js-yaml';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { APP_SETTINGS, AppName } from './services';

// The settings declared in libs/platform/src/config/settings.ts (and which apps read them,
// from apps/<app>/src/<app>.settings.ts) are the source; the README's table and the
// deploy/ files must agree with them.

const ROOT = resolve(__dirname, '../../..');
const APPS = Object.keys(APP_SETTINGS) as AppName[];
/** Not a setting: picks the app a container runs (deploy/Dockerfile, scripts/start-svc.js). */
const DEPLOY_ONLY = new Set(['APP']);
/** Compose files share one environment through YAML merge keys (`<<: *env`). */
const YAML_OPTIONS = { schema: CORE_SCHEMA.withTags(mergeTag) };

const declared = new Map<string, SettingInfo>(
  ALL_SETTINGS.flatMap((section) => describeSettings(section)).map((setting) => [setting.name, setting]),
);

function readersOf(name: string): AppName[] {
  return APPS.filter((app) =>
    APP_SETTINGS[app].some((section) => describeSettings(section).some((s) => s.name === name)),
  );
}

function requiredBy(app: AppName): string[] {
  const own = APP_SETTINGS[app].flatMap((section) => describeSettings(section));
  return [
    ...own.filter((setting) => setting.required).map((setting) => setting.name),
    ...Object.keys(SEPARATE_PROCESS_NEEDS),
  ];
}

interface ReadmeRow {
  names: string[];
  defaultCell: string;
  readBy: string;
}

function readmeRows(): ReadmeRow[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Configuration'));
  if (!section) throw new Error('README has no "## Configuration" section');
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  return rows.map(([variable, defaultCell, readBy]) => ({
    names: [...variable.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1]),
    defaultCell,
    readBy,
  }));
}

describe('configuration: one source of truth', () => {
  it('has every declared section read by some app, and every app section declared', () => {
    const used = new Set(APPS.flatMap((app) => APP_SETTINGS[app]));
    expect(ALL_SETTINGS.filter((section) => !used.has(section)).map((s) => s.name)).toEqual([]);
    expect([...used].filter((section) => !(ALL_SETTINGS as readonly unknown[]).includes(section))).toEqual([]);
  });

  it('lists in the README table exactly the declared settings, with their defaults and readers', () => {
    const rows = readmeRows();
    const listed = rows.flatMap((row) => row.names);
    expect([...listed].sort()).toEqual([...declared.keys()].sort());
    for (const row of rows)
      for (const name of row.names) {
        const setting = declared.get(name)!;
        const expectedDefault =
          setting.default !== undefined ? `\`${String(setting.default)}\`` : setting.required ? 'required' : '—';
        expect([name, row.defaultCell]).toEqual([name, expectedDefault]);
        const readers = readersOf(name);
        const expectedReaders = readers.length === APPS.length ? 'every app' : readers.join(', ');
        expect([name, row.readBy]).toEqual([name, expectedReaders]);
      }
  });

  describe('deploy/', () => {
    it('docker-compose.yml sets only declared settings, and every one each app requires', () => {
      const compose = load(readFileSync(join(ROOT, 'deploy/docker-compose.yml'), 'utf8'), YAML_OPTIONS) as {
        services: Record<string, { environment?: Record<string, unknown> }>;
      };
      const apps = Object.values(compose.services).filter((service) => service.environment?.APP);
      expect(apps.map((service) => service.environment!.APP).sort()).toEqual([...APPS].sort());
      for (const service of apps) {
        const env = service.environment!;
        const app = env.APP as AppName;
        expect([app, Object.keys(env).filter((name) => !declared.has(name) && !DEPLOY_ONLY.has(name))]).toEqual([
          app,
          [],
        ]);
        expect([app, requiredBy(app).filter((name) => !(name in env))]).toEqual([app, []]);
      }
    });

    it('the Kubernetes manifests set only declared settings, and every one each app requires', () => {
      const dir = join(ROOT, 'deploy/k8s');
      const documents = readdirSync(dir)
        .filter((file) => file.endsWith('.yaml'))
        .flatMap((file) => loadAll(readFileSync(join(dir, file), 'utf8'), YAML_OPTIONS) as Array<K8sDocument | null>)
        .filter((doc): doc is K8sDocument => doc !== null);
      const shared = new Map<string, string[]>();
      for (const doc of documents) {
        if (doc.kind === 'ConfigMap') shared.set(doc.metadata.name, Object.keys(doc.data ?? {}));
        if (doc.kind === 'Secret') shared.set(doc.metadata.name, Object.keys(doc.stringData ?? {}));
      }
      for (const [name, keys] of shared)
        expect([name, keys.filter((key) => !declared.has(key) && !DEPLOY_ONLY.has(key))]).toEqual([name, []]);
      const deployments = documents.filter((doc) => doc.kind === 'Deployment');
      const seen: string[] = [];
      for (const deployment of deployments)
        for (const container of deployment.spec!.template.spec.containers) {
          const own = (container.env ?? []).map((entry) => entry.name);
          expect(own.filter((name) => !declared.has(name) && !DEPLOY_ONLY.has(name))).toEqual([]);
          const app = container.env?.find((entry) => entry.name === 'APP')?.value as AppName;
          seen.push(app);
          const given = new Set([
            ...own,
            ...(container.envFrom ?? []).flatMap(
              (from) => shared.get((from.configMapRef ?? from.secretRef)!.name) ?? [],
            ),
          ]);
          expect([app, requiredBy(app).filter((name) => !given.has(name))]).toEqual([app, []]);
        }
      expect(seen.sort()).toEqual([...APPS].sort());
    });
  });
});

interface K8sDocument {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    template: {
      spec: {
        containers: Array<{
          env?: Array<{ name: string; value?: string }>;
          envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
        }>;
      };
    };
  };
}

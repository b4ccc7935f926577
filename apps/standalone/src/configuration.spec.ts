import { ALL_SETTINGS, describeSettings, SettingInfo } from '@app/platform';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { APP_SETTINGS, AppName } from './services';

// The settings declared in libs/platform/src/config/settings.ts (and which apps read them,
// from apps/<app>/src/<app>.settings.ts) are the source; the README's table and the
// deploy/ files (deploy.spec.ts) must agree with them.

const ROOT = resolve(__dirname, '../../..');
const APPS = Object.keys(APP_SETTINGS) as AppName[];

const declared = new Map<string, SettingInfo>(
  ALL_SETTINGS.flatMap((section) => describeSettings(section)).map((setting) => [setting.name, setting]),
);

function readersOf(name: string): AppName[] {
  return APPS.filter((app) =>
    APP_SETTINGS[app].some((section) => describeSettings(section).some((s) => s.name === name)),
  );
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
  // deploy/ (compose, Kubernetes) against the same declarations: deploy.spec.ts.
});

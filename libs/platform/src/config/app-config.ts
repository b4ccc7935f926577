import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, ValidationError, validateSync, ValidationTypes } from 'class-validator';
import { ALL_SETTINGS } from './settings';

export * from './settings';

/** A section of settings: a class whose properties are environment variables. */
export type SettingsClass = new () => object;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The config an app gets from its sections: every section's settings in one object. */
export type SettingsOf<S extends readonly SettingsClass[]> = UnionToIntersection<InstanceType<S[number]>>;

/** Every setting of the system: what the all-in-one launcher (and the tests) run on. */
export type AppConfig = SettingsOf<typeof ALL_SETTINGS>;

export type Environment = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置错误：\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** One declared setting, as documentation and checks see it. */
export interface SettingInfo {
  name: string;
  section: string;
  /** The default when unset; undefined when there is none. */
  default: unknown;
  /** Unset stops the boot (no default, not optional). */
  required: boolean;
}

/** The settings a section declares (every property carries a rule). */
export function describeSettings(section: SettingsClass): SettingInfo[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(section, '', true, false);
  const defaults = new section() as Record<string, unknown>;
  const names = [...new Set(metadata.map((rule) => rule.propertyName))];
  return names.map((name) => {
    const optional = metadata.some(
      (rule) => rule.propertyName === name && rule.type === ValidationTypes.CONDITIONAL_VALIDATION,
    );
    return {
      name,
      section: section.name,
      default: defaults[name],
      required: !optional && defaults[name] === undefined,
    };
  });
}

export interface LoadOptions {
  /**
   * Unset required settings pass (the launcher reads what is given before it fills in the
   * embedded parts); values that are set are still checked.
   */
  allowMissing?: boolean;
  /** Optional settings this run needs anyway, each with the reason shown when it is unset. */
  require?: Readonly<Record<string, string>>;
}

/**
 * Reads and validates the given sections from environment variables of the same names
 * (empty counts as unset). `overrides` win over the environment. Throws ConfigError naming
 * every bad or missing variable. Together with `settings.ts`, the only reader of `process.env`.
 */
export function loadSettings<S extends readonly SettingsClass[]>(
  sections: S,
  env: Environment = process.env,
  overrides: Partial<SettingsOf<S>> = {},
  options: LoadOptions = {},
): SettingsOf<S> {
  const config: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const section of sections) {
    const plain: Record<string, unknown> = {};
    for (const { name } of describeSettings(section)) {
      const raw = env[name];
      if (raw !== undefined && raw !== '') plain[name] = raw;
      const override = (overrides as Record<string, unknown>)[name];
      if (override !== undefined) plain[name] = override;
    }
    const instance = plainToInstance(section, plain);
    for (const error of validateSync(instance, { forbidUnknownValues: false })) {
      if (error.value === undefined && options.allowMissing) continue;
      problems.push(describeProblem(error));
    }
    Object.assign(config, instance);
  }
  for (const [name, reason] of Object.entries(options.require ?? {}))
    if (config[name] === undefined) problems.push(`${name}: ${reason as string}`);
  if (problems.length > 0) throw new ConfigError(problems);
  return config as SettingsOf<S>;
}

function describeProblem(error: ValidationError): string {
  if (error.value === undefined) return `${error.property}: 未设置`;
  return `${error.property}: ${Object.values(error.constraints ?? {}).join('；')}`;
}

/** Every setting of the system, validated (the launcher after filling in the embedded parts, tests, bench). */
export function loadConfig(env: Environment = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  return loadSettings(ALL_SETTINGS, env, overrides);
}

import type { InitializerSpec, LabConfig, SweepKey } from '../config/labConfig';

/** One value of a swept field, as the table and the label show it. */
export interface SweepSetting {
  key: SweepKey;
  /** The value as written, e.g. 0.01, "heNormal", "randomNormal(stddev=0.1)". */
  value: number | string;
}

/** One concrete run of a sweep: its settings, a label such as "batchSize=32, learningRate=0.01", and its config. */
export interface SweepRun {
  /** 0-based position among the sweep's runs. */
  index: number;
  /** "" for a config without a sweep. */
  label: string;
  settings: SweepSetting[];
  /** The config with this run's values applied, its label added to `name`, and no `sweep` left. */
  config: LabConfig;
}

/** Every combination of the sweep's values as a config of its own, the first key varying slowest; one run when there is no sweep. */
export function expandSweep(config: LabConfig): SweepRun[] {
  const { sweep, ...base } = config;
  const axes = Object.entries(sweep ?? {}) as [SweepKey, unknown[]][];
  let combinations: [SweepKey, unknown][][] = [[]];
  for (const [key, values] of axes) {
    combinations = combinations.flatMap((chosen) =>
      values.map((value) => [...chosen, [key, value] as [SweepKey, unknown]]),
    );
  }
  return combinations.map((chosen, index) => {
    const settings = chosen.map(([key, value]) => ({ key, value: settingValue(value) }));
    const label = settings.map((s) => `${s.key}=${s.value}`).join(', ');
    // The run's own name, so its saved record and its curves in the panel say which combination they are.
    const named = label ? { ...base, name: `${base.name} (${label})` } : base;
    return {
      index,
      label,
      settings,
      config: chosen.reduce<LabConfig>((run, [key, value]) => applySetting(run, key, value), named),
    };
  });
}

/** How many runs a config makes: the product of the sweep's value counts, 1 without a sweep. */
export function sweepRunCount(config: LabConfig): number {
  return Object.values(config.sweep ?? {}).reduce((product, values: unknown[]) => product * values.length, 1);
}

function settingValue(value: unknown): number | string {
  if (typeof value === 'number' || typeof value === 'string') return value;
  return initializerText(value as InitializerSpec);
}

/** "heNormal", or "randomNormal(stddev=0.1)" when the initializer takes a parameter. */
export function initializerText(spec: InitializerSpec): string {
  if (spec.stddev !== undefined) return `${spec.type}(stddev=${spec.stddev})`;
  if (spec.limit !== undefined) return `${spec.type}(limit=${spec.limit})`;
  return spec.type;
}

function applySetting(config: LabConfig, key: SweepKey, value: unknown): LabConfig {
  switch (key) {
    case 'batchSize':
    case 'epochs':
    case 'seed':
      return { ...config, [key]: value as number };
    case 'learningRate':
      return { ...config, optimizer: { ...config.optimizer, learningRate: value as number } };
    case 'kernelInitializer':
      return {
        ...config,
        layers: config.layers.map((layer) => ({ ...layer, kernelInitializer: value as InitializerSpec })),
      };
    case 'activation': {
      const last = config.layers.length - 1;
      return {
        ...config,
        layers: config.layers.map((layer, i) =>
          i < last ? { ...layer, activation: value as LabConfig['layers'][number]['activation'] } : layer,
        ),
      };
    }
  }
}

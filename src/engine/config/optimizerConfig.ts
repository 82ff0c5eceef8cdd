import type { Node as JsonNode } from 'jsonc-parser';
import type { ConfigChecker } from './configChecker';
import { OPTIMIZERS, type OptimizerSpec, type OptimizerType } from './labConfig';
import { CONFIG_DEFAULTS, OPTIMIZER_DEFAULTS, OPTIMIZER_KEYS } from './labConfigFormat';
import { DECAY_FACTOR, NON_NEGATIVE_NUMBER, POSITIVE_NUMBER, type NumberRule } from './numberRules';

type OptimizerParameter = { [T in OptimizerType]: keyof (typeof OPTIMIZER_DEFAULTS)[T] }[OptimizerType];

/** How each parameter is checked, whichever optimizer takes it; `nesterov` is the one switch. */
const PARAMETER_RULES: Record<OptimizerParameter, NumberRule | 'boolean'> = {
  learningRate: POSITIVE_NUMBER,
  momentum: DECAY_FACTOR,
  nesterov: 'boolean',
  initialAccumulatorValue: NON_NEGATIVE_NUMBER,
  rho: DECAY_FACTOR,
  beta1: DECAY_FACTOR,
  beta2: DECAY_FACTOR,
  epsilon: POSITIVE_NUMBER,
};

const PARAMETERS = Object.keys(PARAMETER_RULES) as OptimizerParameter[];

/** Advice for a top-level key that is really an optimizer parameter, a common slip: `"learningRate": 0.1` beside `epochs`. */
export function optimizerParameterHome(key: string, value: string): string | undefined {
  if (!(PARAMETERS as readonly string[]).includes(key)) return undefined;
  const owners = typesTaking(key as OptimizerParameter);
  const type = owners.includes(CONFIG_DEFAULTS.optimizer) ? CONFIG_DEFAULTS.optimizer : owners[0];
  return `it goes inside optimizer: "optimizer": { "type": "${type}", "${key}": ${value} }`;
}

/** An optimizer with Keras's defaults for every parameter not in `given`. */
export function optimizerWithDefaults(
  type: OptimizerType,
  given: Partial<Record<OptimizerParameter, number | boolean>> = {},
): OptimizerSpec {
  // readOptimizer puts only `type`'s own parameters in `given`, each checked by its rule, so this has the variant's shape.
  return { type, ...OPTIMIZER_DEFAULTS[type], ...given } as OptimizerSpec;
}

/** Reads an `optimizer`: a name such as "adam", or `{ "type": "adam", "learningRate": 0.02 }`. */
export function readOptimizer(checker: ConfigChecker, node: JsonNode, path: string): OptimizerSpec | undefined {
  const read = checker.namedOrTyped(
    node,
    path,
    OPTIMIZERS,
    OPTIMIZER_KEYS,
    `an optimizer name (one of ${OPTIMIZERS.join(', ')}) or an object such as { "type": "adam", "learningRate": 0.001 }`,
  );
  if (!read?.fields) return read?.type && optimizerWithDefaults(read.type);
  const { type, fields } = read;
  const given: Partial<Record<OptimizerParameter, number | boolean>> = {};
  for (const parameter of PARAMETERS) {
    const value = fields.value(parameter);
    if (value === undefined) continue;
    // With an unknown type the parameter cannot be judged misplaced; its value is still checked.
    if (type !== undefined && !(parameter in OPTIMIZER_DEFAULTS[type])) {
      const owners = typesTaking(parameter).join(', ');
      const own = Object.keys(OPTIMIZER_DEFAULTS[type]).join(', ');
      const why = `does not apply to ${type} (it is a parameter of ${owners}); ${type} takes ${own}`;
      checker.misplaced(fields, parameter, why);
      continue;
    }
    const rule = PARAMETER_RULES[parameter];
    const parameterPath = fields.pathOf(parameter);
    const read =
      rule === 'boolean' ? checker.boolean(value, parameterPath) : checker.number(value, parameterPath, rule);
    if (read !== undefined) given[parameter] = read;
  }
  return type && optimizerWithDefaults(type, given);
}

function typesTaking(parameter: OptimizerParameter): OptimizerType[] {
  return OPTIMIZERS.filter((type) => parameter in OPTIMIZER_DEFAULTS[type]);
}

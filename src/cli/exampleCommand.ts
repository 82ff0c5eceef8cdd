import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runWorkedExample, type WorkedExample, type WorkedExampleData } from '../engine/workedExample';
import { atMostPositionals, UsageError, type ParsedArgs } from './args';
import type { CliIo } from './io';

/** The chapter's worked examples by name, each a data file in lessons/. */
const EXAMPLES: Record<string, string> = { '7-3': '7-3-worked-example.json' };

/** `dnn-lab example 7-3 [--json]`: the worked example forward and backward, every number. */
export async function exampleCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const [name] = args.positionals;
  const file = EXAMPLES[name ?? ''];
  if (!file) throw new UsageError(`example needs the name of a worked example: ${Object.keys(EXAMPLES).join(', ')}`);
  atMostPositionals(args, 1, `example takes one worked example, ${name}`);
  // lessons/ ships beside dist/, where this bundle runs from.
  const data = JSON.parse(await readFile(join(__dirname, '..', 'lessons', file), 'utf8')) as WorkedExampleData;
  const example = runWorkedExample(data);
  io.stdout(args.options.has('json') ? `${JSON.stringify(example, null, 2)}\n` : describe(example));
  return 0;
}

const vector = (v: number[]) => `[${v.map((x) => x.toFixed(4)).join(', ')}]`;
const matrix = (m: number[][], indent: string) => m.map((row) => indent + vector(row)).join('\n');

/** The example as a student reads it: forward layer by layer, the loss, then backward. */
function describe(example: WorkedExample): string {
  const L = example.layers.length;
  const lines = [
    `Worked example 7-3: a ${[example.input.length, ...example.layers.map((l) => l.b.length)].join('-')} network`,
    '',
  ];
  lines.push(`x = a^0 = ${vector(example.input)}`, '');
  example.layers.forEach((l, i) => {
    lines.push(
      `Layer ${i + 1} (${l.activation})`,
      `  W^${i + 1} =`,
      matrix(l.W, '    '),
      `  b^${i + 1} = ${vector(l.b)}`,
    );
    lines.push(
      `  z^${i + 1} = W^${i + 1} a^${i} + b^${i + 1} = ${vector(l.z)}`,
      `  a^${i + 1} = ${l.activation}(z^${i + 1}) = ${vector(l.a)}`,
      '',
    );
  });
  const printed = example.loss.withRoundedProbabilities.toFixed(4);
  lines.push(
    `target ŷ = ${vector(example.target)}`,
    `C = -Σ ŷ_i ln(y_i) = ${example.loss.value.toFixed(4)}  (${printed} with y rounded to 3 decimals first, as the source prints it)`,
    '',
    'Backward',
  );
  for (let i = L - 1; i >= 0; i--) {
    const l = example.layers[i];
    const rule = i === L - 1 ? `y - ŷ (softmax with cross-entropy)` : `σ'(z^${i + 1}) ⊙ (W^${i + 2})^T δ^${i + 2}`;
    lines.push(
      `  δ^${i + 1} = ${rule} = ${vector(l.delta)}`,
      `  ∂C/∂W^${i + 1} = δ^${i + 1} (a^${i})^T =`,
      matrix(l.dW, '    '),
      `  ∂C/∂b^${i + 1} = δ^${i + 1} = ${vector(l.db)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

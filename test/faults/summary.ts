// vitest.faults.config.mts's global setup: gives every part a folder for its counts, then prints the totals.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED } from './random';
import { countOutcomes, formatCounts, TALLY_DIR_ENV, type Outcome } from './tally';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-lab-faults-tally-'));
  process.env[TALLY_DIR_ENV] = dir;
  return () => {
    const parts = readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .map(
        (n) =>
          JSON.parse(readFileSync(join(dir, n), 'utf8')) as {
            part: string;
            cases: { name: string; outcome: Outcome; problems: string[] }[];
          },
      );
    rmSync(dir, { recursive: true, force: true });
    const lines = [`\nFault harness, seed ${SEED}:`];
    for (const part of parts)
      lines.push(`  ${part.part.padEnd(12)} ${formatCounts(countOutcomes(part.cases.map((c) => c.outcome)))}`);
    lines.push(
      `  ${'total'.padEnd(12)} ${formatCounts(countOutcomes(parts.flatMap((p) => p.cases.map((c) => c.outcome))))}`,
    );
    const failing = parts.flatMap((p) =>
      p.cases
        .filter((c) => c.outcome !== 'pass')
        .map((c) => `  [${p.part}] ${c.name}\n      ${c.problems.join('\n      ')}`),
    );
    if (failing.length) lines.push(`Failing cases (${failing.length}):`, ...failing);
    console.log(lines.join('\n'));
  };
}

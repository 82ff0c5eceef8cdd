import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLabConfig } from '../../src/engine/config/parseLabConfig';
import { newRunId } from '../../src/engine/record/runHistory';
import { CLI, jsonLines, runCli } from './cli';
import { SHARED_MNIST } from './mnist';

/**
 * A run record shaped as the extension writes it (.dnnlab/runs/<id>.json), filled from a real
 * `dnn-lab train --json` of `configText` on the shared MNIST (under `node`, default this one); returns the record's path in `dir`.
 */
export async function trainedRecord(
  dir: string,
  name: string,
  configText: string,
  options: { threads?: number; node?: string } = {},
): Promise<string> {
  const configFile = join(dir, `${name}.dnn.json`);
  writeFileSync(configFile, configText);
  const args = ['train', configFile, '--data', SHARED_MNIST, '--json', '--threads', String(options.threads ?? 1)];
  const run = options.node ? nodeRun(options.node, args) : await runCli(args);
  if (run.code !== 0) throw new Error(`training ${name} failed: ${run.stderr}${run.stdout}`);
  const events = jsonLines(run.stdout);
  const epochs = events.filter((e) => e.event === 'epoch').map(({ event: _, ...metrics }) => metrics);
  const backend = events.find((e) => e.event === 'backend')?.name;
  const record = {
    format: 1,
    // A run id as the extension makes them: export and verify read a record through the run history's guard.
    id: newRunId(name, new Date(0)),
    name,
    documentPath: `${name}.dnn.json`,
    documentUri: `file://${configFile}`,
    startedAt: 0,
    status: 'completed',
    config: parseLabConfig(configText).config,
    environment: {
      extensionVersion: '0.1.0',
      vscodeVersion: 'cli',
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: 2,
      backend,
    },
    epochs,
    batchLosses: [],
    layerSnapshots: [],
  };
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(record, null, 2));
  return file;
}

/** The CLI under another Node, e.g. Node 24 as VS Code runs the extension. */
function nodeRun(node: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(node, [CLI, ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

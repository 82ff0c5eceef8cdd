/**
 * Puts the four MNIST files into dist/mnist/ for the packaged extension (npm run package), so a student's
 * VS Code never needs the network for the chapter. The files come through the engine's own loader into
 * that folder as its cache: every file checked against its published SHA-256, whatever is missing or wrong
 * downloaded from the mirrors, and all four decoded once. DNN_LAB_DATA names a local copy to take them from
 * first (CI points it at ../shared/datasets/mnist), so packaging needs no network where one is at hand.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sha256Hex } from '../src/engine/data/download';
import { DATA_FOLDER_ENV, explicitDataFolder } from '../src/engine/data/locations';
import { loadMnist } from '../src/engine/data/mnist';
import { MNIST_FILES } from '../src/engine/data/mnistFiles';
import { errorText } from '../src/engine/errorText';

async function main(): Promise<void> {
  const target = resolve(process.argv[2] ?? join('dist', 'mnist'));
  await mkdir(target, { recursive: true });
  const local = explicitDataFolder({});
  if (local) {
    for (const file of MNIST_FILES) {
      const from = join(resolve(local), file.name);
      const bytes = await readFile(from).catch((error: NodeJS.ErrnoException) => {
        throw new Error(
          `${DATA_FOLDER_ENV}=${local}: cannot read ${from} (${error.code ?? error.message}); it must hold the four .gz MNIST files.`,
        );
      });
      if (sha256Hex(bytes) !== file.sha256)
        throw new Error(`${from} is not the published ${file.name} (SHA-256 differs); replace it with the original.`);
      // A fresh file: a copy of a read-only source (a shared folder) would not be replaceable next time.
      await rm(join(target, file.name), { force: true });
      await writeFile(join(target, file.name), bytes);
    }
  }
  const started = Date.now();
  const { source, data } = await loadMnist({
    cacheDir: target,
    onProgress: (file, received, total) =>
      process.stderr.write(`\rdownloading ${file} ${Math.round((100 * received) / Math.max(1, total))}%   `),
  });
  const from = source === 'download' ? 'downloaded from the mirrors' : local ? `copied from ${local}` : 'already there';
  console.log(
    `bundle-mnist: ${target}: ${data.train.count} training and ${data.test.count} test images, SHA-256 checked, ${from} (${Date.now() - started} ms)`,
  );
}

main().catch((error: unknown) => {
  console.error(`bundle-mnist: ${errorText(error)}`);
  process.exit(1);
});

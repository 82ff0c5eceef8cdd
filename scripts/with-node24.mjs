// Runs a Node script under the Node 24 that scripts/e2e/install.sh puts in its cache: VS Code's
// extension host is Node 22+, and only there do the relaxed-SIMD wasm kernels load, so the unit
// tests run under it too (`npm run test:node24`), not only under the system Node.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const cache = process.env.DNN_LAB_E2E_CACHE ?? join(homedir(), '.cache', 'dnn-lab-e2e');
const pathsFile = join(cache, 'paths.json');
let node;
try {
  node = JSON.parse(readFileSync(pathsFile, 'utf8')).node;
} catch (error) {
  console.error(
    `with-node24: no Node 24 found (${pathsFile}: ${error.code ?? error.message}); run \`bash scripts/e2e/install.sh\` first.`,
  );
  process.exit(2);
}
const result = spawnSync(node, process.argv.slice(2), { stdio: 'inherit' });
if (result.error) {
  console.error(`with-node24: could not start ${node}: ${result.error.message}`);
  process.exit(2);
}
process.exit(result.status ?? 1);

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering rules of eslint.config.mjs, applied to code placed in each layer.
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering rules', () => {
  it.each([
    [
      'src/engine/train/x.ts',
      "import * as vscode from 'vscode';\nexport const v = vscode;\n",
      /engine never imports vscode/,
    ],
    [
      'webview/training/x.ts',
      "import * as vscode from 'vscode';\nexport const v = vscode;\n",
      /page never imports vscode/,
    ],
    [
      'webview/lesson/x.ts',
      "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
      /no Node built-ins/,
    ],
    [
      'src/protocol/trainingWorkerProtocol.ts',
      "import { Worker } from 'node:worker_threads';\nexport type W = Worker;\n",
      /no Node built-ins/,
    ],
    [
      'src/protocol/endpoint.ts',
      "import * as vscode from 'vscode';\nexport const v = vscode;\n",
      /never imports vscode/,
    ],
  ])('%s: the import is refused', async (filePath, code, message) => {
    const messages = await restrictedImports(filePath, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });

  it.each([
    ['src/engine/data/x.ts', "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n"],
    ['src/training/x.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n"],
  ])('%s: the import is allowed', async (filePath, code) => {
    expect(await restrictedImports(filePath, code)).toEqual([]);
  });
});

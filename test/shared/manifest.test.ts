import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe('package.json', () => {
  const keys = [...read('package.json').matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);

  it.each(['package.nls.json', 'package.nls.zh-tw.json'])('has every %%key%% it names translated in %s', (file) => {
    const strings = JSON.parse(read(file)) as Record<string, string>;
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((key) => !strings[key])).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Every %key% package.json names must read in both languages: a missing one shows as the raw "%key%".
const manifest = readFileSync('package.json', 'utf8');
const keys = [...new Set([...manifest.matchAll(/"%([^"%]+)%"/g)].map((m) => m[1]))];

describe('package.json strings', () => {
  it('names some keys', () => expect(keys.length).toBeGreaterThan(20));
  it.each(['package.nls.json', 'package.nls.zh-tw.json'])('%s translates every %key% of package.json', (file) => {
    const strings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(keys.filter((k) => !strings[k]?.trim())).toEqual([]);
  });
});

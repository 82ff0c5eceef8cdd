// The browser bundles' node:path (src/web/node/path.ts) against Node's own POSIX path on the paths host code uses.
import * as posix from 'node:path/posix';
import { describe, expect, it } from 'vitest';
import * as web from '../../src/web/node/path';

const PATHS = ['/a/b/c.dnn.json', '/a/b/', '/', 'a/b', 'a/../../b', '/a/./b/../c', '', '.', 'lab.dnn.json', '/a//b'];

describe('node:path in the browser bundles', () => {
  it.each(PATHS)('dirname, basename, extname and normalize of %j match node:path/posix', (p) => {
    expect(web.dirname(p)).toBe(posix.dirname(p));
    expect(web.basename(p)).toBe(posix.basename(p));
    expect(web.basename(p, '.dnn.json')).toBe(posix.basename(p, '.dnn.json'));
    expect(web.extname(p)).toBe(posix.extname(p));
    if (p !== '') expect(web.normalize(p)).toBe(posix.normalize(p));
    expect(web.isAbsolute(p)).toBe(posix.isAbsolute(p));
  });

  it.each([
    ['/ws', '.dnnlab', 'runs'],
    ['/ws/', '../x'],
    ['a', '', 'b'],
    ['/a/b', '/c'],
  ])('join and resolve of %j match node:path/posix', (...parts) => {
    expect(web.join(...parts)).toBe(posix.join(...parts));
    if (posix.isAbsolute(parts[0])) expect(web.resolve(...parts)).toBe(posix.resolve(...parts));
  });

  it.each([
    ['/ws', '/ws/labs/lab.dnn.json'],
    ['/ws/a', '/ws/b/c'],
    ['/ws', '/ws'],
  ])('relative(%j, %j) matches node:path/posix', (from, to) => {
    expect(web.relative(from, to)).toBe(posix.relative(from, to));
  });
});

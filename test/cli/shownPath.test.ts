import { describe, expect, it } from 'vitest';
import { shownPath } from '../../src/cli/io';

describe('shownPath: how the CLI names a file it wrote', () => {
  it('is relative inside the working folder and absolute outside it', () => {
    expect(shownPath('/work/course', '/work/course/out/autograder.zip')).toBe('out/autograder.zip');
    expect(shownPath('/work/course', '/tmp/ag/autograder.zip')).toBe('/tmp/ag/autograder.zip');
    expect(shownPath('/work/course', '/work/course-2/results.json')).toBe('/work/course-2/results.json');
    expect(shownPath('/work/course', '/work/course')).toBe('/work/course');
  });

  it('keeps a file whose name starts with two dots inside the folder relative', () => {
    expect(shownPath('/work/course', '/work/course/..notes.json')).toBe('..notes.json');
  });
});

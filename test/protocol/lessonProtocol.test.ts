import { describe, expect, it } from 'vitest';
import {
  isLessonId,
  isLessonLanguage,
  isLessonLink,
  isOverfitExperimentId,
  languageOf,
} from '../../src/protocol/lessonProtocol';

describe('messages from the lesson page are checked before use', () => {
  it.each([
    [{ kind: 'lab', id: 'lab01' }, true],
    [{ kind: 'corelab', id: 'corelab-3' }, true],
    [{ kind: 'demo-7-3' }, true],
    [{ kind: 'lesson', id: '7-2' }, true],
    [{ kind: 'lesson', id: '7-4' }, false],
    [{ kind: 'lab', id: '../../etc' }, false],
    [{ kind: 'lab' }, false],
    [{ kind: 'command', id: 'workbench.action.reloadWindow' }, false],
    ['lab01', false],
    [null, false],
  ])('link %j -> %s', (value, ok) => {
    expect(isLessonLink(value)).toBe(ok);
  });

  it.each([
    ['baseline', true],
    ['moreData', true],
    ['everything', false],
  ])('experiment %j -> %s', (value, ok) => {
    expect(isOverfitExperimentId(value)).toBe(ok);
  });

  it('accepts only the lessons and languages that exist', () => {
    expect(['7-1', '7-3', '7-9', 7].map(isLessonId)).toEqual([true, true, false, false]);
    expect(['zh-tw', 'en', 'zh-cn'].map(isLessonLanguage)).toEqual([true, true, false]);
  });
});

it.each([
  ['zh-tw', 'zh-tw'],
  ['zh-TW', 'zh-tw'],
  ['zh-hant-hk', 'zh-tw'],
  ['zh-cn', 'en'],
  ['en', 'en'],
  ['ja', 'en'],
])('VS Code in %s shows lessons in %s first', (display, lesson) => {
  expect(languageOf(display)).toBe(lesson);
});

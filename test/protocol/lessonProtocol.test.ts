import { describe, expect, it } from 'vitest';
import {
  fromLessonPageGuards,
  lessonPageReplyGuards,
  toLessonPageGuards,
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

describe('messages into the lesson page are checked before use', () => {
  const epoch = { epoch: 3, trainLoss: 0.2, trainAccuracy: 0.9, testLoss: 0.4, testAccuracy: 0.85 };
  it.each([
    [{ experiment: 'baseline', epoch, totalEpochs: 30 }, true],
    [{ experiment: 'biggerModel', epoch, totalEpochs: 30 }, false],
    [{ experiment: 'baseline', epoch: { ...epoch, testLoss: '0.4' }, totalEpochs: 30 }, false],
    [{ experiment: 'baseline', totalEpochs: 30 }, false],
  ])('overfit/epochEnded %j passes: %s', (payload, ok) => {
    expect(toLessonPageGuards['overfit/epochEnded'](payload)).toBe(ok);
  });

  const state = {
    lesson: '7-2',
    language: 'en',
    text: { 'zh-tw': '# 7-2', en: '# 7-2' },
    available: { openLab: true, openCorelab: true, demo: true },
    experiments: [{ id: 'baseline', sizes: [784, 10], parameters: 7850, trainSamples: 1, testSamples: 1, epochs: 1 }],
  };
  it.each([
    [state, true],
    [{ ...state, lesson: '7-9' }, false],
    [{ ...state, text: { en: '# 7-2' } }, false],
    [{ ...state, experiments: [{ ...state.experiments[0], result: { epochs: [epoch], backend: 'js' } }] }, false],
  ])('the ready state %# passes: %s', (value, ok) => {
    expect(lessonPageReplyGuards['page/ready'](value)).toBe(ok);
  });

  it.each([
    ['lesson/setLanguage', { language: 'fr' }, false],
    ['lesson/setLanguage', { language: 'zh-tw' }, true],
    ['overfit/run', { experiment: 'moreData' }, true],
    ['overfit/run', { experiment: 'rm -rf' }, false],
  ] as const)('from the page, %s %j passes: %s', (type, payload, ok) => {
    expect(fromLessonPageGuards[type](payload)).toBe(ok);
  });
});

import { readFileSync } from 'node:fs';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { lessonMath, parseLesson, type LessonBlock } from '../../webview/lesson/lessonMarkdown';
import { LESSON_IDS, LESSON_LANGUAGES, type LessonId, type LessonLanguage } from '../../src/lessons/protocol';

const read = (lesson: LessonId, language: LessonLanguage) => readFileSync(`lessons/${lesson}.${language}.md`, 'utf8');
/** TeX with all spacing removed, so a formula matches however it is laid out. */
const squash = (tex: string) => tex.replace(/\s+|\\[,;!]|\\quad|\\qquad/g, '');
const mathOf = (lesson: LessonId, language: LessonLanguage) => lessonMath(parseLesson(read(lesson, language))).map(squash).join('\n');

/** Every formula the chapter's source states, as the lessons write it. */
const FORMULAS: [LessonId, string, string][] = [
  ['7-1', 'gradient descent update', '\\theta_2 \\leftarrow \\theta_1 - \\eta \\frac{dC(\\theta_1)}{d\\theta}'],
  ['7-1', 'the nested network function', 'y = f(x) = \\sigma\\left(W^L \\cdots \\sigma\\left(W^2 \\sigma\\left(W^1 x + b^1\\right) + b^2\\right) \\cdots + b^L\\right)'],
  ['7-1', 'first layer', 'z^1 = W^1 x + b^1, a^1 = \\sigma(z^1)'],
  ['7-1', 'second layer', 'z^2 = W^2 a^1 + b^2, a^2 = \\sigma(z^2)'],
  ['7-1', 'layer l', 'z^l = W^l a^{l-1} + b^l, a^l = \\sigma(z^l)'],
  ['7-1', 'chain-rule split', '\\frac{\\partial C}{\\partial w_{ij}^l} = \\frac{\\partial C}{\\partial z_i^l} \\cdot \\frac{\\partial z_i^l}{\\partial w_{ij}^l}'],
  ['7-1', 'dz/dw in the first layer', '\\frac{\\partial z_i^1}{\\partial w_{ij}^1} = x_j'],
  ['7-1', 'z in the first layer', 'z_i^1 = \\sum_j w_{ij}^1 x_j + b_i^1'],
  ['7-1', 'dz/dw in layer l', '\\frac{\\partial z_i^l}{\\partial w_{ij}^l} = a_j^{l-1}'],
  ['7-1', 'delta^L element form', '\\delta_i^L = \\frac{\\partial C}{\\partial z_i^L} = \\frac{\\partial y_i}{\\partial z_i^L} \\cdot \\frac{\\partial C}{\\partial y_i} = \\sigma\'(z_i^L) \\cdot \\frac{\\partial C}{\\partial y_i}'],
  ['7-1', 'delta^L matrix form', '\\delta^L = \\sigma\'(z^L) \\odot \\nabla C(y)'],
  ['7-1', 'sigma\'(z^L) as a vector', '\\sigma\'(z^L) = \\begin{bmatrix} \\sigma\'(z_1^L) \\\\ \\sigma\'(z_2^L) \\\\ \\vdots \\\\ \\sigma\'(z_n^L) \\end{bmatrix}'],
  ['7-1', '∇C(y) as a vector', '\\nabla C(y) = \\begin{bmatrix} \\frac{\\partial C}{\\partial y_1} \\\\ \\frac{\\partial C}{\\partial y_2} \\\\ \\vdots \\\\ \\frac{\\partial C}{\\partial y_n} \\end{bmatrix}'],
  ['7-1', 'delta^l by the chain rule', '\\delta_i^l = \\frac{\\partial C}{\\partial z_i^l} = \\frac{\\partial a_i^l}{\\partial z_i^l} \\sum_k \\frac{\\partial z_k^{l+1}}{\\partial a_i^l} \\frac{\\partial C}{\\partial z_k^{l+1}}'],
  ['7-1', 'the three factors', '\\frac{\\partial z_k^{l+1}}{\\partial a_i^l} = w_{ki}^{l+1}'],
  ['7-1', 'delta^l element form', '\\delta_i^l = \\sigma\'(z_i^l) \\sum_k w_{ki}^{l+1} \\delta_k^{l+1}'],
  ['7-1', 'delta^l matrix form', '\\delta^l = \\sigma\'(z^l) \\odot (W^{l+1})^T \\delta^{l+1}'],
  ['7-1', 'backward chain summary', '\\delta^{L-1} &= \\sigma\'(z^{L-1}) \\odot (W^L)^T \\delta^L \\\\ &\\vdots \\\\ \\delta^{l-1} &= \\sigma\'(z^{l-1}) \\odot (W^l)^T \\delta^l'],
  ['7-2', 'accuracy', '\\text{accuracy} = \\frac{\\text{correct}}{\\text{total}}'],
  ['7-3', 'softmax of the example', '\\mathrm{softmax}\\left(\\begin{bmatrix} 0 \\\\ 0.006 \\\\ 0.12 \\end{bmatrix}\\right) = \\begin{bmatrix} 0.319 \\\\ 0.321 \\\\ 0.36 \\end{bmatrix}'],
  ['7-3', 'softmax definition', '\\mathrm{softmax}(z)_i = \\frac{e^{z_i}}{\\sum_k e^{z_k}}'],
  ['7-3', 'cross-entropy', 'C = -\\sum_{i} \\hat{y}_i \\ln(y_i)'],
  ['7-3', 'cross-entropy of the example', 'C = -0 \\cdot \\ln(0.319) - 1 \\cdot \\ln(0.321) - 0 \\cdot \\ln(0.36) = 1.1363'],
  ['7-3', 'the input', 'x = (0.6, 0.2)'],
  ['7-3', 'the target', '\\hat{y} = [0, 1, 0]'],
  ['7-3', '21 parameters', '2 \\cdot 3 + 3 + 3 \\cdot 3 + 3 = 21'],
  ['7-3', 'why 1.1362', '-\\ln(0.32105\\ldots) = 1.1362'],
  ['7-3', 'one gradient-descent step', 'W^l \\leftarrow W^l - \\eta \\frac{\\partial C}{\\partial W^l}'],
];

/** Plain-text facts of the source: numbers, and the four remedies for overfitting, in each language. */
const FACTS: Record<LessonLanguage, [LessonId, string][]> = {
  en: [
    ['7-2', 'Reduce the model\'s complexity'],
    ['7-2', 'Use more training data'],
    ['7-2', 'Regularization'],
    ['7-2', 'Data augmentation'],
    ['7-2', 'training error keeps falling but the test error starts to **rise**'],
    ['7-3', 'Why does the engine print 1.1362?'],
    ['7-3', 'position of the largest value'],
    ['7-3', 'Train for 20 epochs with batch size 300, optimizer Adam with learning rate 0.02'],
    ['7-3', '20 epochs, batch size 640 and Adam with learning rate 0.02'],
    ['7-3', 'set the learning rate to 0.01 and then 0.001'],
  ],
  'zh-tw': [
    ['7-2', '減少模型複雜度'],
    ['7-2', '使用更多訓練資料'],
    ['7-2', '使用正則化'],
    ['7-2', '做資料增強'],
    ['7-2', '訓練誤差仍繼續下降,測試誤差卻開始**上升**'],
    ['7-2', '準確率 = 猜對多少筆測試資料 / 測試資料總筆數'],
    ['7-3', '為什麼引擎印出的是 1.1362?'],
    ['7-3', '最大值的位置'],
    ['7-3', '以 EPOCH=20、batch size=300 訓練,優化器選用 Adam,learning_rate=0.02'],
    ['7-3', '以 EPOCH=20、batch size=640 訓練,優化器選用 Adam,learning_rate=0.02'],
    ['7-3', 'learning_rate 分別設為 0.01 與 0.001'],
  ],
};

describe.each(LESSON_LANGUAGES)('lessons in %s', (language) => {
  it.each(FORMULAS)('%s states the %s', (lesson, _name, tex) => {
    expect(mathOf(lesson, language)).toContain(squash(tex));
  });

  it.each(FACTS[language])('%s says "%s"', (lesson, text) => {
    expect(read(lesson, language)).toContain(text);
  });

  it.each(LESSON_IDS)('every formula of %s renders in KaTeX without an error', (lesson) => {
    const math = lessonMath(parseLesson(read(lesson, language)));
    expect(math.length).toBeGreaterThan(3);
    for (const tex of math) expect(() => katex.renderToString(tex, { throwOnError: true, strict: 'error' }), tex).not.toThrow();
  });

  it.each(LESSON_IDS)('%s leaves no stray TeX or dollar signs in its text', (lesson) => {
    const text = parseLesson(read(lesson, language)).flatMap((b) => (b.kind === 'paragraph' || b.kind === 'heading' ? b.content : b.kind === 'list' ? b.items.flat() : []));
    for (const part of text.filter((p) => p.kind === 'text')) expect(part.text).not.toMatch(/\$|\\[a-z]+/);
  });
});

/** The outline of a lesson: headings' levels, and the interactive parts in order. */
const outline = (blocks: LessonBlock[]) =>
  blocks.flatMap((b) => (b.kind === 'heading' ? [`h${b.level}`] : b.kind === 'widget' ? [`${b.name} ${b.args[0] ?? ''}`] : b.kind === 'math' ? ['math'] : []));

it.each(LESSON_IDS)('%s has the same sections, formulas and interactive parts in both languages', (lesson) => {
  expect(outline(parseLesson(read(lesson, 'zh-tw')))).toEqual(outline(parseLesson(read(lesson, 'en'))));
});

it.each([
  ['7-1', ['network-figure', 'stepper', 'open-lab lab01']],
  ['7-2', ['overfit', 'open-lab lab01']],
  ['7-3', ['network-figure', 'worked-example', 'demo-7-3', 'open-lab lab02', 'open-corelab corelab-1', 'open-corelab corelab-2', 'open-corelab corelab-3']],
] as const)('%s places its interactive parts and links: %j', (lesson, parts) => {
  const widgets = parseLesson(read(lesson, 'en')).flatMap((b) => (b.kind === 'widget' ? [`${b.name} ${b.args[0] ?? ''}`.trim()] : []));
  expect(widgets).toEqual(expect.arrayContaining([...parts]));
});

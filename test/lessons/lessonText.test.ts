import { readFileSync } from 'node:fs';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { lessonMath, parseLesson, type LessonBlock } from '../../webview/lesson/lessonMarkdown';
import { LESSON_IDS, LESSON_LANGUAGES, type LessonId, type LessonLanguage } from '../../src/protocol/lessonProtocol';
import { MIN_RISE, PATIENCE } from '../../src/engine/train/overfitting';

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
  ['7-1', 'gradient descent, every later step', '\\theta_{t+1} \\leftarrow \\theta_t - \\eta \\frac{dC(\\theta_t)}{d\\theta}'],
  ['7-1', 'bias gradient', '\\frac{\\partial C}{\\partial b^l} = \\delta^l'],
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
  ['7-3', 'softmax delta^L by the Jacobian', '\\delta^L = J^T \\nabla C(y), J_{ik} = \\frac{\\partial y_i}{\\partial z_k^L} = y_i \\left([i = k] - y_k\\right)'],
  ['7-3', 'why the Jacobian gives y - ŷ', '= y_k \\sum_i \\hat{y}_i - \\hat{y}_k = y_k - \\hat{y}_k'],
  ['7-3', 'delta^L of the example', '\\delta^L = y - \\hat{y} = [0.319, -0.679, 0.360]'],
  ['7-3', 'the element-wise formula taken literally', '[0, -0.679, 0]'],
  ['7-3', 'the hidden layer', 'z^1 = W^1 x + b^1 = [0.2, 0.2, 0.1]'],
  ['7-3', 'the hidden layer after ReLU', 'a^1 = \\mathrm{ReLU}(z^1) = [0.2, 0.2, 0.1]'],
  ['7-3', 'the loss line checks on a calculator', '-\\ln(0.32105) = 1.1362'],
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
    ['7-1', 'chooses a starting point once, then repeats two steps'],
    ['7-1', '## Backpropagation in summary'],
    ['7-1', 'it holds for an element-wise activation such as the sigmoid'],
    ['7-1', 'the source writes $x_j^r$'],
    ['7-1', 'the source writes $\\bullet$'],
    ['7-1', 'each result is computed from the unrounded numbers before it'],
    ['7-2', 'split a **validation set** off the training data'],
    ['7-2', 'is the cross-entropy loss (lesson 7-3)'],
    ['7-2', 'on a linear scale from 0'],
    ['7-2', `the test loss of the last ${PATIENCE} epochs stayed more than ${MIN_RISE * 100} % above its lowest value while the training loss kept falling`],
    ['7-2', 'a further remedy, not one of the chapter\'s four'],
    ['7-3', 'Softmax is not element-wise'],
    ['7-3', 'The source\'s figures with the weights are lost'],
    ['7-3', 'the lab file `7-3-demo.dnn.json` takes its place'],
    ['7-3', 'overfitting, and its four remedies'],
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
    ['7-2', '訓練誤差仍繼續下降，測試誤差卻開始**上升**'],
    ['7-2', '準確率 = 猜對多少筆測試資料 / 測試資料總筆數'],
    ['7-1', '先選一次起始點，再反覆做兩件事'],
    ['7-1', '## 反向傳播總結'],
    ['7-1', '像 sigmoid 這種逐元素作用的激勵函數就是如此'],
    ['7-1', '原始講義寫成 $x_j^r$'],
    ['7-1', '原始講義寫成 $\\bullet$'],
    ['7-1', '每個結果都是由前面未經四捨五入的數值算出'],
    ['7-2', '從訓練資料中切出一份**驗證集**'],
    ['7-2', '是交叉熵損失（見單元 7-3）'],
    ['7-2', '以從 0 開始的線性刻度繪製'],
    ['7-2', `最後 ${PATIENCE} 個 epoch 的測試損失都比最低值高出 ${MIN_RISE * 100} % 以上，而訓練損失仍在下降`],
    ['7-2', '並不在本章列出的四種方法之中'],
    ['7-3', 'softmax 不是逐元素作用'],
    ['7-3', '原始講義中畫有權重的圖已經遺失'],
    ['7-3', '由 Lab 檔 `7-3-demo.dnn.json` 取代它'],
    ['7-3', '以及減緩它的四種方法'],
    ['7-3', '為什麼引擎印出的是 1.1362？'],
    ['7-3', '最大值的位置'],
    ['7-3', '以 20 個 epoch、批次大小 300 訓練，優化器選用 Adam，學習率 0.02'],
    ['7-3', '以 20 個 epoch、批次大小 640 訓練，優化器選用 Adam，學習率 0.02'],
    ['7-3', '學習率分別設為 0.01 與 0.001'],
  ],
};

/** What the lessons said that was wrong or misleading (issue 16, item 3), kept out. */
const WITHDRAWN: Record<LessonLanguage, [LessonId, string][]> = {
  en: [
    ['7-3', 'simplifies to'],
    ['7-3', 'stopping before it overfits'],
    ['7-1', 'in one picture'],
    ['7-1', 'repeats three steps'],
    ['7-2', 'The best moment to stop is the turning point'],
  ],
  'zh-tw': [
    ['7-3', '可化簡為'],
    ['7-3', '在過度擬合之前停止'],
    ['7-1', '反覆做三件事'],
    ['7-2', '最好的停止時機'],
  ],
};

describe.each(LESSON_LANGUAGES)('lessons in %s', (language) => {
  it.each(FORMULAS)('%s states the %s', (lesson, _name, tex) => {
    expect(mathOf(lesson, language)).toContain(squash(tex));
  });

  it.each(FACTS[language])('%s says "%s"', (lesson, text) => {
    expect(read(lesson, language)).toContain(text);
  });

  it.each(WITHDRAWN[language])('%s no longer says "%s"', (lesson, text) => {
    expect(read(lesson, language)).not.toContain(text);
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
  ['7-1', ['network-figure', 'practice', 'stepper', 'open-lab lab01']],
  ['7-2', ['overfit', 'open-lab lab01']],
  ['7-3', ['network-figure', 'worked-example', 'practice', 'demo-7-3', 'open-lab lab02', 'open-corelab corelab-1', 'open-corelab corelab-2', 'open-corelab corelab-3']],
] as const)('%s places its interactive parts and links: %j', (lesson, parts) => {
  const widgets = parseLesson(read(lesson, 'en')).flatMap((b) => (b.kind === 'widget' ? [`${b.name} ${b.args[0] ?? ''}`.trim()] : []));
  expect(widgets).toEqual(expect.arrayContaining([...parts]));
});

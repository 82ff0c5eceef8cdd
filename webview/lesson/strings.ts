/**
 * The lesson page's own labels in both lesson languages. They live in the page, not in vscode.l10n, because
 * the student switches the lesson's language inside the panel, independently of VS Code's display language.
 */
import type { LessonLanguage } from '../../src/protocol/lessonProtocol';
import type { MistakeId } from '../../src/engine/practice/derivation';
import type { RemedyEffect } from './model/overfitCurves';

/** What a mistake's explanation needs to know about the step it was made in. */
export interface MistakeContext {
  /** The layer's l, and the symbols of its layer above and below, e.g. "2", "3", "1". */
  l: number;
  /** The step is the output layer's δ. */
  output: boolean;
  /** The output layer is softmax with cross-entropy. */
  softmax: boolean;
  /** The hidden activation of the layer, for σ′: sigmoid, tanh or relu. */
  activation: string;
  /** The number of outputs n. */
  n: number;
}

const sup = (n: number) => String(n).replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]);
const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

const en = {
  switchLanguage: '中文',
  switchLanguageTitle: 'Show this lesson in Traditional Chinese',
  lessonNav: 'Lessons',
  lesson71: '7-1 Backpropagation',
  lesson72: '7-2 Validation',
  lesson73: '7-3 Worked example',
  stepForward: 'Next step',
  stepBack: 'Previous step',
  stepReset: 'Start over',
  stepOf: (n: number, total: number) => `Step ${n} of ${total}`,
  phaseForward: (l: number) => `Forward, layer ${l}`,
  phaseLoss: 'The loss',
  phaseBackward: (l: number) => `Backward: error signal of layer ${l}`,
  phaseGradient: (l: number) => `Gradients of layer ${l}`,
  figureInput: 'input',
  figureHidden: (l: number) => `hidden layer ${l}`,
  figureOutput: 'output',
  figureCaption: 'Blue solid edges are positive weights, orange dashed ones negative; thicker means larger.',
  runExperiment: 'Run',
  running: 'Training…',
  stop: 'Stop',
  rerun: 'Run again',
  experimentBaseline: 'Baseline: deep network, 500 images',
  experimentSmallerModel: 'Remedy: smaller model (fewer layers)',
  experimentMoreData: 'Remedy: more data',
  seriesBaseline: 'Baseline',
  seriesSmallerModel: 'Smaller model',
  seriesMoreData: 'More data',
  experimentSummary: (sizes: number[], parameters: number, train: number, test: number, epochs: number) =>
    `${sizes.join('-')}, ${parameters.toLocaleString('en')} parameters, ${train.toLocaleString('en')} training / ${test.toLocaleString('en')} test images, ${epochs} epochs`,
  chartTitle: 'Cross-entropy loss per epoch (solid: test, dashed: training)',
  chartEpoch: 'epoch',
  chartLoss: 'loss',
  dataTable: 'Data table',
  train: 'training',
  test: 'test',
  turningPoint: (epoch: number) => `Turning point: epoch ${epoch}`,
  noTurningPoint: (rise: number) => `No turning point: the test loss never stayed more than ${rise} % above its lowest`,
  resultRow: (epoch: number, best: number, last: number, acc: number) =>
    `Lowest test loss ${best.toFixed(3)} at epoch ${epoch}, final ${last.toFixed(3)}; final test accuracy ${(acc * 100).toFixed(1)}%`,
  ranOn: (backend: string, seconds: number) => `Trained here on ${backend} in ${seconds.toFixed(0)} s`,
  againstBaseline: (e: RemedyEffect) =>
    `Against the baseline: final test loss ${e.remedy.testLoss.toFixed(3)} vs ${e.baseline.testLoss.toFixed(3)}, gap ${e.remedy.gap.toFixed(3)} vs ${e.baseline.gap.toFixed(3)}, test accuracy ${percent(e.remedy.testAccuracy)} vs ${percent(e.baseline.testAccuracy)}`,
  lessOverfitting: 'less overfitting',
  notLessOverfitting: 'not better on every count',
  chartNote:
    "Training figures are the mean over the epoch's batches, each scored while the weights were still learning (as Keras reports them); test figures are measured once, after the epoch. The gap is the final test loss minus the final training loss.",
  editHint: 'Every number in an input box is editable: type a number and press Enter or leave the box.',
  inputLabel: 'input x',
  targetLabel: 'target ŷ',
  badNumber: (field: string, value: string) =>
    `${field} must be a number, got "${value}". Type a decimal number such as 0.25.`,
  badTarget:
    'The target ŷ must be a probability distribution for cross-entropy here: entries ≥ 0 that add up to 1, such as the one-hot 0, 1, 0.',
  forward: 'Forward pass',
  softmaxLoss: 'Softmax and cross-entropy',
  roundedNote: (rounded: string, exact: string) =>
    `With each probability first rounded to 3 decimals, C = ${rounded}; unrounded, C = ${exact}.`,
  predicted: (cls: number, target: number) =>
    `Predicted class: ${cls} (the position of the largest output); the target's class: ${target}.`,
  backwardPass: 'Backward pass',
  stepTitle: 'One step of gradient descent',
  learningRate: 'learning rate η',
  takeStep: 'Take one step',
  newLoss: (before: string, after: string) => `Loss before the step: ${before}. After the step: ${after}.`,
  badLearningRate: (value: string) => `The learning rate η must be a positive number, got "${value}". Try 0.5.`,
  resetExample: 'Reset to the lesson’s numbers',
  openLab: 'Open this lab',
  openCorelab: 'Open this problem',
  openDemo: 'Open Demo 7-3 in the training panel',
  linkMissingLab: 'The labs are not available in this version of DNN Lab.',
  linkMissingDemo: 'The training panel is not available in this version of DNN Lab.',
  linkFailed: (message: string) => `Could not open it: ${message}`,
  practiceIntro:
    'Compute each number yourself before it is shown. Type it with 4 decimals and press Enter: DNN Lab checks it and, when it is wrong, tells you which usual mistake your answer matches. Each number you finish is listed below and used by the next step.',
  /** `seed` is undefined for the lesson's own network. */
  practiceExercise: (seed: number | undefined, sizes: string, hidden: string, output: string) =>
    seed === undefined
      ? `The lesson’s network: ${sizes}, hidden layers ${hidden}, output ${output}`
      : `Exercise ${seed}: a ${sizes} network, hidden layers ${hidden}, output ${output}`,
  practiceOutputMse: 'sigmoid with mean squared error',
  practiceOutputCe: 'softmax with cross-entropy',
  practiceGiven: 'Given: the forward pass, printed to 4 decimals',
  practiceDone: 'Computed so far',
  practiceSoftmaxTitle: (L: number) => `The output y = softmax(z${sup(L)})`,
  practiceLossTitle: 'The loss C',
  practiceDeltaTitle: (symbol: string, l: number, output: boolean) =>
    output ? `${symbol}: the error signal of the output layer` : `${symbol}: the error signal of hidden layer ${l}`,
  practiceWeightTitle: (symbol: string, l: number) => `${symbol}: one entry of layer ${l}’s weight gradient`,
  practiceBiasTitle: (symbol: string, l: number) => `${symbol}: one entry of layer ${l}’s bias gradient`,
  practiceAsk: 'Give 4 decimals, such as −0.0123; press Enter to check.',
  practiceUses: 'From: ',
  practiceEntry: (symbol: string, i: number, n: number) => (n === 1 ? symbol : `${symbol}, entry ${i} of ${n}`),
  practiceCheck: 'Check',
  practiceReveal: 'Show the answer',
  practiceNew: 'New exercise',
  practiceRestart: 'Start this exercise over',
  practiceCorrect: (symbol: string) => `Right: ${symbol} is correct.`,
  practiceRevealed: (symbol: string) => `${symbol} is shown below; try the next one yourself.`,
  practicePrecision: (decimals: number) =>
    `Right to ${decimals} decimals. Give 4 decimals, as the page prints the numbers.`,
  practiceWrong: (entries: string) =>
    `Not right yet (${entries}), and it matches none of the usual mistakes. Check your arithmetic against the formula:`,
  practiceEntries: (entries: number[]) =>
    entries.length === 1 ? `entry ${entries[0]}` : `entries ${entries.join(', ')}`,
  practiceInvalid: (label: string, text: string) =>
    text.trim() === ''
      ? `${label} is empty: type a number such as −0.0123.`
      : `${label} must be a number, got "${text}". Type a decimal number such as −0.0123.`,
  practiceMistake: (names: string[]) =>
    names.length === 1
      ? `Your answer is what you get with a usual mistake: ${names[0]}.`
      : `Your answer is what you get with any of these usual mistakes (they give the same numbers here): ${names.join('; ')}.`,
  practiceFormula: 'The formula to use:',
  practiceFinished: (solved: number, revealed: number) =>
    `Exercise finished: ${solved} computed by you, ${revealed} shown. Take a new exercise to practise more.`,
  practiceProgress: (solved: number, revealed: number, exercises: number) =>
    `Your practice so far: ${solved} ${solved === 1 ? 'number' : 'numbers'} computed, ${revealed} shown, ${exercises} ${exercises === 1 ? 'exercise' : 'exercises'} finished.`,
  practiceSolvedMark: 'computed',
  practiceRevealedMark: 'shown',
  mistakeName: {
    noSigmaPrime: 'σ′ left out',
    noTranspose: 'W instead of Wᵀ',
    wrongActivation: 'a^l instead of a^(l−1)',
    elementwiseSoftmax: 'softmax derivative taken element-wise',
    flippedSign: 'sign flipped: ŷ − y instead of y − ŷ',
    log10: 'log base 10 instead of ln',
    roundedEarly: 'probabilities rounded too early',
    sumNotMean: 'summed without dividing by n',
  } satisfies Record<MistakeId, string>,
  mistakeWhy: (id: MistakeId, c: MistakeContext): string => {
    switch (id) {
      case 'noSigmaPrime':
        if (!c.output)
          return `You multiplied by (W${sup(c.l + 1)})ᵀ but left out σ′(z${sup(c.l)}); multiply by it element by element. ${sigmaPrimeEn(c.activation)}`;
        return c.softmax
          ? 'That is ∇C(y) = −ŷᵢ / yᵢ alone: the softmax’s derivative is left out. Multiply by the softmax Jacobian J, which gives y − ŷ.'
          : `That is ∇C(y) alone: σ′(z${sup(c.l)}) is left out. ${sigmaPrimeEn('sigmoid')}`;
      case 'noTranspose':
        return `You multiplied δ${sup(c.l + 1)} by W${sup(c.l + 1)} itself. Unit i of layer ${c.l} reaches unit k of layer ${c.l + 1} through w_ki, so the sum runs down column i: use the transpose (W${sup(c.l + 1)})ᵀ.`;
      case 'wrongActivation':
        return `You multiplied by a${sup(c.l)}, the layer’s own output. The weight w_ij multiplies what feeds it, a_j of the layer before (x for layer 1).`;
      case 'elementwiseSoftmax':
        return 'You took the softmax derivative element by element, yᵢ(1 − yᵢ). Softmax mixes every z_k into every yᵢ, so δ needs the full Jacobian; with cross-entropy it comes to y − ŷ.';
      case 'flippedSign':
        return c.softmax
          ? 'The sign is flipped: δ = y − ŷ, the output minus the target.'
          : `The sign is flipped: ∇C(y) = (2/${c.n})(y − ŷ), the output minus the target.`;
      case 'log10':
        return 'You used log base 10. Cross-entropy uses the natural logarithm ln (a calculator’s “ln” key, not “log”).';
      case 'roundedEarly':
        return 'You rounded the probabilities to 3 decimals before the logarithm, which moves the 4th decimal of C. Keep them unrounded (or to 5 decimals) until the end.';
      case 'sumNotMean':
        return `You summed the squared errors but did not divide by n = ${c.n}: the mean squared error is their mean.`;
    }
  },
};

/** σ′ of an activation in terms of what the forward pass printed. */
function sigmaPrimeEn(activation: string): string {
  if (activation === 'tanh') return 'For tanh, σ′(z) = 1 − a².';
  if (activation === 'relu') return 'For ReLU, σ′(z) = 1 where z > 0 and 0 where z < 0 (a dead unit).';
  return 'For the sigmoid, σ′(z) = a(1 − a).';
}

/** The page's labels; zh-tw mirrors en key for key. */
export type PageStrings = typeof en;

const zhTw: PageStrings = {
  switchLanguage: 'English',
  switchLanguageTitle: '以英文顯示本單元',
  lessonNav: '單元',
  lesson71: '7-1 反向傳播',
  lesson72: '7-2 驗證神經網路',
  lesson73: '7-3 數值範例',
  stepForward: '下一步',
  stepBack: '上一步',
  stepReset: '從頭開始',
  stepOf: (n, total) => `第 ${n} 步，共 ${total} 步`,
  phaseForward: (l) => `前向傳播：第 ${l} 層`,
  phaseLoss: '損失函數',
  phaseBackward: (l) => `反向傳播：第 ${l} 層的誤差訊號`,
  phaseGradient: (l) => `第 ${l} 層的梯度`,
  figureInput: '輸入層',
  figureHidden: (l) => `隱藏層 ${l}`,
  figureOutput: '輸出層',
  figureCaption: '藍色實線為正權重、橘色虛線為負權重；線越粗，權重的絕對值越大。',
  runExperiment: '執行',
  running: '訓練中…',
  stop: '停止',
  rerun: '重新執行',
  experimentBaseline: '基準：深層網路、500 張圖片',
  experimentSmallerModel: '對策：較小的模型（較少層）',
  experimentMoreData: '對策：更多訓練資料',
  seriesBaseline: '基準',
  seriesSmallerModel: '較小的模型',
  seriesMoreData: '更多資料',
  experimentSummary: (sizes, parameters, train, test, epochs) =>
    `${sizes.join('-')}，${parameters.toLocaleString('zh-TW')} 個參數，訓練 ${train.toLocaleString('zh-TW')} 張 / 測試 ${test.toLocaleString('zh-TW')} 張圖片，${epochs} 個 epoch`,
  chartTitle: '每個 epoch 的交叉熵損失（實線：測試，虛線：訓練）',
  chartEpoch: 'epoch',
  chartLoss: '損失',
  dataTable: '資料表',
  train: '訓練',
  test: '測試',
  turningPoint: (epoch) => `轉折點：第 ${epoch} 個 epoch`,
  noTurningPoint: (rise) => `沒有轉折點：測試損失從未持續比最低值高出 ${rise} % 以上`,
  resultRow: (epoch, best, last, acc) =>
    `最低測試損失 ${best.toFixed(3)}（第 ${epoch} 個 epoch），最終 ${last.toFixed(3)}；最終測試準確率 ${(acc * 100).toFixed(1)}%`,
  ranOn: (backend, seconds) => `在這台電腦上以 ${backend} 訓練，費時 ${seconds.toFixed(0)} 秒`,
  againstBaseline: (e) =>
    `與基準比較：最終測試損失 ${e.remedy.testLoss.toFixed(3)} 對 ${e.baseline.testLoss.toFixed(3)}，差距 ${e.remedy.gap.toFixed(3)} 對 ${e.baseline.gap.toFixed(3)}，測試準確率 ${percent(e.remedy.testAccuracy)} 對 ${percent(e.baseline.testAccuracy)}`,
  lessOverfitting: '過度擬合減輕了',
  notLessOverfitting: '並非每一項都比較好',
  chartNote:
    '訓練數字是這個 epoch 各批次的平均，每個批次都在權重仍在學習時計分（與 Keras 的報告方式相同）；測試數字則在 epoch 結束後才量一次。差距是最終測試損失減去最終訓練損失。',
  editHint: '每個輸入框裡的數字都可以修改：輸入數字後按 Enter 或離開輸入框。',
  inputLabel: '輸入 x',
  targetLabel: '期望向量 ŷ',
  badNumber: (field, value) => `${field} 必須是數字，目前是「${value}」。請輸入如 0.25 的小數。`,
  badTarget: '這裡的交叉熵需要期望向量 ŷ 為機率分布：每個值 ≥ 0 且總和為 1，例如 one-hot 的 0, 1, 0。',
  forward: '前向傳播',
  softmaxLoss: 'Softmax 與交叉熵',
  roundedNote: (rounded, exact) => `先把每個機率四捨五入到小數第三位，C = ${rounded}；不四捨五入，C = ${exact}。`,
  predicted: (cls, target) => `預測類別：${cls}（輸出最大值的位置）；期望向量的類別：${target}。`,
  backwardPass: '反向傳播',
  stepTitle: '一步梯度下降',
  learningRate: '學習率 η',
  takeStep: '走一步',
  newLoss: (before, after) => `走這一步之前的損失：${before}。之後：${after}。`,
  badLearningRate: (value) => `學習率 η 必須是正數，目前是「${value}」。試試 0.5。`,
  resetExample: '還原成單元中的數字',
  openLab: '開啟這個 Lab',
  openCorelab: '開啟這個題目',
  openDemo: '在訓練面板開啟 Demo 7-3',
  linkMissingLab: '此版本的 DNN Lab 尚未提供 Lab。',
  linkMissingDemo: '此版本的 DNN Lab 尚未提供訓練面板。',
  linkFailed: (message) => `無法開啟：${message}`,
  practiceIntro:
    '每個數字顯示之前，先自己算算看。輸入到小數第四位後按 Enter，DNN Lab 會檢查答案；答錯時，會告訴你的答案符合哪一種常見錯誤。算完的數字會列在下方，供下一步使用。',
  practiceExercise: (seed, sizes, hidden, output) =>
    seed === undefined
      ? `本單元的網路：${sizes}，隱藏層用 ${hidden}，輸出層用 ${output}`
      : `練習 ${seed}：${sizes} 的網路，隱藏層用 ${hidden}，輸出層用 ${output}`,
  practiceOutputMse: 'sigmoid 與均方誤差',
  practiceOutputCe: 'softmax 與交叉熵',
  practiceGiven: '已知：前向傳播的結果，印到小數第四位',
  practiceDone: '已經算出的數字',
  practiceSoftmaxTitle: (L) => `輸出 y = softmax(z${sup(L)})`,
  practiceLossTitle: '損失 C',
  practiceDeltaTitle: (symbol, l, output) =>
    output ? `${symbol}：輸出層的誤差訊號` : `${symbol}：隱藏層 ${l} 的誤差訊號`,
  practiceWeightTitle: (symbol, l) => `${symbol}：第 ${l} 層權重梯度的一個元素`,
  practiceBiasTitle: (symbol, l) => `${symbol}：第 ${l} 層偏差梯度的一個元素`,
  practiceAsk: '請輸入到小數第四位，例如 −0.0123；按 Enter 檢查。',
  practiceUses: '由這些數字算出：',
  practiceEntry: (symbol, i, n) => (n === 1 ? symbol : `${symbol} 的第 ${i} 個元素（共 ${n} 個）`),
  practiceCheck: '檢查',
  practiceReveal: '顯示答案',
  practiceNew: '新的練習',
  practiceRestart: '重做這個練習',
  practiceCorrect: (symbol) => `答對了：${symbol} 正確。`,
  practiceRevealed: (symbol) => `${symbol} 的答案列在下方；下一個請自己算算看。`,
  practicePrecision: (decimals) => `到小數第 ${decimals} 位是對的。請輸入到小數第四位，與頁面上印出的數字相同。`,
  practiceWrong: (entries) => `還不對（${entries}），也不符合任何常見錯誤。請對照公式檢查你的計算：`,
  practiceEntries: (entries) => `第 ${entries.join('、')} 個元素`,
  practiceInvalid: (label, text) =>
    text.trim() === ''
      ? `${label}是空的：請輸入數字，例如 −0.0123。`
      : `${label}必須是數字，目前是「${text}」。請輸入如 −0.0123 的小數。`,
  practiceMistake: (names) =>
    names.length === 1
      ? `你的答案正是一種常見錯誤的結果：${names[0]}。`
      : `你的答案是以下任一種常見錯誤的結果（在這裡它們得到相同的數字）：${names.join('；')}。`,
  practiceFormula: '應該使用的公式：',
  practiceFinished: (solved, revealed) =>
    `練習完成：你算出 ${solved} 個，顯示答案 ${revealed} 個。想多練習，請開始新的練習。`,
  practiceProgress: (solved, revealed, exercises) =>
    `目前的練習成果：算出 ${solved} 個數字，顯示答案 ${revealed} 個，完成 ${exercises} 個練習。`,
  practiceSolvedMark: '自己算出',
  practiceRevealedMark: '已顯示答案',
  mistakeName: {
    noSigmaPrime: '漏了 σ′',
    noTranspose: '用了 W 而不是 Wᵀ',
    wrongActivation: '用了 a^l 而不是 a^(l−1)',
    elementwiseSoftmax: '把 softmax 的微分當成逐元素計算',
    flippedSign: '正負號相反：寫成 ŷ − y 而不是 y − ŷ',
    log10: '用了以 10 為底的對數而不是 ln',
    roundedEarly: '機率太早四捨五入',
    sumNotMean: '加總之後沒有除以 n',
  },
  mistakeWhy: (id, c) => {
    switch (id) {
      case 'noSigmaPrime':
        if (!c.output)
          return `你乘了 (W${sup(c.l + 1)})ᵀ，但漏了 σ′(z${sup(c.l)}) 這個因子；請再逐元素乘上它。${sigmaPrimeZh(c.activation)}`;
        return c.softmax
          ? '這只是 ∇C(y) = −ŷᵢ / yᵢ，漏了 softmax 的微分。請乘上 softmax 的 Jacobian 矩陣 J，結果是 y − ŷ。'
          : `這只是 ∇C(y) 本身，漏了 σ′(z${sup(c.l)}) 這個因子。${sigmaPrimeZh('sigmoid')}`;
      case 'noTranspose':
        return `你把 δ${sup(c.l + 1)} 乘上 W${sup(c.l + 1)} 本身。第 ${c.l} 層的神經元 i 經由 w_ki 連到第 ${c.l + 1} 層的神經元 k，所以要沿著第 i 行加總：請用轉置 (W${sup(c.l + 1)})ᵀ。`;
      case 'wrongActivation':
        return `你乘的是 a${sup(c.l)}，也就是這一層自己的輸出。權重 w_ij 乘的是輸入它的數字，也就是前一層的 a_j（第 1 層是 x）。`;
      case 'elementwiseSoftmax':
        return '你把 softmax 的微分當成逐元素的 yᵢ(1 − yᵢ) 來計算。softmax 的每個 yᵢ 都用到每個 z_k，所以 δ 需要完整的 Jacobian 矩陣；配合交叉熵，結果是 y − ŷ。';
      case 'flippedSign':
        return c.softmax
          ? '正負號相反：δ = y − ŷ，是輸出減去期望向量。'
          : `正負號相反：∇C(y) = (2/${c.n})(y − ŷ) 是輸出減去期望向量。`;
      case 'log10':
        return '你用了以 10 為底的對數。交叉熵用的是自然對數 ln（計算機上的「ln」鍵，不是「log」）。';
      case 'roundedEarly':
        return '你在取對數之前就把機率四捨五入到小數第三位，C 的第四位小數因此改變。請保留完整的機率（或至少五位小數）直到最後。';
      case 'sumNotMean':
        return `你把誤差的平方加總，但沒有除以 n = ${c.n}：均方誤差是它們的平均。`;
    }
  },
};

/** σ′ of an activation, in Chinese. */
function sigmaPrimeZh(activation: string): string {
  if (activation === 'tanh') return 'tanh 的 σ′(z) = 1 − a²。';
  if (activation === 'relu') return 'ReLU 的 σ′(z) 在 z > 0 時為 1，z < 0 時為 0（不再作用的神經元）。';
  return 'sigmoid 的 σ′(z) = a(1 − a) 可由前向傳播的 a 算出。';
}

/** The page's labels in `language`. */
export function pageStrings(language: LessonLanguage): PageStrings {
  return language === 'zh-tw' ? zhTw : en;
}

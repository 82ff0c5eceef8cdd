// The page's UI strings in English and Traditional Chinese (the course's language), chosen by <html lang>.
// The host localizes with vscode.l10n; a webview page cannot, so it carries its own two tables.

const en = {
  title: 'Training',
  noRun:
    'No run yet. Open a lab file (*.dnn.json) and press ▶ Run Lab in the editor title, or run "DNN Lab: Run Lab File" from the Command Palette.',
  stop: 'Stop',
  rerun: 'Rerun',
  clearHistory: 'Clear history',
  running: 'running',
  completed: 'completed',
  cancelled: 'stopped',
  failed: 'failed',
  epochOf: 'epoch {0} of {1}',
  loading: 'loading data and backend…',
  loss: 'Loss per epoch',
  accuracy: 'Accuracy per epoch',
  batchLoss: 'Loss per batch (smoothed)',
  deltaRms: 'Error signal: RMS of δ per layer (log scale)',
  gradNorm: 'Gradient: ‖∂C/∂W‖ per layer (log scale)',
  trainLoss: 'train loss',
  testLoss: 'test loss',
  trainAccuracy: 'train accuracy',
  testAccuracy: 'test accuracy',
  rawBatchLoss: 'batch loss',
  smoothedBatchLoss: 'smoothed',
  layer: 'layer {0}',
  epoch: 'epoch',
  overfitTitle: 'Overfitting from epoch {0}',
  overfitText:
    'After epoch {0} the test loss rose from {1} to {2} while the training loss kept falling from {3} to {4}: the network is memorizing the training images instead of learning digits. The model of epoch {0} is the one to keep (early stopping); more data, fewer weights or regularization help.',
  overfitLesson: 'Lesson 7-2: validating a neural network',
  predictions: 'Test predictions after epoch {0}',
  predictionsHint: 'Mistakes first, most confident first. Label → prediction (probability).',
  noPredictions: 'Predictions appear after the first epoch.',
  confusion: 'Confusion matrix ({0} test images)',
  confusionHint: 'Rows: true digit. Columns: predicted digit.',
  history: 'Runs',
  historyHint: 'Tick runs to overlay their test curves; click a name to show it.',
  noHistory: 'Runs are saved in .dnnlab/runs/ of the workspace.',
  compare: 'compare',
  testAcc: 'test acc.',
  errorTitle: 'The run could not finish',
  configErrorTitle: '{0} has errors; fix them and run again',
  backend: 'backend {0}',
  comparison: 'Shown and overlaid runs compared',
  compareRun: 'run',
  compareStatus: 'status',
  compareTrain: 'train acc.',
  compareTest: 'test acc.',
  compareTime: 's/epoch',
  recordErrorTitle: 'A saved run could not be shown',
  drawFailed: 'Part of this run could not be drawn ({0}); the rest is shown.',
  digitsSkipped: '{0} test digit(s) could not be drawn and are left out.',
} as const;

type Strings = Record<keyof typeof en, string>;

const zhTw: Strings = {
  title: '訓練',
  noRun:
    '尚未執行。開啟 Lab 設定檔（*.dnn.json），按編輯器標題列的 ▶ 執行，或從命令選擇區執行「DNN Lab: 執行 Lab 檔」。',
  stop: '停止',
  rerun: '重新執行',
  clearHistory: '清除紀錄',
  running: '執行中',
  completed: '已完成',
  cancelled: '已停止',
  failed: '失敗',
  epochOf: '第 {0} / {1} 個 epoch',
  loading: '正在載入資料與後端…',
  loss: '每個 epoch 的損失',
  accuracy: '每個 epoch 的準確率',
  batchLoss: '每個批次的損失（平滑）',
  deltaRms: '誤差訊號：各層 δ 的均方根（對數尺度）',
  gradNorm: '梯度：各層 ‖∂C/∂W‖（對數尺度）',
  trainLoss: '訓練損失',
  testLoss: '測試損失',
  trainAccuracy: '訓練準確率',
  testAccuracy: '測試準確率',
  rawBatchLoss: '批次損失',
  smoothedBatchLoss: '平滑後',
  layer: '第 {0} 層',
  epoch: 'epoch',
  overfitTitle: '自第 {0} 個 epoch 起過度擬合',
  overfitText:
    '第 {0} 個 epoch 之後，測試損失由 {1} 升到 {2}，訓練損失卻持續由 {3} 降到 {4}：網路在背訓練圖片，而不是學會辨認數字。應保留第 {0} 個 epoch 的模型（提早停止）；更多資料、較少權重或正則化都有幫助。',
  overfitLesson: '單元 7-2：驗證神經網路',
  predictions: '第 {0} 個 epoch 後的測試預測',
  predictionsHint: '錯誤在前，信心最高者優先。標籤 → 預測（機率）。',
  noPredictions: '第一個 epoch 結束後會顯示預測。',
  confusion: '混淆矩陣（{0} 張測試圖片）',
  confusionHint: '列：真實數字。欄：預測數字。',
  history: '執行紀錄',
  historyHint: '勾選以疊加比較測試曲線；點名稱以顯示該次執行。',
  noHistory: '每次執行都會存到工作區的 .dnnlab/runs/。',
  compare: '比較',
  testAcc: '測試準確率',
  errorTitle: '執行未能完成',
  configErrorTitle: '{0} 有錯誤；修正後再執行',
  backend: '後端 {0}',
  comparison: '顯示中與疊加的執行比較',
  compareRun: '執行',
  compareStatus: '狀態',
  compareTrain: '訓練準確率',
  compareTest: '測試準確率',
  compareTime: '秒/epoch',
  recordErrorTitle: '無法顯示一筆已儲存的執行',
  drawFailed: '這次執行有部分無法繪製（{0}）；其餘照常顯示。',
  digitsSkipped: '{0} 張測試數字無法繪製，已略過。',
};

const lang = typeof document === 'undefined' ? 'en' : document.documentElement.lang.toLowerCase();

/** The page's strings in its language. */
export const strings: Strings = lang.startsWith('zh') ? zhTw : en;

/** Fills {0}, {1}, ... in a string. */
export function format(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (match, i: string) =>
    args[Number(i)] !== undefined ? String(args[Number(i)]) : match,
  );
}

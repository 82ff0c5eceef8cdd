import * as vscode from 'vscode';
import type { LayerSignal } from '../engine/probe/layerSignal';
import { signalBand, signalRatio, type SignalBand, type SignalProblem } from '../engine/probe/signalHealth';
import { formatSignal, sparkline } from '../engine/probe/signalText';
import type { DocumentSignals, SignalSource } from './documentSignals';

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';

/** l as a superscript, as the lesson writes δ^l. */
export function sup(n: number): string {
  return String(n).replace(/\d/g, (d) => SUPERSCRIPTS[Number(d)]);
}

function sub(n: number): string {
  return String(n).replace(/\d/g, (d) => SUBSCRIPTS[Number(d)]);
}

/** The words for a band, as the hover and the table show them. */
export function bandLabel(band: SignalBand): string {
  switch (band) {
    case 'vanishing':
      return vscode.l10n.t('vanishing');
    case 'low':
      return vscode.l10n.t('weakening');
    case 'healthy':
      return vscode.l10n.t('healthy');
    case 'high':
      return vscode.l10n.t('growing');
    case 'exploding':
      return vscode.l10n.t('exploding');
    case 'nonFinite':
      return vscode.l10n.t('NaN/Inf');
  }
}

/** A ratio to the output layer's delta as a person reads it: "1/2,700", "×0.87", "×35". */
export function ratioText(ratio: number): string {
  if (!Number.isFinite(ratio)) return formatSignal(ratio);
  if (ratio >= 10) return `×${Math.round(ratio).toLocaleString('en')}`;
  // Within a factor of ten a multiplier reads better than a fraction such as 1/1.
  if (ratio >= 0.1) return `×${ratio.toPrecision(2)}`;
  return `1/${Math.round(1 / ratio).toLocaleString('en')}`;
}

/** The sparkline of the line above a layer shows this many of the latest readings; the hover and table show all. */
const LINE_HISTORY = 8;

/**
 * The line above a layer: RMS δ with its sparkline and its band in words, then dead units and where the numbers
 * come from; ‖∂C/∂W‖ and the rest are in its tooltip, the hover and the table. δ comes first and the line stays
 * short, because it has to read whole in an editor ~340 px wide (a lab's config beside its README and the
 * training panel), of which the minimap takes a part.
 */
export function annotationLine(
  signal: LayerSignal,
  history: { deltaRms: number[] } | undefined,
  source: SignalSource,
  stale: boolean,
  band: SignalBand,
): string {
  const recent = (history?.deltaRms ?? [signal.deltaRms]).slice(-LINE_HISTORY);
  const parts = [`δ${sup(signal.layer)} ${formatSignal(signal.deltaRms)} ${sparkline(recent)} ${bandLabel(band)}`];
  if (signal.deadShare > 0) parts.push(vscode.l10n.t('{0}% dead', Math.round(signal.deadShare * 100)));
  if (source.kind === 'training') parts.push(vscode.l10n.t('epoch {0}', source.epoch));
  if (stale) parts.push(vscode.l10n.t('stale'));
  return parts.join(' · ');
}

/** What the annotation line is, for its tooltip and for screen readers: the same numbers in a sentence. */
export function annotationTooltip(signal: LayerSignal, stale: boolean, band: SignalBand): string {
  return (
    vscode.l10n.t(
      'Layer {0}: RMS of the error signal δ{1} {2} ({3}), ‖∂C/∂W{1}‖ {4}. Select for the formula with these numbers.',
      signal.layer,
      sup(signal.layer),
      formatSignal(signal.deltaRms),
      bandLabel(band),
      formatSignal(signal.gradNorm),
    ) +
    (stale
      ? ` ${vscode.l10n.t('stale: this layer changed since these numbers were measured; new ones are on the way')}`
      : '')
  );
}

/**
 * The hover of a layer, a few lines high so it fits under any line of a laptop screen: the numbers in one line, the
 * recursion with this batch's numbers put in, and links to the lesson and to the table, which has the rest (history,
 * one unit's numbers, where the numbers come from).
 */
export function hoverMarkdown(
  signals: DocumentSignals,
  index: number,
  stale: boolean,
): vscode.MarkdownString | undefined {
  const snapshot = signals.latest;
  const signal = snapshot?.layers[index];
  if (snapshot === undefined || signal === undefined) return undefined;
  const output = snapshot.layers[snapshot.layers.length - 1];
  const l = signal.layer;
  const band = signalBand(signal, output);
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: ['dnnLab.openLesson', 'dnnLab.showLayerSignals'] };
  md.appendMarkdown(
    `**${vscode.l10n.t('Layer {0}', l)}** · ${signal.units} ${vscode.l10n.t('units')} · \`${signal.activation}\` · **${bandLabel(band)}**` +
      (stale
        ? ` · _${vscode.l10n.t('stale: this layer changed since these numbers were measured; new ones are on the way')}_`
        : '') +
      '\n\n',
  );
  const numbers = [
    `RMS δ${sup(l)} ${formatSignal(signal.deltaRms)}` +
      (signal !== output
        ? ` (${ratioText(signalRatio(signal, output))} ${vscode.l10n.t("of the output layer's")})`
        : ''),
    `‖∂C/∂W${sup(l)}‖ ${formatSignal(signal.gradNorm)}`,
    `‖W${sup(l)}‖ ${formatSignal(signal.weightNorm)}`,
  ];
  if (snapshot.source.kind === 'probe') numbers.push(vscode.l10n.t('{0}% dead', Math.round(signal.deadShare * 100)));
  md.appendMarkdown(`${numbers.join(' · ')}\n\n`);
  md.appendMarkdown(batchMarkdown(signal, snapshot.layers[index + 1]));
  md.appendMarkdown(
    `[${vscode.l10n.t('Lesson 7-1: backpropagation')}](command:dnnLab.openLesson?${encodeURIComponent(JSON.stringify(['7-1']))}) · ` +
      `[${vscode.l10n.t('Practise δ for this layer')}](command:dnnLab.openLesson?${encodeURIComponent(JSON.stringify(practiceArgs(signal, output)))}) · ` +
      `[${vscode.l10n.t('All layers, history and details')}](command:dnnLab.showLayerSignals)`,
  );
  return md;
}

/** dnnLab.openLesson's arguments for practising this layer's δ: 7-3 for a softmax output, else 7-1. */
function practiceArgs(signal: LayerSignal, output: LayerSignal): unknown[] {
  const lesson = output.activation === 'softmax' ? '7-3' : '7-1';
  const practised = ['sigmoid', 'tanh', 'relu'].includes(signal.activation) ? signal.activation : undefined;
  const isOutput = signal === output;
  return [lesson, { practice: { output: isOutput, ...(isOutput || !practised ? {} : { activation: practised }) } }];
}

/** The recursion of layer `signal` and the batch's numbers in it, two short lines. */
function batchMarkdown(signal: LayerSignal, above: LayerSignal | undefined): string {
  const l = signal.layer;
  if (above === undefined)
    return `\`δ${sup(l)} = σ'(z${sup(l)}) ⊙ ∇C(y)${signal.activation === 'softmax' ? ' = y − ŷ' : ''}\`\n\n`;
  const n = l + 1;
  let text = `\`δ${sup(l)} = σ'(z${sup(l)}) ⊙ (W${sup(n)})ᵀ δ${sup(n)}\``;
  if (signal.meanSigmaPrime !== undefined && signal.backpropRms !== undefined)
    text +=
      ` — ${vscode.l10n.t('over the batch')}: ${vscode.l10n.t('mean')} σ' ${formatSignal(signal.meanSigmaPrime)}, ` +
      `RMS (W${sup(n)})ᵀδ${sup(n)} ${formatSignal(signal.backpropRms)} → RMS δ${sup(l)} ${formatSignal(signal.deltaRms)}`;
  return `${text}\n\n`;
}

/** The lesson's recursion for this layer, with the numbers of the last batch put in. */
function formulaMarkdown(signal: LayerSignal, above: LayerSignal | undefined): string {
  const l = signal.layer;
  const t = signal.trace;
  if (above === undefined) {
    const head = `δ${sup(l)} = σ'(z${sup(l)}) ⊙ ∇C(y)` + (signal.activation === 'softmax' ? ` = y − ŷ` : '');
    if (t?.kind !== 'output') return `\`${head}\`\n\n`;
    const j = sub(t.unit + 1);
    return `\`${head}\`\n\n${vscode.l10n.t('Image 1, unit {0}', t.unit + 1)}: \`δ${sup(l)}${j} = y${j} − ŷ${j} = ${formatSignal(t.y)} − ${t.target} = ${formatSignal(t.delta)}\`\n\n`;
  }
  const n = l + 1;
  let text = `\`δ${sup(l)} = σ'(z${sup(l)}) ⊙ (W${sup(n)})ᵀ δ${sup(n)}\`\n\n`;
  if (t?.kind === 'hidden') {
    const j = sub(t.unit + 1);
    text +=
      `${vscode.l10n.t('Image 1, unit {0} (its largest δ)', t.unit + 1)}: ` +
      `\`δ${sup(l)}${j} = σ'(${formatSignal(t.z)}) × ((W${sup(n)})ᵀδ${sup(n)})${j} = ${formatSignal(t.sigmaPrime)} × ${formatSignal(t.backprop)} = ${formatSignal(t.delta)}\`\n\n`;
  }
  if (signal.meanSigmaPrime !== undefined && signal.backpropRms !== undefined) {
    text +=
      `${vscode.l10n.t('Over the batch')}: ${vscode.l10n.t('mean')} σ'(z${sup(l)}) = ${formatSignal(signal.meanSigmaPrime)}, ` +
      `RMS (W${sup(n)})ᵀδ${sup(n)} = ${formatSignal(signal.backpropRms)} → RMS δ${sup(l)} = ${formatSignal(signal.deltaRms)} ` +
      `(RMS δ${sup(n)} = ${formatSignal(above.deltaRms)})\n\n`;
  }
  return text;
}

/** Where the numbers come from, in one line. */
export function sourceText(source: SignalSource): string {
  return source.kind === 'probe'
    ? vscode.l10n.t(
        'At initialization (seed {0}): one forward and backward pass on {1} fixed MNIST training images, nothing trained yet; {2}, {3} ms.',
        source.seed,
        source.batchSize,
        source.kernels,
        Math.round(source.millis),
      )
    : vscode.l10n.t('From training: the last batch of epoch {0}.', source.epoch);
}

/** The Problems-panel message of a signal problem: what is wrong, why, and the fix. */
export function problemMessage(problem: SignalProblem, layers: readonly LayerSignal[]): string {
  const layer = layers[problem.layer - 1];
  const output = layers[layers.length - 1];
  const l = problem.layer;
  switch (problem.kind) {
    case 'vanishing':
      return vscode.l10n.t(
        'Layer {0}\'s error signal δ{1} vanishes: its RMS is {2}, {3} of the output layer\'s ({4}), so W{1} learns that much slower. Each layer on the way back multiplies δ by σ\'(z){5}. Use "activation": "relu" with "kernelInitializer": "heNormal".',
        l,
        sup(l),
        formatSignal(layer.deltaRms),
        ratioText(problem.ratio),
        formatSignal(output.deltaRms),
        layer.activation === 'sigmoid' ? vscode.l10n.t(', which is at most 0.25 for sigmoid') : '',
      );
    case 'exploding':
      return vscode.l10n.t(
        "Layer {0}'s error signal δ{1} explodes: its RMS is {2}, {3} the output layer's ({4}), so the first steps throw W{1} far off. Use an initializer that suits the activation (heNormal for relu, glorotUniform for sigmoid and tanh), or lower optimizer.learningRate.",
        l,
        sup(l),
        formatSignal(layer.deltaRms),
        ratioText(problem.ratio),
        formatSignal(output.deltaRms),
      );
    case 'nonFinite':
      return vscode.l10n.t(
        "Layer {0}'s error signal δ{1} or gradient ∂C/∂W{1} is NaN or Infinity: a number overflowed on the way, and training cannot recover from it. Lower optimizer.learningRate, or use smaller initial weights (heNormal for relu, glorotUniform otherwise).",
        l,
        sup(l),
      );
    case 'deadUnits':
      return vscode.l10n.t(
        '{0}% of layer {1}\'s units are dead: their δ is 0 on every image of the batch (relu gives 0 and slope 0 for z ≤ 0), so their weights never change. Use "kernelInitializer": "heNormal", or "activation": "leakyRelu", which keeps a small slope below 0.',
        Math.round(problem.share * 100),
        l,
      );
  }
}

/** All layers as a Markdown table, for the "Show Layer Error Signals" command. */
export function tableMarkdown(title: string, signals: DocumentSignals | undefined): string {
  const snapshot = signals?.latest;
  if (signals === undefined || snapshot === undefined) {
    return `# ${title}\n\n${vscode.l10n.t('No numbers yet: open a valid *.dnn.json config and wait a second for the probe.')}\n`;
  }
  const output = snapshot.layers[snapshot.layers.length - 1];
  const header = [
    vscode.l10n.t('Layer'),
    vscode.l10n.t('Units'),
    vscode.l10n.t('Activation'),
    'RMS δˡ',
    vscode.l10n.t('vs output'),
    '‖∂C/∂Wˡ‖',
    '‖Wˡ‖',
    vscode.l10n.t('Dead units'),
    vscode.l10n.t('State'),
    vscode.l10n.t('History of RMS δˡ'),
  ];
  const rows = snapshot.layers.map((s, i) => [
    String(s.layer),
    String(s.units),
    s.activation,
    formatSignal(s.deltaRms),
    s === output ? '1' : ratioText(signalRatio(s, output)),
    formatSignal(s.gradNorm),
    formatSignal(s.weightNorm),
    snapshot.source.kind === 'probe' ? `${Math.round(s.deadShare * 100)}%` : '–',
    bandLabel(signalBand(s, output)),
    sparkline(signals.history[i]?.deltaRms ?? []),
  ]);
  return [
    `# ${title}`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i >= 3 && i <= 7 ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    `δˡ = σ'(zˡ) ⊙ (Wˡ⁺¹)ᵀ δˡ⁺¹ · ${sourceText(snapshot.source)}`,
    '',
    `## ${vscode.l10n.t('Each layer in detail')}`,
    '',
    ...snapshot.layers.flatMap((s, i) => {
      const history = signals.history[i]?.deltaRms ?? [];
      return [
        `### ${vscode.l10n.t('Layer {0}', s.layer)}`,
        '',
        formulaMarkdown(s, snapshot.layers[i + 1]),
        history.length > 1
          ? `${vscode.l10n.t('History of RMS δ{0}, oldest first', sup(s.layer))}: ${history.map(formatSignal).join(', ')}\n`
          : '',
      ];
    }),
  ].join('\n');
}

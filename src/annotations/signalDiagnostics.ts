import * as vscode from 'vscode';
import type { SourceRange } from '../engine/config/configError';
import type { ConfigRanges } from '../engine/config/configRanges';
import { parseLabConfig } from '../engine/config/parseLabConfig';
import { fieldEdit, layerFixEdits, type TextEdit } from '../engine/probe/layerFixes';
import type { LayerSignal } from '../engine/probe/layerSignal';
import type { SignalProblem } from '../engine/probe/signalHealth';
import { problemMessage } from './signalPresentation';

/** The `source` of these diagnostics in the Problems panel, which also tells the quick fixes they are ours. */
export const SIGNAL_SOURCE = 'DNN Lab δ';

/** The Problems-panel entries for signal problems, each on its layer's activation (or the layer). */
export function signalDiagnostics(
  document: vscode.TextDocument,
  ranges: ConfigRanges,
  problems: readonly SignalProblem[],
  layers: readonly LayerSignal[],
): vscode.Diagnostic[] {
  return problems.flatMap((problem) => {
    const i = problem.layer - 1;
    const range = ranges.fields.get(`layers[${i}].activation`) ?? ranges.layers[i];
    if (range === undefined) return [];
    const severity = problem.kind === 'nonFinite' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
    const diagnostic = new vscode.Diagnostic(toRange(document, range), problemMessage(problem, layers), severity);
    diagnostic.source = SIGNAL_SOURCE;
    diagnostic.code = problem.kind;
    return [diagnostic];
  });
}

/** Quick fixes for the signal diagnostics: the obvious edit of the layer, of every hidden layer, or of the learning rate. */
export class SignalQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === SIGNAL_SOURCE);
    if (ours.length === 0) return [];
    const text = document.getText();
    const parse = parseLabConfig(text);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const offset = document.offsetAt(diagnostic.range.start);
      const index = parse.ranges.layers.findIndex((r) => r.offset <= offset && offset <= r.offset + r.length);
      if (index < 0) continue;
      const activation = parse.config?.layers[index]?.activation;
      const add = (title: string, edits: TextEdit[] | undefined, preferred = false) => {
        if (edits === undefined || edits.length === 0) return;
        const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        for (const e of edits) action.edit.replace(document.uri, toRange(document, e), e.newText);
        action.diagnostics = [diagnostic];
        action.isPreferred = preferred;
        actions.push(action);
      };
      const l = index + 1;
      const heRelu = { activation: 'relu', kernelInitializer: 'heNormal' };
      const suited = activation === 'relu' || activation === 'leakyRelu' ? 'heNormal' : 'glorotUniform';
      switch (diagnostic.code) {
        case 'vanishing':
          add(
            vscode.l10n.t('Use relu with heNormal on layer {0}', l),
            layerFixEdits(text, parse.ranges, index, heRelu),
            true,
          );
          add(
            vscode.l10n.t('Use relu with heNormal on every hidden layer'),
            everyHiddenLayer(text, parse.ranges, heRelu),
          );
          break;
        case 'exploding':
          add(
            vscode.l10n.t('Use {0} on layer {1}', suited, l),
            layerFixEdits(text, parse.ranges, index, { kernelInitializer: suited }),
            true,
          );
          add(...lowerLearningRate(parse.ranges, parse.config?.optimizer.learningRate));
          break;
        case 'nonFinite':
          add(...lowerLearningRate(parse.ranges, parse.config?.optimizer.learningRate), true);
          add(
            vscode.l10n.t('Use {0} on layer {1}', suited, l),
            layerFixEdits(text, parse.ranges, index, { kernelInitializer: suited }),
          );
          break;
        case 'deadUnits':
          add(
            vscode.l10n.t('Use heNormal on layer {0}', l),
            layerFixEdits(text, parse.ranges, index, { kernelInitializer: 'heNormal' }),
            true,
          );
          add(
            vscode.l10n.t('Use leakyRelu on layer {0}', l),
            layerFixEdits(text, parse.ranges, index, { activation: 'leakyRelu' }),
          );
          break;
      }
    }
    return actions;
  }
}

/** The same field edits on every layer but the output layer. */
function everyHiddenLayer(text: string, ranges: ConfigRanges, values: Record<string, unknown>): TextEdit[] {
  return ranges.layers.slice(0, -1).flatMap((_, i) => layerFixEdits(text, ranges, i, values) ?? []);
}

/** "Lower the learning rate to lr/10", when the config writes optimizer.learningRate. */
function lowerLearningRate(ranges: ConfigRanges, learningRate: number | undefined): [string, TextEdit[] | undefined] {
  if (learningRate === undefined) return ['', undefined];
  const lower = Number((learningRate / 10).toPrecision(3));
  const edit = fieldEdit(ranges, 'optimizer.learningRate', lower);
  return [vscode.l10n.t('Lower optimizer.learningRate to {0}', lower), edit && [edit]];
}

function toRange(document: vscode.TextDocument, range: SourceRange): vscode.Range {
  return new vscode.Range(document.positionAt(range.offset), document.positionAt(range.offset + range.length));
}

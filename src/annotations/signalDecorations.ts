import * as vscode from 'vscode';
import type { SignalBand } from '../engine/probe/signalHealth';

/**
 * One annotation: the line of text above a layer (a CodeLens), the layer's lines, which carry its colour band, and
 * whether its numbers are stale.
 */
export interface LayerAnnotation {
  /** 1-based, as δˡ names it. */
  layer: number;
  /** The layer's first and last line. */
  lines: { first: number; last: number };
  text: string;
  tooltip: string;
  band: SignalBand;
  stale: boolean;
}

// DNN Lab's contributed colours (package.json), defined with 4.5:1 contrast in every kind of theme (charts.orange
// is a faint highlight in the Modern themes and missing in High Contrast); cold for a signal fading out, hot for
// one blowing up. The band is also named in the annotation's text.
const BAND_COLORS: Record<SignalBand, string> = {
  vanishing: 'dnnLab.signalVanishing',
  low: 'dnnLab.signalLow',
  healthy: 'dnnLab.signalHealthy',
  high: 'dnnLab.signalHigh',
  exploding: 'dnnLab.signalExploding',
  nonFinite: 'errorForeground',
};

/**
 * The colour of each layer's band: a bar in the band's colour along the layer's lines (visible at any editor width,
 * where text after the line would be cut off) and a mark in the overview ruler; stale bands are dashed. The numbers
 * themselves are on the CodeLens line above the layer, in words too. One decoration type per band and freshness,
 * created once and disposed with the extension (the decorator sample's types, without leaking a new one per update).
 */
export class SignalDecorations implements vscode.Disposable {
  private readonly types = new Map<string, vscode.TextEditorDecorationType>();

  constructor() {
    for (const band of Object.keys(BAND_COLORS) as SignalBand[]) {
      for (const stale of [false, true]) {
        this.types.set(
          key(band, stale),
          vscode.window.createTextEditorDecorationType({
            isWholeLine: true,
            borderColor: new vscode.ThemeColor(BAND_COLORS[band]),
            borderWidth: '0 0 0 3px',
            // Stale numbers are still a good guess until the new ones come: their band stays, dashed.
            borderStyle: stale ? 'none none none dashed' : 'none none none solid',
            overviewRulerColor: new vscode.ThemeColor(BAND_COLORS[band]),
            overviewRulerLane: vscode.OverviewRulerLane.Left,
            rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
          }),
        );
      }
    }
  }

  /** Shows exactly `annotations` in `editor`, replacing what it showed before. */
  show(editor: vscode.TextEditor, annotations: readonly LayerAnnotation[]): void {
    const byType = new Map<string, vscode.DecorationOptions[]>([...this.types.keys()].map((k) => [k, []]));
    for (const a of annotations) {
      byType.get(key(a.band, a.stale))!.push({ range: new vscode.Range(a.lines.first, 0, a.lines.last, 0) });
    }
    for (const [k, options] of byType) editor.setDecorations(this.types.get(k)!, options);
  }

  /** Removes every annotation from `editor`. */
  clear(editor: vscode.TextEditor): void {
    for (const type of this.types.values()) editor.setDecorations(type, []);
  }

  dispose(): void {
    for (const type of this.types.values()) type.dispose();
    this.types.clear();
  }
}

function key(band: SignalBand, stale: boolean): string {
  return `${band}:${stale}`;
}

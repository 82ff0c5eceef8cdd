import * as vscode from 'vscode';
import type { SignalBand } from '../engine/probe/signalHealth';

/** One annotation: the text after a layer's last line, its colour band, and whether its numbers are stale. */
export interface LayerAnnotation {
  line: number;
  text: string;
  band: SignalBand;
  stale: boolean;
  /** Shown when the pointer rests on the annotation. */
  hover?: vscode.MarkdownString;
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
 * The editor decorations of the layer annotations: one type per colour band and freshness, created once and
 * disposed with the extension (the decorator sample's types, without leaking a new one per update).
 */
export class SignalDecorations implements vscode.Disposable {
  private readonly types = new Map<string, vscode.TextEditorDecorationType>();

  constructor() {
    for (const band of Object.keys(BAND_COLORS) as SignalBand[]) {
      for (const stale of [false, true]) {
        this.types.set(
          key(band, stale),
          vscode.window.createTextEditorDecorationType({
            after: {
              color: new vscode.ThemeColor(BAND_COLORS[band]),
              margin: '0 0 0 2.5em',
              fontStyle: stale ? 'italic' : 'normal',
              // Stale numbers fade instead of disappearing: they are still a good guess until the new ones come.
              textDecoration: stale ? 'none; opacity: 0.55' : 'none',
            },
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
      const end = editor.document.lineAt(a.line).range.end;
      byType.get(key(a.band, a.stale))!.push({
        range: new vscode.Range(end, end),
        hoverMessage: a.hover,
        renderOptions: { after: { contentText: a.text } },
      });
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

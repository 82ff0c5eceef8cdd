import * as vscode from 'vscode';
import { probeDigit, type DigitProbe } from '../engine/digit/digitProbe';
import { MNIST_SIDE } from '../engine/digit/drawnDigit';
import type { RunStore as RunHistory } from '../host/runStore';
import type { RunRecord } from '../engine/record/runRecord';
import type { LayerWeights } from '../engine/train/metrics';
import type { DigitRequest } from '../protocol/trainingPageProtocol';

const INPUTS = MNIST_SIDE * MNIST_SIDE;

/**
 * The panel's "your own digit": the shown run's network, read once from its weights file beside the record
 * (runWeights.ts), put to each image the page sends. Holds the last two runs' weights; a run in progress has none yet.
 */
export class PanelDigit {
  private readonly networks = new Map<string, { record: RunRecord; weights: LayerWeights[] }>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  async probe(request: DigitRequest, history: RunHistory, current?: RunRecord): Promise<DigitProbe> {
    if (current?.id === request.runId)
      throw new Error(vscode.l10n.t('The run is still training: draw your digit when it has ended.'));
    const network = await this.network(request.runId, history);
    return probeDigit(network.record.config, network.weights, request.pixels, request.target);
  }

  private async network(id: string, history: RunHistory): Promise<{ record: RunRecord; weights: LayerWeights[] }> {
    const known = this.networks.get(id);
    if (known) return known;
    const record = await history.load(id);
    if (!record) throw new Error(vscode.l10n.t('Run {0} cannot be shown: {1}', id, history.whyNotLoaded(id)));
    const read = await history.loadWeights(id, record.config, INPUTS);
    if ('problem' in read) {
      this.log.info(`Your own digit: run ${id} has no usable weights: ${read.problem}`);
      throw new Error(
        vscode.l10n.t(
          'This run kept no network to draw with ({0}). Runs keep their final weights beside their record; rerun the lab to try your own digit.',
          read.problem,
        ),
      );
    }
    this.networks.set(id, { record, weights: read.weights });
    for (const old of [...this.networks.keys()].slice(0, -2)) this.networks.delete(old);
    return { record, weights: read.weights };
  }
}

/** The page's digit request, checked: a run id, 784 pixels of 0..255 and a target digit. */
export function digitRequestOf(payload: unknown): DigitRequest {
  const p = payload as Partial<DigitRequest> | undefined;
  const pixels = p?.pixels;
  if (
    typeof p?.runId !== 'string' ||
    !Array.isArray(pixels) ||
    pixels.length !== INPUTS ||
    !pixels.every((v: unknown) => typeof v === 'number' && v >= 0 && v <= 255) ||
    typeof p.target !== 'number'
  )
    throw new Error(
      `expected { runId: string, pixels: ${INPUTS} numbers 0..255, target: number }, got ${JSON.stringify(payload).slice(0, 200)}`,
    );
  return { runId: p.runId, pixels, target: p.target };
}

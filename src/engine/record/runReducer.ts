// The run record built from the run's events: one reducer that the host's session (which saves it), the training
// panel (which forwards batches) and the page (which draws it) all feed, so they cannot disagree on what a batch
// or an epoch adds. No Node or VS Code imports, so the page shares it.
import type { LabConfig } from '../config/labConfig';
import type { RunEvent } from '../run';
import type { BatchMetrics } from '../train/metrics';
import { RUN_RECORD_FORMAT, type LayerSnapshot, type RunEnvironment, type RunRecord } from './runRecord';

/** What a record starts from: the run's identity, what it trains and where. */
export interface RunStart {
  id: string;
  name: string;
  documentPath: string;
  documentUri: string;
  startedAt: number;
  config: LabConfig;
  environment: RunEnvironment;
}

/** How a run ended, as the record keeps it. */
export type RunEnding =
  | { status: 'completed' | 'cancelled'; backend?: string }
  | { status: 'failed'; error: { kind: string; message: string } };

/** A new record: running, nothing measured yet. */
export function newRunRecord(start: RunStart): RunRecord {
  return { format: RUN_RECORD_FORMAT, ...start, status: 'running', epochs: [], batchLosses: [], layerSnapshots: [] };
}

/** The training step of a batch, counted from 1 across epochs: where its layer snapshot sits on the curves. */
export function stepOf(batch: Pick<BatchMetrics, 'epoch' | 'batch' | 'batches'>): number {
  return (batch.epoch - 1) * batch.batches + batch.batch;
}

/**
 * Adds one event to `record` and returns it. The record is updated in place: a run has tens of thousands of
 * batches, and copying its arrays on each one would make a run's cost quadratic. Events that say nothing about
 * the record (download progress) leave it as it was.
 */
export function applyRunEvent(record: RunRecord, event: RunEvent): RunRecord {
  switch (event.type) {
    case 'run/backendChosen':
      record.environment.backend = event.name;
      return record;
    case 'data/progress':
      return record;
    case 'data/loaded':
      record.environment.dataSource = event.source;
      record.environment.dataDir = event.dir;
      return record;
    case 'run/batchEnded': {
      const m = event.metrics;
      record.batchLosses.push({ epoch: m.epoch, batch: m.batch, batches: m.batches, loss: m.loss });
      const snapshot = layerSnapshotOf(m);
      if (snapshot) record.layerSnapshots.push(snapshot);
      return record;
    }
    case 'run/epochEnded':
      record.epochs.push(event.metrics);
      return record;
    case 'run/predicted':
      record.predictions = event.sample;
      return record;
    case 'run/finished':
      return finishRecord(record, { status: event.result.status, backend: event.result.backend });
    case 'run/failed':
      return finishRecord(record, { status: 'failed', error: { kind: event.kind, message: event.message } });
  }
}

/** The layer statistics a batch carries, placed at its step; undefined for the batches without them. */
export function layerSnapshotOf(m: BatchMetrics): LayerSnapshot | undefined {
  return m.layers ? { step: stepOf(m), epoch: m.epoch, layers: m.layers } : undefined;
}

/** Marks how the run ended (and, when given, when). */
export function finishRecord(record: RunRecord, ending: RunEnding, finishedAt?: number): RunRecord {
  record.status = ending.status;
  if (ending.status === 'failed') record.error = ending.error;
  else if (ending.backend) record.environment.backend = ending.backend;
  if (finishedAt !== undefined) record.finishedAt = finishedAt;
  return record;
}

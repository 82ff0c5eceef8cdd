import { describe, expect, it } from 'vitest';
import type { PanelError } from '../../../src/protocol/trainingPageProtocol';
import type { RunRecord } from '../../../src/engine/record/runRecord';
import { errorToShow, overlaysOf, readViewState, withOverlay } from '../../../webview/training/viewState';

const record = (id: string, extra: Partial<RunRecord> = {}) =>
  ({
    id,
    documentPath: 'labs/a.dnn.json',
    documentUri: 'file:///w/labs/a.dnn.json',
    status: 'completed',
    ...extra,
  }) as RunRecord;

describe('readViewState', () => {
  it('keeps a saved view and drops what is malformed', () => {
    expect(readViewState({ shownRunId: 'r1', overlays: { 'a.dnn.json': ['r2', 3, 'r3'] }, scrollY: 420 })).toEqual({
      shownRunId: 'r1',
      overlays: { 'a.dnn.json': ['r2', 'r3'] },
      scrollY: 420,
    });
    expect(readViewState(undefined)).toEqual({ overlays: {}, scrollY: 0 });
    // The page before overlays were per config saved one list: it is not carried onto every config.
    expect(readViewState({ overlays: ['r2'], scrollY: -5, shownRunId: 7 })).toEqual({ overlays: {}, scrollY: 0 });
    expect(readViewState({ overlays: { x: 'r2' }, scrollY: Number.NaN })).toEqual({ overlays: {}, scrollY: 0 });
  });
});

describe('overlays per config', () => {
  it("ticks on one config's runs stay with that config", () => {
    let view = readViewState(undefined);
    view = withOverlay(view, 'a.dnn.json', 'r1', true);
    view = withOverlay(view, 'a.dnn.json', 'r2', true);
    view = withOverlay(view, 'b.dnn.json', 'r9', true);
    expect(overlaysOf(view, 'a.dnn.json')).toEqual(['r1', 'r2']);
    expect(overlaysOf(view, 'b.dnn.json')).toEqual(['r9']);
    expect(overlaysOf(view, 'c.dnn.json')).toEqual([]);
    expect(overlaysOf(view, undefined)).toEqual([]);
    view = withOverlay(view, 'a.dnn.json', 'r1', false);
    expect(overlaysOf(view, 'a.dnn.json')).toEqual(['r2']);
    view = withOverlay(view, 'b.dnn.json', 'r9', false);
    expect(view.overlays).toEqual({ 'a.dnn.json': ['r2'] });
    // Survives the round trip through webview state (JSON).
    expect(readViewState(JSON.parse(JSON.stringify(view)))).toEqual(view);
  });

  it('ticking the same run twice lists it once', () => {
    const view = withOverlay(withOverlay(readViewState(undefined), 'a', 'r1', true), 'a', 'r1', true);
    expect(overlaysOf(view, 'a')).toEqual(['r1']);
  });
});

describe('errorToShow', () => {
  const runFailure: PanelError = { file: 'a.dnn.json', kind: 'data', message: 'no MNIST', runId: 'r1' };
  const configError: PanelError = {
    file: 'bad.dnn.json',
    kind: 'config',
    message: 'units',
    documentUri: 'file:///w/bad.dnn.json',
  };

  it("shows a run's failure over that run only", () => {
    expect(errorToShow(runFailure, record('r1', { status: 'failed' }))).toBe(runFailure);
    expect(errorToShow(runFailure, record('r2'))).toBeUndefined();
    expect(errorToShow(runFailure, undefined)).toBeUndefined();
  });

  it('shows a config error, which belongs to no run, whatever run is shown', () => {
    expect(errorToShow(configError, record('r2'))).toBe(configError);
    expect(errorToShow(configError, undefined)).toBe(configError);
  });

  it('a failed run shown from the history brings its own error back, naming its file', () => {
    const failed = record('r3', { status: 'failed', error: { kind: 'diverged', message: 'loss is NaN at epoch 2' } });
    expect(errorToShow(undefined, failed)).toEqual({
      file: 'a.dnn.json',
      documentUri: 'file:///w/labs/a.dnn.json',
      runId: 'r3',
      kind: 'diverged',
      message: 'loss is NaN at epoch 2',
    });
    expect(errorToShow(runFailure, failed)?.runId).toBe('r3');
    expect(errorToShow(undefined, record('r4'))).toBeUndefined();
  });
});

// What the training page keeps of its view across hiding, reloads and reopening (VS Code's webview state, and
// the host's copy for a panel closed and opened again): the run shown, the overlays of each config, the scroll.
import type { PanelError, PanelViewState } from '../../src/protocol/trainingPageProtocol';
import type { RunRecord } from '../../src/engine/record/runRecord';

/** The page's view state; overlays are per config so ticks on one config's runs stay with it. */
export type ViewState = PanelViewState;

const MAX_OVERLAYS = 20;

/** A view state from storage, with anything malformed dropped (an older page saved `overlays` as one list). */
export function readViewState(value: unknown): ViewState {
  const v = (value ?? {}) as Partial<Record<keyof ViewState, unknown>>;
  const overlays: Record<string, string[]> = {};
  if (v.overlays && typeof v.overlays === 'object' && !Array.isArray(v.overlays)) {
    for (const [config, ids] of Object.entries(v.overlays as Record<string, unknown>)) {
      if (Array.isArray(ids)) {
        const kept = ids.filter((id): id is string => typeof id === 'string').slice(0, MAX_OVERLAYS);
        if (kept.length) overlays[config] = kept;
      }
    }
  }
  return {
    ...(typeof v.shownRunId === 'string' && { shownRunId: v.shownRunId }),
    overlays,
    scrollY: typeof v.scrollY === 'number' && Number.isFinite(v.scrollY) && v.scrollY > 0 ? v.scrollY : 0,
    ...(typeof v.errorSeen === 'string' && { errorSeen: v.errorSeen.slice(0, 2000) }),
  };
}

/** The runs overlaid on `config`'s runs. */
export function overlaysOf(state: ViewState, config: string | undefined): string[] {
  return config === undefined ? [] : (state.overlays[config] ?? []);
}

/** `state` with run `id` ticked (or unticked) among `config`'s overlays. */
export function withOverlay(state: ViewState, config: string, id: string, on: boolean): ViewState {
  const ids = overlaysOf(state, config).filter((other) => other !== id);
  if (on) ids.push(id);
  const overlays = { ...state.overlays, [config]: ids.slice(-MAX_OVERLAYS) };
  if (!overlays[config].length) delete overlays[config];
  return { ...state, overlays };
}

/** Tells one error from another, for ViewState.errorSeen. */
export function errorKey(error: PanelError): string {
  return `${error.kind}|${error.runId ?? ''}|${error.file}|${error.message}`.slice(0, 2000);
}

/**
 * The error the page shows above `shown`: a run's failure only over that run (a failed run from the history
 * brings its own back); a config error, which belongs to no run, until it is fixed or another run is shown.
 */
export function errorToShow(error: PanelError | undefined, shown: RunRecord | undefined): PanelError | undefined {
  if (error && (error.runId === undefined || error.runId === shown?.id)) return error;
  if (shown?.status === 'failed' && shown.error) {
    return {
      file: shown.documentPath.split(/[\\/]/).pop() ?? shown.documentPath,
      documentUri: shown.documentUri,
      runId: shown.id,
      kind: shown.error.kind,
      message: shown.error.message,
    };
  }
  return undefined;
}

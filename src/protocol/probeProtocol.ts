/**
 * The probe worker's protocol (host <-> worker_threads worker), carried by src/protocol/endpoint.ts: the host
 * asks "what do this config's error signals look like at initialization?" and the reply is the answer.
 */
import type { ProbeResult } from '../engine/probe/layerSignal';
import type { ProbeRequest } from '../engine/probe/probeSession';
import { arrayOf, isBoolean, isNumber, isRecord, isString, object, oneOf, type Guard } from './guards';

/** Messages the host sends the probe worker. */
export type ToProbeWorker = {
  /**
   * Request, sent whenever the config changed and the worker is idle: resolves with the probe's result; a failure
   * replies with `err` and `code` "data" (MNIST could not be read) or "internal".
   */
  'probe/run': { payload: { request: ProbeRequest }; result: ProbeResult };
};

/** Messages the probe worker sends the host. */
export type FromProbeWorker = {
  /** Notification, sent when something is worth a line in the output channel (kernels chosen, fallbacks). */
  'probe/log': { payload: { message: string } };
};

/** Why a probe failed: MNIST could not be read, or something unexpected; the `code` of the reply's error. */
export const PROBE_ERROR_KINDS = ['data', 'internal'] as const;
export type ProbeErrorKind = (typeof PROBE_ERROR_KINDS)[number];

/** The worker's check of a probe request: the config was validated on the host, so its shape is enough. */
export const isProbeRun: Guard<ToProbeWorker['probe/run']['payload']> = (value): value is { request: ProbeRequest } =>
  isRecord(value) &&
  isRecord(value.request) &&
  isRecord(value.request.config) &&
  isString(value.request.cacheDir) &&
  isString(value.request.backend);

/** The host's check of a probe's result. */
export const isProbeResult: Guard<ProbeResult> = object({
  layers: arrayOf(
    object({
      layer: isNumber,
      units: isNumber,
      activation: isString,
      deltaRms: isNumber,
      gradNorm: isNumber,
      weightNorm: isNumber,
      deadShare: isNumber,
      finite: isBoolean,
    }),
  ),
  loss: isNumber,
  batchSize: isNumber,
  kernels: isString,
  millis: isNumber,
}) as Guard<ProbeResult>;

/** The host's check of a log line. */
export const isProbeLog = object({ message: isString });

/** Whether a reply's error code is a probe error kind. */
export const isProbeErrorKind = oneOf(PROBE_ERROR_KINDS);

/** Training stopped because a number became NaN or Infinity; says where, and what to try. */
export class TrainingDivergedError extends Error {
  override readonly name = 'TrainingDivergedError';

  constructor(
    readonly epoch: number,
    readonly batch: number,
    /** The lesson's l of the first layer found non-finite. */
    readonly layer: number,
    detail: string,
  ) {
    super(`Training diverged at epoch ${epoch}, batch ${batch}: ${detail}`);
  }
}

/** A config the data it met cannot train, found once the data was loaded (a folder's size is unknown before): names the field and the fix. */
export class TrainingConfigError extends Error {
  override readonly name = 'TrainingConfigError';

  constructor(
    /** The config field to change, e.g. "batchSize" or "layers[0].units". */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

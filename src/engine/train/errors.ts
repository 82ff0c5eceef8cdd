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

/** What went wrong while reading or fetching data, so callers can branch without parsing messages. */
export type DataErrorCode =
  | 'bad-gzip'
  | 'bad-magic'
  | 'bad-dimension'
  | 'length-mismatch'
  | 'count-mismatch'
  | 'shape-mismatch'
  | 'bad-label'
  | 'bad-index'
  | 'folder-not-found'
  | 'missing-files'
  | 'download-failed'
  | 'cache-write-failed'
  | 'aborted';

/** An error of the data layer; the message names the file, what is wrong and how to fix it. */
export class DataError extends Error {
  override readonly name = 'DataError';

  constructor(
    readonly code: DataErrorCode,
    message: string,
    /** The file or folder concerned, when there is one. */
    readonly file?: string,
  ) {
    super(message);
  }
}

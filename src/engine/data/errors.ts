import { errorText } from '../errorText';

/** What went wrong while reading or fetching data, so callers can branch without parsing messages. */
export type DataErrorCode =
  | 'bad-gzip'
  | 'bad-magic'
  | 'bad-dimension'
  | 'too-large'
  | 'length-mismatch'
  | 'count-mismatch'
  | 'shape-mismatch'
  | 'bad-label'
  | 'bad-index'
  | 'folder-not-found'
  | 'not-a-folder'
  | 'not-a-file'
  | 'unreadable'
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
    /** The config field the data came from ("dataset.path"), when it came from a config. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The system error codes a path can fail with, in words a student can act on. */
const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'does not exist',
  ENOTDIR: 'does not exist: a part of the path before the last name is a file, not a folder',
  ELOOP: 'is a symbolic link loop: the link points, directly or through other links, back to itself',
  EISDIR: 'is a folder, not a file',
  EACCES: 'cannot be read: permission denied',
  EPERM: 'cannot be read: the operation is not permitted',
  ENAMETOOLONG: 'has a name too long for the file system',
  EMFILE: 'cannot be opened: too many files are open',
  ENFILE: 'cannot be opened: too many files are open',
  EIO: 'cannot be read: the disk reported an input/output error',
};

/** Says what a failed file system call means for the path, e.g. "is a symbolic link loop: ...", never a bare errno. */
export function describeFileError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const known = code === undefined ? undefined : FILE_ERRORS[code];
  if (known !== undefined) return known;
  return `cannot be read (${errorText(err)})`;
}

/** The system error code of err, when it has one. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

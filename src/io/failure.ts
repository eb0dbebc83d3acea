// What a failed file-system call means to the user, by its errno code: the cause in words and
// the one thing to do about it. A full disk is not a permissions problem, and saying so wrongly
// sends the user to the wrong fix.

interface FailureAdvice {
  cause: string;
  fix: string;
}

const WRITE_FAILURES: Readonly<Record<string, FailureAdvice>> = {
  ENOSPC: { cause: 'no space left on the device', fix: 'free some space and rerun' },
  EDQUOT: { cause: 'the disk quota is exceeded', fix: 'free some space within your quota and rerun' },
  EROFS: { cause: 'the file system is read-only', fix: 'choose a writable directory (--out) or remount it read-write' },
  EACCES: { cause: 'permission denied', fix: 'fix the permissions or choose another --out' },
  EPERM: { cause: 'operation not permitted', fix: 'fix the permissions (or an immutable flag) or choose another --out' },
  EMFILE: { cause: 'too many open files', fix: 'raise the open-file limit (ulimit -n) and rerun' },
  EIO: { cause: 'an input/output error', fix: 'check the disk and rerun' },
  ENOTEMPTY: { cause: 'a directory that is not empty is in the way', fix: 'move it away and rerun' },
  EEXIST: { cause: 'something is already in the way', fix: 'move it away and rerun' },
  ENOTDIR: { cause: 'a file is where a directory must be', fix: 'move it away and rerun' },
};

const OTHER_FAILURE: FailureAdvice = { cause: 'the file system refused it', fix: 'fix the cause and rerun' };

/** "no space left on the device (ENOSPC); free some space and rerun": cause, code and fix. */
export function describeWriteFailure(error: unknown): string {
  const code = errorCode(error);
  const advice = WRITE_FAILURES[code] ?? OTHER_FAILURE;
  return `${advice.cause} (${code}); ${advice.fix}`;
}

/** The errno code of a Node file-system error ("EIO" when it has none). */
function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]{1,15}$/.test(code) ? code : 'EIO';
}

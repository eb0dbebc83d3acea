/** A bad invocation or bad input value: exit code 2. The message names the input and the fix. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** The project or the file system stops us (unwritable output, a foreign file): exit 1. */
export class RuntimeError extends Error {
  readonly exitCode: 1 | 3 = 1;
}

/**
 * Nothing to do here (no Go module; regenerate: no .go-docker.yaml): exit 3, so a script run over
 * many repositories can tell "skip this one" from "this one needs attention" (exit 1). A kind of
 * RuntimeError, so every place that catches a project's failure catches this one too.
 */
export class NotApplicableError extends RuntimeError {
  override readonly exitCode = 3;
}

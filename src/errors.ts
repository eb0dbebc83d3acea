/** A bad invocation or bad input value: exit code 2. The message names the input and the fix. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** The project or the file system stops us (no go.mod, unwritable output, a foreign file): exit 1. */
export class RuntimeError extends Error {
  readonly exitCode = 1;
}

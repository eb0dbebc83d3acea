// create-go-docker [dir]: detect, ask (on a terminal), write the files, print what to run next.
// This module checks where the files go and asks docker how it builds; rendering and writing
// are generate-run.ts's, imported once the probe has started, so docker answers while the files
// render instead of being awaited after them. (The bundle loads most of the pipeline's code with
// this module, scripts/build.mjs's CHUNK_GROUPS; awaiting the import still lets the probe start
// its docker processes before rendering begins: statically imported, it started them after.)
import { relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { moduleRootAbove } from '../detect/filesystem.js';
import { entryKind, isDirectory } from '../io/read.js';
import type { PartialOptions } from '../options/model.js';
import { foreignRepository } from '../options/repository.js';
import { shown } from '../values/text.js';
import { acquireLock, type Lock } from '../write/lock.js';
import type { ParsedArgs } from './flags.js';
import type { CliIo } from './main.js';

export { NO_TERMINAL_NOTE } from './report.js';
export { probeDocker } from './docker.js';

export async function generate(args: ParsedArgs, io: CliIo): Promise<number> {
  const { startDir, moduleRoot, projectDir, dirInput, outDir: chosenOutDir } = whereFilesGo(args, io);
  const ask = io.interactive && !args.yes;
  let outDir = chosenOutDir;
  let force = args.force;
  // On a terminal, files in the way are settled before the first question (a dry run writes nothing, so it asks nothing).
  if (ask && !args.dryRun) {
    const { settleConflicts } = await import('./generate-run.js');
    const settled = await settleConflicts(io, { outDir, projectDir, force });
    if (settled === 'stop') return 0;
    ({ outDir, force } = settled);
  }
  const flagOptions: PartialOptions = { ...args.flagOptions };
  if (flagOptions.caCert) flagOptions.caCert = resolve(io.cwd, flagOptions.caCert);
  const outKind = checkOutDir(args.out ?? outDir, outDir, projectDir);
  // One writer at a time; a directory that does not exist yet is locked when it is created.
  const lock: Lock | undefined = !args.dryRun && outKind !== 'missing' ? acquireLock(outDir) : undefined;
  try {
    // Asked while the files render: how docker builds on this machine, for the printed command.
    const docker = io.probeDocker ? io.probeDocker().catch(() => undefined) : Promise.resolve(undefined);
    const { renderAndWrite } = await import('./generate-run.js');
    return await renderAndWrite(args, io, { startDir, moduleRoot, projectDir, dirInput, outDir, flagOptions, ask, force, lock, docker });
  } finally {
    lock?.release();
  }
}

/**
 * Where the project is and where its files go. From a sub-directory, the module is found upward,
 * as the go command finds it; the files belong at its root (the build context), so they go
 * there too, unless --out says otherwise.
 */
function whereFilesGo(args: ParsedArgs, io: CliIo) {
  const startDir = resolve(io.cwd, args.dir ?? '.');
  const moduleRoot = moduleRootAbove(startDir);
  const projectDir = moduleRoot ?? startDir;
  const dirInput = moduleRoot ? relative(io.cwd, moduleRoot) || '.' : (args.dir ?? '.');
  return { startDir, moduleRoot, projectDir, dirInput, outDir: resolve(io.cwd, args.out ?? projectDir) };
}

/** Refuses an output directory that is not one, or is in another repository than the project's; returns what is there. */
function checkOutDir(outInput: string, outDir: string, projectDir: string): ReturnType<typeof entryKind> {
  const outKind = entryKind(outDir);
  if (outKind !== 'missing' && outKind !== 'dir' && !(outKind === 'link' && isDirectory(outDir))) {
    throw new UsageError(`--out ${shown(outInput)}: is not a directory; choose another --out.`);
  }
  const foreign = outDir === projectDir ? undefined : foreignRepository(outDir, projectDir);
  if (foreign !== undefined) {
    throw new UsageError(
      `--out ${shown(outInput)}: is in the git repository ${shown(foreign)}, which does not hold the project (${shown(projectDir)}), ` +
        "so no fresh clone could regenerate from it; write the files inside the project's repository (e.g. --out deploy), " +
        'or run without --out.',
    );
  }
  return outKind;
}

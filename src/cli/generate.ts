// create-go-docker [dir]: detect, ask (on a terminal), write the files, print what to run next.
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RuntimeError } from '../errors.js';
import { entryKind } from '../io/read.js';
import { CONFIG_FILE_NAME, loadConfig } from '../options/files.js';
import type { PartialOptions } from '../options/model.js';
import { quoted } from '../values/text.js';
import { acquireLock, type Lock } from '../write/lock.js';
import { commitWrites, isRefused } from '../write/write.js';
import type { ParsedArgs } from './flags.js';
import type { CliIo } from './main.js';
import { adviseBuildCommand } from './docker.js';
import { printJson, printLines } from './output.js';
import { renderProject } from './pipeline.js';
import { generateJson, generateLines } from './report.js';

export async function generate(args: ParsedArgs, io: CliIo): Promise<number> {
  const projectDir = resolve(io.cwd, args.dir ?? '.');
  const outDir = resolve(io.cwd, args.out ?? projectDir);
  const flagOptions: PartialOptions = { ...args.flagOptions };
  if (flagOptions.caCert) flagOptions.caCert = resolve(io.cwd, flagOptions.caCert);
  const outKind = entryKind(outDir);
  if (outKind !== 'missing' && outKind !== 'dir' && !(outKind === 'link' && isDirectory(outDir))) {
    throw new RuntimeError(`${quoted(args.out ?? outDir).slice(1, -1)}: is not a directory; choose another --out.`);
  }
  // One writer at a time; a directory that does not exist yet is locked when it is created.
  const lock: Lock | undefined = !args.dryRun && outKind !== 'missing' ? acquireLock(outDir) : undefined;
  try {
    // Asked while the files render: how docker builds on this machine, for the printed command.
    const docker = io.probeDocker ? io.probeDocker().catch(() => undefined) : Promise.resolve(undefined);
    const result = await renderProject(
      {
        projectDir,
        dirInput: args.dir ?? '.',
        outDir,
        config: loadConfig(join(outDir, CONFIG_FILE_NAME)),
        flagOptions,
        ...(args.policy ? { policyFlag: resolve(io.cwd, args.policy) } : {}),
        ask: io.interactive && !args.yes,
        force: args.force,
      },
      io,
    );
    const refused = result.writes.find(isRefused);
    if (refused) {
      const fix =
        refused.action === 'edited'
          ? 'see your edits with create-go-docker regenerate --diff, move them into a custom block, or rerun with --force to replace it'
          : refused.action === 'blocked'
            ? 'then rerun (--force does not replace such a file)'
            : 'move it away, or rerun with --force to replace it';
      throw new RuntimeError(`${quoted(join(outDir, refused.path)).slice(1, -1)}: ${refused.problem}; ${fix}.`);
    }
    if (!args.dryRun) commitWrites(outDir, result.writes, lock);
    const env = (io.env ?? process.env) as NodeJS.ProcessEnv;
    const advice = io.probeDocker ? adviseBuildCommand(await docker, env, result.plan.platforms.length > 1) : undefined;
    const outcome = { dryRun: args.dryRun, ...result, recovered: lock?.recovered ?? [], ...(advice ? { advice } : {}) };
    if (args.json) printJson(io.stdout, generateJson(outcome));
    else printLines(io.stdout, generateLines(outcome));
    return 0;
  } finally {
    lock?.release();
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

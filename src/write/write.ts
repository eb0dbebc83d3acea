// Writing is all-or-nothing: every file goes to a temporary file beside its target first; once
// all are complete a journal marks the run committed, and only then are they renamed into place
// (.go-docker.yaml last). A run killed before the journal leaves nothing but temporary files,
// which the next run removes; one killed after it is finished by the next run (lock.ts).
// A file create-go-docker did not write, or one edited by hand since, is never replaced without
// --force; a file whose custom blocks cannot be read is never replaced at all; the lines in
// custom blocks are always kept. Nothing is read or written through a symbolic link, and a file
// keeps the line endings it has (a CRLF checkout stays CRLF).
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, rmdirSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RuntimeError } from '../errors.js';
import { encodeText } from '../io/bytes.js';
import { describeWriteFailure } from '../io/failure.js';
import { InputFileError, MIB, readInputFile } from '../io/read.js';
import { ANSWERS_FILE } from '../plan/paths.js';
import type { RenderedFile } from '../render/render.js';
import { shown } from '../values/text.js';
import { assertNoLinks } from './links.js';
import { acquireLock, removeJournal, setCommitting, temporaryPath, writeJournal, type Lock } from './lock.js';
import {
  decide,
  fileState,
  isRefused,
  refusal,
  type FileState,
  type Refusal,
  type RefusalName,
  type RefusedAction,
  type Run,
} from './conflicts.js';
import { keepCustomBlocks, readCustomBlocks, stampHash, usesCrlf, type CustomBlocks } from './managed.js';

/**
 * create/update/unchanged: what writing does. edited/foreign: what it refuses without --force
 * (a hand edit since generation; a file create-go-docker never wrote). blocked: custom blocks
 * whose lines would be lost, refused even with --force (conflicts.ts decides).
 */
export type FileAction = 'create' | 'update' | 'unchanged' | RefusedAction;

export interface FilePlan extends RenderedFile {
  action: FileAction;
  /** The file as it is on disk (its line endings and bytes kept: io/bytes.ts), when it exists. */
  current?: string;
  /** For refused files: which refusal, worded (conflicts.ts). */
  refusal?: Refusal;
  /** --force replaces a file that would have been refused for this reason (it is backed up). */
  replaces?: RefusalName;
  /** This is the backup of that managed file (not managed itself, never recorded). */
  backupOf?: string;
}

const MANAGED_MAX_BYTES = 4 * MIB;

function readManaged(outDir: string, path: string): string {
  try {
    return readInputFile(join(outDir, path), { maxBytes: MANAGED_MAX_BYTES, noFollow: true, preserveBytes: true });
  } catch (error) {
    if (error instanceof InputFileError)
      throw new RuntimeError(`${shown(error.path)}: ${error.reason}; create-go-docker cannot compare it with what it generates.`);
    throw error;
  }
}

/** A managed file as it is on disk (undefined: nothing there), and its custom blocks. */
function readCurrent(outDir: string, path: string): { current: string | undefined; blocks: CustomBlocks | undefined } {
  if (assertNoLinks(outDir, path) === 'missing') return { current: undefined, blocks: undefined };
  const current = readManaged(outDir, path);
  return { current, blocks: readCustomBlocks(current) };
}

/** A file in the way before anything is rendered: its path and what would be refused. */
export interface Conflict {
  path: string;
  refusal: Refusal;
}

/**
 * The files a run would refuse to replace, known before any question is asked (what the new
 * version's blocks are is not known yet): the wizard offers what to do about them first,
 * instead of after every answer.
 */
export function findConflicts(outDir: string, paths: readonly string[], recorded: Record<string, string>): Conflict[] {
  const conflicts: Conflict[] = [];
  for (const path of paths) {
    const { current, blocks } = readCurrent(outDir, path);
    const state = fileState({ path, current, recorded, blocksProblem: blocks?.problem });
    if (isRefusalState(state)) conflicts.push({ path, refusal: refusal(state, path, { blocksProblem: blocks?.problem }) });
  }
  return conflicts;
}

function isRefusalState(state: FileState): state is RefusalName {
  return state === 'foreign' || state === 'edited' || state === 'unreadable-blocks' || state === 'lost-blocks';
}

/**
 * Decides what happens to each rendered file (conflicts.ts's decide): the custom block lines of
 * the file on disk are carried into the new content and the hash marker stamped. Throws for what
 * no flag can fix (a link or a directory in the way); refusals are reported as
 * edited/foreign/blocked plans. A file backed up (--force) is replaced and kept as <file>.orig.
 */
export function planWrites(outDir: string, files: readonly RenderedFile[], recorded: Record<string, string>, run: Run): FilePlan[] {
  const plans = files.map((file): FilePlan => {
    const { current, blocks } = readCurrent(outDir, file.path);
    const merged =
      current === undefined || blocks === undefined
        ? { content: stampHash(file.content), lost: [] }
        : keepCustomBlocks(file.content, blocks, usesCrlf(current));
    const state = fileState({ path: file.path, current, recorded, blocksProblem: blocks?.problem, merged });
    const plan = (action: FileAction): FilePlan => ({
      ...file,
      content: merged.content,
      action,
      ...(current === undefined ? {} : { current }),
    });
    const decision = decide(state, run);
    if (decision === 'keep') return plan('unchanged');
    // (Only a state with a named refusal is ever backed up, refused or asked about.)
    if (decision === 'write' || !isRefusalState(state)) return plan(state === 'missing' ? 'create' : 'update');
    if (decision === 'back-up') return { ...plan('update'), replaces: state };
    // Refused; "ask" too: the questions were asked before rendering, and a file in the way since is refused.
    const detail = { blocksProblem: blocks?.problem, lost: merged.lost, newBlocks: [...readCustomBlocks(file.content).bodies.keys()] };
    const refused = refusal(state, file.path, detail);
    return { ...plan(refused.action), refusal: refused };
  });
  // What --force replaces is kept beside it (Dockerfile.orig), written in the same commit.
  const backups: FilePlan[] = [];
  for (const plan of plans) {
    if (!plan.replaces || plan.current === undefined) continue;
    const path = backupPath(
      outDir,
      plan.path,
      [...plans, ...backups].map((item) => item.path),
    );
    backups.push({ path, content: plan.current, action: 'create', backupOf: plan.path });
  }
  return [...plans, ...backups];
}

/** Dockerfile.orig, or Dockerfile.orig.2 ... when that exists. */
function backupPath(outDir: string, path: string, taken: readonly string[]): string {
  for (let count = 1; ; count++) {
    const candidate = count === 1 ? `${path}.orig` : `${path}.orig.${count}`;
    if (!taken.includes(candidate) && assertNoLinks(outDir, candidate) === 'missing') return candidate;
  }
}

/**
 * Writes the plans under `lock`, or, when outDir did not exist (so nothing could be read or
 * raced there), creates it and takes the lock now.
 */
export function commitWrites(outDir: string, plans: readonly FilePlan[], heldLock: Lock | undefined): void {
  // The first directory mkdir created (outDir or an ancestor), to remove again on failure.
  let createdOutDir: string | undefined;
  if (!heldLock) {
    try {
      createdOutDir = mkdirSync(outDir, { recursive: true });
    } catch (error) {
      throw new RuntimeError(`${shown(outDir)}: cannot create it: ${describeWriteFailure(error)}; nothing was changed.`);
    }
  }
  let lock = heldLock;
  try {
    lock ??= acquireLock(outDir);
    commitLocked(outDir, plans, lock);
  } catch (error) {
    if (createdOutDir && !(error instanceof PartialCommitError)) rmSync(createdOutDir, { recursive: true, force: true });
    throw error;
  } finally {
    if (!heldLock) lock?.release();
  }
}

function commitLocked(outDir: string, plans: readonly FilePlan[], lock: Lock): void {
  const pending = plans.filter((plan) => plan.action !== 'unchanged');
  const refused = pending.find(isRefused);
  if (refused) throw new Error(`refusing to write ${refused.path}: ${refused.refusal?.problem ?? refused.action}`);
  // The answers file last: until it is renamed, a rerun sees the old answers and old hashes.
  const ordered = [...pending.filter((plan) => plan.path !== ANSWERS_FILE), ...pending.filter((plan) => plan.path === ANSWERS_FILE)];
  const renames: [string, string][] = ordered.map((plan) => [temporaryPath(plan.path), plan.path]);
  const createdDirs: string[] = [];
  const temps: string[] = [];
  let failedAt = outDir;
  setCommitting(true);
  try {
    try {
      for (const plan of ordered) {
        failedAt = join(outDir, dirname(plan.path));
        makeDirs(outDir, dirname(plan.path), createdDirs);
        failedAt = join(outDir, temporaryPath(plan.path));
        writeTemporary(failedAt, encodeText(plan.content), temps);
      }
      failedAt = outDir;
      // The commit point: from here on, a run killed midway is finished by the next run.
      writeJournal(outDir, renames);
    } catch (error) {
      // Nothing is in place yet: take back every temporary file and directory this run made.
      for (const temp of temps) rmSync(temp, { force: true });
      for (const dir of createdDirs.reverse()) removeEmptyDirectory(dir);
      throw new RuntimeError(`${shown(failedAt)}: cannot write: ${describeWriteFailure(error)}; nothing was changed.`);
    }
    let renamed = 0;
    try {
      for (const [temp, target] of renames) {
        failedAt = join(outDir, target);
        renameSync(join(outDir, temp), join(outDir, target));
        renamed++;
      }
      removeJournal(outDir);
    } catch (error) {
      // Some files are new and some not: the journal and the lock stay, for the next run to finish.
      lock.keepForNextRun();
      throw new PartialCommitError(
        `${shown(failedAt)}: cannot put it in place: ${describeWriteFailure(error)}; ${renamed} of ${renames.length} ` +
          `files are already new, and the next run finishes the rest from its journal.`,
      );
    }
  } finally {
    const signal = setCommitting(false);
    if (signal) {
      lock.release();
      process.kill(process.pid, signal);
    }
  }
}

/** A commit that stopped after its commit point: its directory is not removed, its lock is kept. */
class PartialCommitError extends RuntimeError {}

/** Writes a new temporary file ("wx": never through a link), noting it once it exists so a failure removes it. */
function writeTemporary(path: string, content: Buffer, temps: string[]): void {
  const fd = openSync(path, 'wx', 0o644);
  temps.push(path);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeEmptyDirectory(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty (something else was put there) or already gone: leave it.
  }
}

/** mkdir -p below outDir, noting each directory it creates (as it creates it) so a failure can remove them. */
function makeDirs(outDir: string, relativeDir: string, created: string[]): void {
  if (relativeDir === '.' || relativeDir === '') return;
  let current = outDir;
  for (const part of relativeDir.split('/')) {
    current = join(current, part);
    try {
      const stats = lstatSync(current);
      if (!stats.isDirectory()) throw Object.assign(new Error(`${current} is not a directory`), { code: 'ENOTDIR', path: current });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(current);
      created.push(current);
    }
  }
}

// One writer at a time per output directory, and no half-written run left behind.
// - .go-docker.lock (created exclusively) holds the pid, host and boot of the run writing here;
//   a second run stops with "another run is in progress". A lock whose process is gone is stale.
// - .go-docker.journal is written once every temporary file is complete: from then on the run
//   is committed, and a run that finds a journal (after a crash or kill -9) finishes its renames.
// - Leftover temporary files of a run that died before its journal are removed by the next run.
// Our own files are untrusted input too: a checkout can bring a lock or a journal, or put a
// pipe, a device or a link in their place. Each is read like any input (regular file, no link,
// size cap, parsed into a typed record), and recovery acts only when the lock and the journal
// were written on this machine since it booted, by a run that is gone, and only on the renames
// of temporary files to paths create-go-docker writes, inside the directory, with no link on the
// way. Anything else is refused with one line naming the file to delete.
import { closeSync, fsyncSync, linkSync, lstatSync, openSync, readdirSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { hostname, uptime } from 'node:os';
import { join } from 'node:path';
import { RuntimeError } from '../errors.js';
import { describeWriteFailure } from '../io/failure.js';
import { entryKind, InputFileError, readOptionalInputFile } from '../io/read.js';
import { isWrittenPath } from '../plan/paths.js';
import { hasControlCharacter, quoted, shown } from '../values/text.js';
import { assertNoLinks } from './links.js';

export const LOCK_FILE = '.go-docker.lock';
export const JOURNAL_FILE = '.go-docker.journal';
const JOURNAL_TEMP = `${JOURNAL_FILE}.tmp`;
/** A lock record is about 150 bytes and a journal under 4 KiB: anything far larger is not ours. */
const LOCK_MAX_BYTES = 4096;
const JOURNAL_MAX_BYTES = 64 * 1024;
/** More renames than create-go-docker ever writes in one run (managed files, backups, a CA). */
const MAX_RENAMES = 64;

/** Who wrote a lock or a journal: the process, the machine, and the machine's current boot. */
interface Writer {
  pid: number;
  host: string;
  boot: string;
}

interface LockRecord extends Writer {
  started: string;
}

interface JournalRecord extends Writer {
  renames: [string, string][];
}

/** A held lock; release() is idempotent. */
export interface Lock {
  dir: string;
  release(): void;
  /** Leaves the lock file for the next run, which finds this run gone and finishes its journal. */
  keepForNextRun(): void;
  /** What recovery did when the lock was taken (an interrupted run finished or cleaned). */
  recovered: string[];
}

/** While a commit renames files, a signal waits for it: set by commitWrites. */
let committing = false;
let pendingSignal: NodeJS.Signals | undefined;
const heldLocks = new Set<Lock>();

export function setCommitting(value: boolean): NodeJS.Signals | undefined {
  committing = value;
  const signal = value ? undefined : pendingSignal;
  if (!value) pendingSignal = undefined;
  return signal;
}

/**
 * For the entry point's signal handlers: releases every held lock unless a commit is running,
 * in which case the signal is handled when the commit ends. Returns whether to exit now.
 */
export function interruptWrites(signal: NodeJS.Signals): boolean {
  if (committing) {
    pendingSignal = signal;
    return false;
  }
  for (const lock of heldLocks) lock.release();
  return true;
}

let bootId: string | undefined;

/**
 * This machine's current boot: Linux's random boot id, else the minute it booted. A file a
 * checkout brought, or one left before a restart, names another boot, so it is never acted on.
 */
export function currentBoot(): string {
  if (bootId !== undefined) return bootId;
  let id: string | undefined;
  try {
    id = readOptionalInputFile('/proc/sys/kernel/random/boot_id', { maxBytes: 64 })?.trim();
  } catch {
    id = undefined;
  }
  bootId = id && /^[0-9a-f-]{36}$/.test(id) ? id : `booted-${Math.round((Date.now() / 1000 - uptime()) / 60)}`;
  return bootId;
}

function thisWriter(): Writer {
  return { pid: process.pid, host: hostname(), boot: currentBoot() };
}

function isAlive(pid: number, dir: string): boolean {
  // This process's own pid: alive only while it holds a lock here (else an earlier run in the same process, in tests).
  if (pid === process.pid) return [...heldLocks].some((lock) => lock.dir === dir);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value !== '' && value.length <= max && !hasControlCharacter(value);

/** The writer fields of a parsed record, checked: anything else makes the whole record unknown. */
function parseWriter(value: unknown): Writer | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const { pid, host, boot } = record;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid < 1 || pid > 4_194_304) return undefined;
  if (!isText(host, 255) || !isText(boot, 64)) return undefined;
  return { pid, host, boot };
}

function parseLockRecord(text: string): LockRecord | undefined {
  const value = parseJson(text);
  const writer = parseWriter(value);
  const started = (value as Record<string, unknown> | undefined)?.started;
  return writer && isText(started, 64) ? { ...writer, started } : undefined;
}

function parseJournal(text: string): JournalRecord | undefined {
  const value = parseJson(text);
  const writer = parseWriter(value);
  const renames = (value as Record<string, unknown> | undefined)?.renames;
  if (!writer || !Array.isArray(renames) || renames.length > MAX_RENAMES) return undefined;
  const pairs = renames.filter(
    (pair): pair is [string, string] => Array.isArray(pair) && pair.length === 2 && isText(pair[0], 512) && isText(pair[1], 512),
  );
  return pairs.length === renames.length ? { ...writer, renames: pairs } : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const sameMachine = (a: Writer, b: Writer): boolean => a.host === b.host && a.boot === b.boot;

/**
 * One of our own files, read as any input is: a regular file, no link, capped. A pipe, a device,
 * a link or a directory in its place is refused with the file to delete (never opened, so a
 * FIFO cannot block and /dev/zero cannot fill memory). Undefined when it does not exist.
 */
function readOwnFile(dir: string, name: string, maxBytes: number): string | undefined {
  try {
    return readOptionalInputFile(join(dir, name), { maxBytes, noFollow: true });
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    throw new RuntimeError(
      `${shown(join(dir, name))}: ${error.reason}, so it is not a file create-go-docker wrote; it never acts on it: delete it and rerun.`,
    );
  }
}

/** Writes text into a new file (never through a link: O_EXCL), synced: whole before anyone reads it. */
function writeNewFile(path: string, text: string): void {
  removeOwnName(path);
  const fd = openSync(path, 'wx', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw error;
  }
  closeSync(fd);
}

/**
 * Clears one of our own temporary names before it is created: a leftover file, or a link, pipe
 * or device a checkout put there (unlinked, never opened or followed). A directory is refused.
 */
function removeOwnName(path: string): void {
  const kind = entryKind(path);
  if (kind === 'missing') return;
  if (kind === 'dir')
    throw new RuntimeError(
      `${shown(path)}: is a directory, but create-go-docker uses this name for its own temporary file; move it away and rerun.`,
    );
  unlinkSync(path);
}

/**
 * Creates the lock with its record in one step, so a run killed at any instant leaves either no
 * lock or a whole one naming its (dead) pid, never an empty file another run must wait out:
 * the record is written to a temporary file, then hard-linked to the lock name, which fails if
 * the lock exists. Where hard links are not supported, exclusive creation then a write.
 */
function createLock(path: string, record: LockRecord): boolean {
  const temp = `${path}.${process.pid}.tmp`;
  const text = `${JSON.stringify(record)}\n`;
  writeNewFile(temp, text);
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    try {
      writeNewFile(path, text);
    } catch (fallback) {
      if ((fallback as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fallback;
    }
    return true;
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Record files of runs killed between writing and linking them (never followed: rm unlinks). */
function removeDeadRecordFiles(dir: string): void {
  for (const name of safeReaddir(dir)) {
    const pid = /^\.go-docker\.lock\.(\d{1,7})\.tmp$/.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !isAlive(Number(pid), dir)) rmSync(join(dir, name), { force: true });
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function modifiedAt(path: string): number {
  try {
    return lstatSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

export function acquireLock(dir: string): Lock {
  const path = join(dir, LOCK_FILE);
  const record: LockRecord = { ...thisWriter(), started: new Date().toISOString() };
  let locked = false;
  let recovered: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      locked = createLock(path, record);
    } catch (error) {
      if (error instanceof RuntimeError) throw error;
      throw new RuntimeError(`${shown(path)}: cannot create the lock file: ${describeWriteFailure(error)}.`);
    }
    if (locked) break;
    const text = readOwnFile(dir, LOCK_FILE, LOCK_MAX_BYTES);
    if (text === undefined) continue; // released between our attempt and the read
    const holder = parseLockRecord(text);
    const journal = entryKind(join(dir, JOURNAL_FILE)) !== 'missing';
    const toDelete = journal ? `${LOCK_FILE} and ${JOURNAL_FILE}` : LOCK_FILE;
    if (!holder) {
      // Only a run on a file system without hard links makes the lock before its record.
      if (Date.now() - modifiedAt(path) < 10_000)
        throw new RuntimeError(
          `${dir}: another create-go-docker run is starting here; wait for it, or delete ${LOCK_FILE} if no run is active.`,
        );
      throw new RuntimeError(
        `${shown(path)}: is not a lock create-go-docker wrote (it does not hold a run's record); it never acts on it: ` +
          `if no run is active, delete ${toDelete} and rerun.`,
      );
    }
    const holderText = `pid ${holder.pid} on ${quoted(holder.host)}, started ${quoted(holder.started)}`;
    if (!sameMachine(holder, record)) {
      throw new RuntimeError(
        `${dir}: ${LOCK_FILE} names a run (${holderText}) on another machine or before this machine restarted, or the ` +
          `checkout brought it; create-go-docker cannot tell whether it is active and never acts on it: if no run is active, ` +
          `delete ${toDelete} and rerun.`,
      );
    }
    if (isAlive(holder.pid, dir)) {
      throw new RuntimeError(
        `${dir}: another create-go-docker run is in progress (${holderText}); wait for it, or delete ${LOCK_FILE} if no run is active.`,
      );
    }
    // The run that held it is gone: finish what it committed, then take the lock.
    recovered = finishJournal(dir, holder);
    rmSync(path, { force: true });
  }
  if (!locked) throw new RuntimeError(`${dir}: another create-go-docker run took the lock at the same moment; rerun.`);
  let released = false;
  const lock: Lock = {
    dir,
    recovered,
    release() {
      if (released) return;
      released = true;
      heldLocks.delete(lock);
      rmSync(path, { force: true });
    },
    keepForNextRun() {
      released = true;
      heldLocks.delete(lock);
    },
  };
  heldLocks.add(lock);
  try {
    // A journal no lock of this machine's vouches for was not written by a run here.
    if (entryKind(join(dir, JOURNAL_FILE)) !== 'missing') {
      throw new RuntimeError(
        `${shown(join(dir, JOURNAL_FILE))}: was not written by a create-go-docker run on this machine (the checkout ` +
          `brought it, or another machine left it); it never acts on it: delete it and rerun.`,
      );
    }
    removeDeadRecordFiles(dir);
    removeOwnName(join(dir, JOURNAL_TEMP));
    const removed = removeLeftoverTemps(dir);
    if (removed.length > 0)
      lock.recovered.push(
        `removed ${removed.length} leftover temporary file${removed.length > 1 ? 's' : ''} of an interrupted run (${removed.join(', ')}).`,
      );
  } catch (error) {
    lock.release();
    if (error instanceof RuntimeError) throw error;
    throw new RuntimeError(`${dir}: cannot clean up after an interrupted run: ${describeWriteFailure(error)}.`);
  }
  return lock;
}

/**
 * Finishes the renames of a committed run whose lock (`holder`) is ours and dead. Every rename
 * is checked before any is done: the journal must be a whole record written by the same run,
 * and each rename must move temporaryPath(p) to p for a path p create-go-docker writes, with no
 * link on the way. Otherwise nothing is done and the journal is named for deletion.
 */
function finishJournal(dir: string, holder: Writer): string[] {
  const text = readOwnFile(dir, JOURNAL_FILE, JOURNAL_MAX_BYTES);
  if (text === undefined) return [];
  const journal = parseJournal(text);
  const refuse = (why: string): never => {
    throw new RuntimeError(
      `${shown(join(dir, JOURNAL_FILE))}: ${why}; create-go-docker never acts on such a journal: delete ${JOURNAL_FILE} ` +
        `and ${LOCK_FILE}, and rerun.`,
    );
  };
  if (!journal) return refuse('is not a journal create-go-docker wrote (it does not parse as one)');
  if (journal.pid !== holder.pid || !sameMachine(journal, holder)) return refuse('was written by another run than the one its lock names');
  for (const [temp, target] of journal.renames) {
    if (!isWrittenPath(target) || temp !== temporaryPath(target))
      return refuse(`renames ${quoted(temp)} to ${quoted(target)}, which is not a file create-go-docker writes`);
    assertNoLinks(dir, target);
    const tempKind = entryKind(join(dir, temp));
    if (tempKind !== 'missing' && tempKind !== 'file') return refuse(`names ${quoted(temp)}, which is not a regular file`);
  }
  const done: string[] = [];
  for (const [temp, target] of journal.renames) {
    if (entryKind(join(dir, temp)) !== 'file') continue;
    renameSync(join(dir, temp), join(dir, target));
    done.push(target);
  }
  rmSync(join(dir, JOURNAL_FILE), { force: true });
  return done.length > 0 ? ['finished the writes of an interrupted run:', ...done] : [];
}

/** The temporary file beside a target: fixed, so a later run can find and remove it. */
export function temporaryPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.create-go-docker.tmp`;
}

const TEMP_NAME = /^\.(.+)\.create-go-docker\.tmp$/;

/**
 * Removes the temporary files a run that died before its journal left (and any a checkout
 * brought): only our own names, beside the paths create-go-docker writes, in directories with
 * no link on the way; a link is unlinked, never followed. Returns the paths removed.
 */
function removeLeftoverTemps(dir: string): string[] {
  const removed: string[] = [];
  for (const subdir of TEMP_DIRS) {
    if (subdir !== '' && !isPlainDirectory(dir, subdir)) continue;
    for (const name of safeReaddir(join(dir, subdir))) {
      const target = TEMP_NAME.exec(name)?.[1];
      const relative = subdir === '' ? name : `${subdir}/${name}`;
      if (target === undefined || !isWrittenPath(subdir === '' ? target : `${subdir}/${target}`)) continue;
      removeOwnName(join(dir, relative));
      removed.push(relative);
    }
  }
  return removed;
}

/** Every directory a written path lives in, relative to the output directory. */
const TEMP_DIRS = ['', 'docker', 'docker/ca-certificates', '.github/workflows', '.gitlab'];

function isPlainDirectory(dir: string, relative: string): boolean {
  let current = dir;
  for (const part of relative.split('/')) {
    current = join(current, part);
    try {
      const stats = lstatSync(current);
      if (!stats.isDirectory()) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** Writes the journal atomically: the commit point of a run. */
export function writeJournal(dir: string, renames: [string, string][]): void {
  const record: JournalRecord = { ...thisWriter(), renames };
  const temp = join(dir, JOURNAL_TEMP);
  writeNewFile(temp, JSON.stringify(record));
  try {
    renameSync(temp, join(dir, JOURNAL_FILE));
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function removeJournal(dir: string): void {
  rmSync(join(dir, JOURNAL_FILE), { force: true });
}

// One writer at a time per output directory, and no half-written run left behind.
// - .go-docker.lock (created exclusively) holds the pid and host of the run writing here; a
//   second run stops with "another run is in progress". A lock whose process is gone is stale.
// - .go-docker.journal is written once every temporary file is complete: from then on the run
//   is committed, and a run that finds a journal (after a crash or kill -9) finishes its renames.
// - Temporary files of a run that died before its journal are removed by the next run.
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RuntimeError } from '../errors.js';

export const LOCK_FILE = '.go-docker.lock';
export const JOURNAL_FILE = '.go-docker.journal';

interface LockRecord {
  pid: number;
  host: string;
  started: string;
  /** Temporary files this run may have written, relative to the directory. */
  temps: string[];
}

/** A held lock; release() is idempotent. */
export interface Lock {
  dir: string;
  /** Records the temporary files about to be written, so a crash can be cleaned up. */
  announceTemps(temps: string[]): void;
  release(): void;
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function modifiedAt(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function readRecord(path: string): LockRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockRecord>;
    if (typeof record.pid !== 'number' || typeof record.host !== 'string') return undefined;
    return { pid: record.pid, host: record.host, started: String(record.started ?? ''), temps: Array.isArray(record.temps) ? record.temps.filter((item): item is string => typeof item === 'string') : [] };
  } catch {
    return undefined;
  }
}

/** Writes a record to a fresh file beside the lock, complete and synced, and returns its path. */
function writeRecordFile(path: string, record: LockRecord): string {
  const temp = `${path}.${process.pid}.tmp`;
  writeAndSync(openSync(temp, 'w', 0o644), `${JSON.stringify(record)}\n`);
  return temp;
}

/** Writes text into an open file, syncs it to disk and closes it: whole before anyone reads it. */
function writeAndSync(fd: number, text: string): void {
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates the lock with its record in one step, so a run killed at any instant leaves either no
 * lock or a whole one naming its (dead) pid, never an empty file another run must wait out:
 * the record is written to a temporary file, then hard-linked to the lock name, which fails if
 * the lock exists. Where hard links are not supported, exclusive creation then a write.
 */
function createLock(path: string, record: LockRecord): boolean {
  const temp = writeRecordFile(path, record);
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (fallback) {
      if ((fallback as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fallback;
    }
    writeAndSync(fd, `${JSON.stringify(record)}\n`);
    return true;
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Record files of runs killed between writing and linking them. */
function removeDeadRecordFiles(dir: string): void {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = /^\.go-docker\.lock\.(\d+)\.tmp$/.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !isAlive(Number(pid))) rmSync(join(dir, name), { force: true });
  }
}

export function acquireLock(dir: string): Lock {
  const path = join(dir, LOCK_FILE);
  const record: LockRecord = { pid: process.pid, host: hostname(), started: new Date().toISOString(), temps: [] };
  let locked = false;
  let recovered: string[] = [];
  for (let attempt = 0; attempt < 2 && !locked; attempt++) {
    try {
      locked = createLock(path, record);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new RuntimeError(`${path}: cannot create the lock file (${code ?? String(error)}); fix the permissions of ${dir}.`);
    }
    if (locked) break;
    const holder = readRecord(path);
    const sameHost = holder?.host === record.host;
    if (holder && (!sameHost || isAlive(holder.pid))) {
      throw new RuntimeError(`${dir}: another create-go-docker run is in progress (pid ${holder.pid} on ${holder.host}, started ${holder.started}); wait for it, or delete ${LOCK_FILE} if no run is active.`);
    }
    if (!holder && Date.now() - modifiedAt(path) < 10_000) {
      // Only a run on a file system without hard links makes the lock before its record.
      throw new RuntimeError(`${dir}: another create-go-docker run is starting here; wait for it, or delete ${LOCK_FILE} if no run is active.`);
    }
    // The run that held it is gone: finish or undo what it left, then take the lock.
    recovered = recover(dir, holder?.temps ?? []);
    rmSync(path, { force: true });
  }
  if (!locked) throw new RuntimeError(`${dir}: another create-go-docker run took the lock at the same moment; rerun.`);
  removeDeadRecordFiles(dir);
  let released = false;
  const lock: Lock = {
    dir,
    recovered,
    announceTemps(temps) {
      record.temps = temps;
      // Replaced whole (rename), so the lock never holds half a record.
      renameSync(writeRecordFile(path, record), path);
    },
    release() {
      if (released) return;
      released = true;
      heldLocks.delete(lock);
      rmSync(path, { force: true });
    },
  };
  heldLocks.add(lock);
  return lock;
}

/** Finishes a committed run (its journal) and removes the temporary files of an unfinished one. */
function recover(dir: string, temps: string[]): string[] {
  const done: string[] = [];
  const journalPath = join(dir, JOURNAL_FILE);
  if (existsSync(journalPath)) {
    let renames: [string, string][] = [];
    try {
      renames = (JSON.parse(readFileSync(journalPath, 'utf8')) as { renames: [string, string][] }).renames;
    } catch {
      renames = [];
    }
    for (const [temp, target] of renames) {
      if (!isSafeRelative(temp) || !isSafeRelative(target)) continue;
      if (existsSync(join(dir, temp))) {
        renameSync(join(dir, temp), join(dir, target));
        done.push(target);
      }
    }
    rmSync(journalPath, { force: true });
    if (done.length > 0) done.unshift('finished the writes of an interrupted run:');
  }
  const removed = temps.filter((temp) => isSafeRelative(temp) && existsSync(join(dir, temp)));
  for (const temp of removed) rmSync(join(dir, temp), { force: true });
  rmSync(join(dir, `${JOURNAL_FILE}.tmp`), { force: true });
  if (removed.length > 0) done.push(`removed ${removed.length} temporary file${removed.length > 1 ? 's' : ''} of an interrupted run.`);
  return done;
}

/** Paths our own lock and journal record: relative, no "..". */
function isSafeRelative(path: string): boolean {
  return path !== '' && !path.startsWith('/') && !path.split('/').includes('..');
}

/** Writes the journal atomically: the commit point of a run. */
export function writeJournal(dir: string, renames: [string, string][]): void {
  const temp = join(dir, `${JOURNAL_FILE}.tmp`);
  writeAndSync(openSync(temp, 'w', 0o644), JSON.stringify({ renames }));
  renameSync(temp, join(dir, JOURNAL_FILE));
}

export function removeJournal(dir: string): void {
  rmSync(join(dir, JOURNAL_FILE), { force: true });
}

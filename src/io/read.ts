// Every input file is read through here: only a regular file, never more than a size cap, and
// opened without blocking, so a FIFO, a device (/dev/zero), a directory or a dangling link is a
// clear error instead of a hang, a crash or an exhausted memory.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { decodeBytes } from './bytes.js';

/** Why a file could not be read: a short reason for a message ("is a directory", "ENOENT"). */
export class InputFileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly code: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

export const MIB = 1024 * 1024;

export interface ReadOptions {
  /** Refuse a file larger than this (bytes). */
  maxBytes: number;
  /** Read only the first maxBytes of a larger file instead of refusing it. */
  truncate?: boolean;
  /** Refuse a symbolic link instead of following it. */
  noFollow?: boolean;
  /** Keep bytes that are not UTF-8 (io/bytes.ts), for a file that is written back. */
  preserveBytes?: boolean;
}

function describeKind(stats: Stats): string {
  if (stats.isDirectory()) return 'is a directory, not a file';
  if (stats.isFIFO()) return 'is a named pipe, not a regular file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'is a device, not a regular file';
  if (stats.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

/** Reads a regular file as UTF-8; throws InputFileError (with the errno code) otherwise. */
export function readInputFile(path: string, options: ReadOptions): string {
  const bytes = readInputBytes(path, options);
  return options.preserveBytes ? decodeBytes(bytes) : bytes.toString('utf8');
}

/** Reads a regular file's bytes (an archive, a cached download) under the same rules as readInputFile. */
export function readInputBytes(path: string, options: Omit<ReadOptions, 'preserveBytes'>): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting forever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (options.noFollow ? constants.O_NOFOLLOW : 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    const reason =
      code === 'ENOENT'
        ? isDanglingLink(path)
          ? 'is a link to a file that does not exist'
          : 'does not exist'
        : code === 'ELOOP'
          ? options.noFollow
            ? 'is a symbolic link'
            : 'is a link loop'
          : code === 'EACCES'
            ? 'is not readable (permission denied)'
            : code === 'EISDIR'
              ? 'is a directory, not a file'
              : `cannot be read (${code})`;
    throw new InputFileError(path, reason, code);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new InputFileError(path, describeKind(stats), stats.isDirectory() ? 'EISDIR' : 'ENOTREG');
    if (stats.size > options.maxBytes && !options.truncate) {
      throw new InputFileError(path, `is larger than ${formatLimit(options.maxBytes)} (${stats.size} bytes)`, 'EFBIG');
    }
    const buffer = Buffer.alloc(Math.min(stats.size, options.maxBytes));
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    throw new InputFileError(path, code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${code})`, code);
  } finally {
    closeSync(fd);
  }
}

/** Like readInputFile, but a file that does not exist (or is a dangling link) is undefined. */
export function readOptionalInputFile(path: string, options: ReadOptions): string | undefined {
  try {
    return readInputFile(path, options);
  } catch (error) {
    if (error instanceof InputFileError && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function formatLimit(bytes: number): string {
  return bytes >= MIB ? `${bytes / MIB} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/** What is at a path without following a final link: 'missing', 'file', 'dir', 'link' or 'other'. */
export function entryKind(path: string): 'missing' | 'file' | 'dir' | 'link' | 'other' {
  try {
    const stats = lstatSync(path);
    if (stats.isSymbolicLink()) return 'link';
    if (stats.isFile()) return 'file';
    if (stats.isDirectory()) return 'dir';
    return 'other';
  } catch {
    return 'missing';
  }
}

/** A directory, or a link to one. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A regular file, or a link to one. */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

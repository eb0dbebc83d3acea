// doctor's file reads: the module, the Dockerfile, .dockerignore, daemon.json, and the size of
// the build context .dockerignore leaves. Everything the checks need, read once. A file of the
// project is read only with no symbolic link between the project directory and it (a
// repository may link its Dockerfile to a file of the machine, and doctor prints what it
// reads); a file the user names (--dockerfile, --daemon-json) may be anywhere, but must be a
// regular file itself; the machine's /etc/docker/daemon.json is read as the machine has it.
import { existsSync, lstatSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GoModSyntaxError, parseGoMod } from '../detect/gomod.js';
import { detectProject } from '../detect/project.js';
import { RuntimeError, UsageError } from '../errors.js';
import { isBelow, ProjectPathError, projectEntryKind, readOptionalProjectFile } from '../io/project-files.js';
import { InputFileError, isDirectory, MIB, readOptionalInputFile } from '../io/read.js';
import { shown } from '../values/text.js';
import type { DoctorInputs } from './checks.js';
import { dockerignoreRules, ignoreMatcher } from '../values/dockerignore.js';
import { parseDockerfile } from './dockerfile.js';
import { finding, type Finding } from './findings.js';
import { MESSAGES } from './messages.js';
import { ignoreFilesRead } from '../plan/paths.js';
import { WALK_MAX_ENTRIES, walkTree } from '../io/walk.js';

export interface InputPaths {
  dir: string;
  /** Absolute; the default is dir/Dockerfile. */
  dockerfile: string;
  dockerfileGiven: boolean;
  /** Absolute, when one is to be checked. */
  daemonJson?: string;
  daemonJsonGiven?: boolean;
  /** How to show a path in findings. */
  display: (path: string) => string;
}

const INPUT_MAX_BYTES = 4 * MIB;

/**
 * Whose file a path is, which decides how links are treated: the project's (no link anywhere
 * below the project directory), one the user named (the file itself must not be a link; the
 * directories on the way are the user's choice), or the machine's (/etc/docker/daemon.json).
 */
type Owner = 'project' | 'given' | 'machine';

/** A regular file's text; undefined when nothing is there; an error for links, pipes, devices, huge files. */
function readIfFile(path: string, owner: Owner, paths: InputPaths): string | undefined {
  const shownPath = shown(paths.display(path));
  try {
    if (owner === 'project') return readOptionalProjectFile(paths.dir, relative(paths.dir, path), { maxBytes: INPUT_MAX_BYTES });
    return readOptionalInputFile(path, { maxBytes: INPUT_MAX_BYTES, noFollow: owner === 'given' });
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    if (error.code === 'EISDIR') return undefined;
    if (error instanceof ProjectPathError) {
      // Never followed, so nothing of the target is read or shown; the fix names what to replace.
      const what =
        error.link === ''
          ? `it with a regular file${path === paths.dockerfile ? ' (or name the real file with --dockerfile)' : ''}`
          : `${shown(error.link)} with a regular directory`;
      const why = 'doctor reads no file of the project through a link (it could lead outside the project)';
      throw new RuntimeError(`${shownPath}: ${error.reason}; ${why}: replace ${what}.`);
    }
    if (error.code === 'ELOOP' && owner === 'given')
      throw new RuntimeError(`${shownPath}: is a symbolic link; doctor reads only regular files: give the path of the file it points to.`);
    throw new RuntimeError(`${shownPath}: ${error.reason}; doctor reads only regular files.`);
  }
}

/** A path given by flag must name a file: a missing path or a directory is a usage error (exit 2). */
function requireGivenFile(flag: string, path: string, display: (path: string) => string, what: string): void {
  const shownPath = shown(display(path) || '.');
  if (!existsSync(path)) throw new UsageError(`${flag} ${shownPath}: no such file; give the path of ${what}.`);
  if (isDirectory(path)) throw new UsageError(`${flag} ${shownPath}: is a directory; give the path of ${what}.`);
}

/** A file the user did not name: the project's when it is below the project directory, else beside a file the user named. */
function ownerOf(path: string, dir: string): Owner {
  return isBelow(dir, path) ? 'project' : 'given';
}

export function readInputs(paths: InputPaths): DoctorInputs {
  const { dir } = paths;
  // Existence only, and never through a link or above dir: a COPY ../../etc/x must not probe the machine.
  const exists = (relativePath: string): boolean => projectEntryKind(dir, relativePath) !== 'missing';
  const inputs: DoctorInputs = {
    dir,
    hasGoSum: exists('go.sum'),
    hasGoWork: exists('go.work'),
    hasGitDir: exists('.git'),
    vendored: exists(join('vendor', 'modules.txt')),
    exists,
  };
  const goModText = readIfFile(join(dir, 'go.mod'), 'project', paths);
  if (goModText !== undefined) {
    inputs.goModText = goModText;
    try {
      inputs.goMod = parseGoMod(goModText);
    } catch (error) {
      if (!(error instanceof GoModSyntaxError)) throw error;
      inputs.goModError = { line: error.line, message: error.message };
    }
  }
  if (inputs.goMod) {
    // Detection refuses what doctor reports (no go.sum, a replace outside): then the checks
    // that need it (cgo, embeds) are skipped, the others still run. It reads no .go file
    // through a link, for the same reason as above.
    try {
      inputs.project = detectProject(dir, dir, undefined, { followLinks: false });
    } catch (error) {
      if (!(error instanceof RuntimeError)) throw error;
    }
  }
  if (paths.dockerfileGiven) requireGivenFile('--dockerfile', paths.dockerfile, paths.display, 'your Dockerfile');
  if (paths.daemonJsonGiven && paths.daemonJson)
    requireGivenFile('--daemon-json', paths.daemonJson, paths.display, "the Docker daemon's daemon.json");
  const dockerfileText = readIfFile(paths.dockerfile, paths.dockerfileGiven ? 'given' : 'project', paths);
  if (dockerfileText !== undefined)
    inputs.dockerfile = {
      file: paths.display(paths.dockerfile),
      model: parseDockerfile(dockerfileText),
      generated: /^# Generated by create-go-docker /m.test(dockerfileText),
    };
  for (const candidate of ignoreFilesRead(paths.dockerfile, dir)) {
    const text = readIfFile(candidate, ownerOf(candidate, dir), paths);
    if (text !== undefined) {
      inputs.dockerignore = { file: paths.display(candidate), text };
      break;
    }
  }
  if (paths.daemonJson) {
    const owner: Owner = paths.daemonJsonGiven ? 'given' : isBelow(dir, paths.daemonJson) ? 'project' : 'machine';
    const text = readIfFile(paths.daemonJson, owner, paths);
    if (text !== undefined) inputs.daemonJson = { file: paths.display(paths.daemonJson), text };
  }
  return inputs;
}

const LARGE_CONTEXT_BYTES = 100 * 1000 * 1000;

export interface ContextSizeOptions {
  /** Files and directories to look at before stopping (WALK_MAX_ENTRIES). */
  maxEntries?: number;
}

/** Entries between two returns to the event loop, where a SIGTERM or Ctrl-C handler can run. */
const YIELD_EVERY = 1000;

/**
 * What `docker build` would send: files and bytes the .dockerignore leaves, and the largest
 * top-level entries. Counts at most maxEntries entries (a lower bound beyond, said so), and
 * returns to the event loop as it goes, so the run stays stoppable. Unlike detection it looks
 * into vendor/ and node_modules/: Docker sends them unless .dockerignore says otherwise, and
 * a large node_modules is what GCD061 is for.
 */
export async function contextSize(
  dir: string,
  dockerignoreText: string | undefined,
  file: string,
  options: ContextSizeOptions = {},
): Promise<Finding[]> {
  const maxEntries = options.maxEntries ?? WALK_MAX_ENTRIES;
  const rules = dockerignoreRules(dockerignoreText);
  const ignored = ignoreMatcher(rules);
  // A negated rule may re-include something below an ignored directory, so descend unless no rule could.
  const mayReinclude = rules.some((rule) => rule.startsWith('!'));
  const byEntry = new Map<string, number>();
  let files = 0;
  let bytes = 0;
  let capped = false;
  let seen = 0;
  // The walk enters no ignored directory (without "!" rules), so each entry's parents are kept.
  for (const entry of walkTree(dir, { maxEntries, descend: (directory) => mayReinclude || !ignored(directory.relativePath, true) })) {
    if (entry.kind === 'capped') {
      capped = true;
      break;
    }
    if (++seen % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    if (entry.kind === 'unreadable' || entry.kind === 'dir' || ignored(entry.relativePath, true)) continue;
    let size: number;
    try {
      size = lstatSync(entry.path).size;
    } catch {
      continue;
    }
    files++;
    bytes += size;
    const top = entry.relativePath.split('/')[0]!;
    byEntry.set(top, (byEntry.get(top) ?? 0) + size);
  }
  const largest = [...byEntry]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, size]) => `${name} ${formatBytes(size)}`);
  const size = { files, size: formatBytes(bytes), largest, capped, maxEntries };
  const findings = [finding(MESSAGES.contextSize(size), file)];
  if (bytes > LARGE_CONTEXT_BYTES) findings.push(finding(MESSAGES.largeContext(size), file));
  return findings;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

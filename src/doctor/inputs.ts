// doctor's file reads: the module, the Dockerfile, .dockerignore, daemon.json, and the size of
// the build context .dockerignore leaves. Everything the checks need, read once.
import { existsSync, lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { GoModSyntaxError, parseGoMod } from '../detect/gomod.js';
import { detectProject } from '../detect/project.js';
import { isDirectory } from '../detect/filesystem.js';
import { RuntimeError, UsageError } from '../errors.js';
import { posixRelative } from '../io/paths.js';
import { InputFileError, MIB, readOptionalInputFile } from '../io/read.js';
import { quoted } from '../values/text.js';
import type { DoctorInputs } from './checks.js';
import { dockerignoreRules, isIgnored } from '../render/render.js';
import { parseDockerfile } from './dockerfile.js';
import { finding, type Finding } from './findings.js';

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

/** A regular file's text; undefined when nothing is there; an error for pipes, devices, huge files. */
function readIfFile(path: string, display: (path: string) => string): string | undefined {
  try {
    return readOptionalInputFile(path, { maxBytes: INPUT_MAX_BYTES });
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    if (error.code === 'EISDIR') return undefined;
    throw new RuntimeError(`${quoted(display(path)).slice(1, -1)}: ${error.reason}; doctor reads only regular files.`);
  }
}

/** A path given by flag must name a file: a missing path or a directory is a usage error (exit 2). */
function requireGivenFile(flag: string, path: string, display: (path: string) => string, what: string): void {
  const shownPath = quoted(display(path) || '.').slice(1, -1);
  if (!existsSync(path)) throw new UsageError(`${flag} ${shownPath}: no such file; give the path of ${what}.`);
  if (isDirectory(path)) throw new UsageError(`${flag} ${shownPath}: is a directory; give the path of ${what}.`);
}

export function readInputs(paths: InputPaths): DoctorInputs {
  const { dir } = paths;
  const inputs: DoctorInputs = {
    dir,
    hasGoSum: existsSync(join(dir, 'go.sum')),
    hasGoWork: existsSync(join(dir, 'go.work')),
    hasGitDir: existsSync(join(dir, '.git')),
    vendored: existsSync(join(dir, 'vendor', 'modules.txt')),
    exists: (relativePath) => existsSync(join(dir, relativePath)),
  };
  const goModText = readIfFile(join(dir, 'go.mod'), paths.display);
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
    // that need it (cgo, embeds) are skipped, the others still run.
    try {
      inputs.project = detectProject(dir);
    } catch (error) {
      if (!(error instanceof RuntimeError)) throw error;
    }
  }
  if (paths.dockerfileGiven) requireGivenFile('--dockerfile', paths.dockerfile, paths.display, 'your Dockerfile');
  if (paths.daemonJsonGiven && paths.daemonJson) requireGivenFile('--daemon-json', paths.daemonJson, paths.display, "the Docker daemon's daemon.json");
  const dockerfileText = readIfFile(paths.dockerfile, paths.display);
  if (dockerfileText !== undefined) inputs.dockerfile = { file: paths.display(paths.dockerfile), model: parseDockerfile(dockerfileText) };
  // BuildKit prefers Dockerfile.dockerignore beside the Dockerfile, then .dockerignore at the root.
  for (const candidate of [`${paths.dockerfile}.dockerignore`, join(dir, '.dockerignore')]) {
    const text = readIfFile(candidate, paths.display);
    if (text !== undefined) {
      inputs.dockerignore = { file: paths.display(candidate), text };
      break;
    }
  }
  if (paths.daemonJson) {
    const text = readIfFile(paths.daemonJson, paths.display);
    if (text !== undefined) inputs.daemonJson = { file: paths.display(paths.daemonJson), text };
  }
  return inputs;
}

const LARGE_CONTEXT_BYTES = 100 * 1000 * 1000;

/** What `docker build` would send: files and bytes the .dockerignore leaves, and the largest top-level entries. */
export function contextSize(dir: string, dockerignoreText: string | undefined, file: string): Finding[] {
  const rules = dockerignoreRules(dockerignoreText);
  const byEntry = new Map<string, number>();
  let files = 0;
  let bytes = 0;
  const walk = (current: string): void => {
    let names: string[];
    try {
      names = readdirSync(current);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(current, name);
      const relativePath = posixRelative(dir, path);
      // A negated rule may re-include something below an ignored directory, so descend unless no rule could.
      const ignored = isIgnored(rules, relativePath);
      let stat: Stats;
      try {
        stat = lstatSync(path);
      } catch {
        continue;
      }
      if (stat.isDirectory()) {
        if (ignored && !rules.some((rule) => rule.startsWith('!'))) continue;
        walk(path);
        continue;
      }
      if (ignored) continue;
      files++;
      bytes += stat.size;
      const top = relativePath.split('/')[0]!;
      byEntry.set(top, (byEntry.get(top) ?? 0) + stat.size);
    }
  };
  walk(dir);
  const largest = [...byEntry].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([name, size]) => `${name} ${formatBytes(size)}`);
  const summary = `the build context is ${files} files, ${formatBytes(bytes)}${largest.length > 0 ? `; largest: ${largest.join(', ')}` : ''}.`;
  const findings = [finding('GCD060', file, undefined, summary, 'nothing to do; exclude large entries the build does not need in .dockerignore.')];
  if (bytes > LARGE_CONTEXT_BYTES) {
    findings.push(finding('GCD061', file, undefined, `${summary} Sending it slows every build.`, 'exclude what the build does not need (outputs, data, node_modules) in .dockerignore.'));
  }
  return findings;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

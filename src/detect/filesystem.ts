// Detection's file reads: go.mod and go.work, the .go files of every package, the release
// tooling's files. Every read goes through readInputFile (regular files only, size-capped);
// every value handed on is checked (module.ts) or refused with the file and line.
import { readdirSync, type Dirent } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { NotApplicableError, RuntimeError } from '../errors.js';
import { findUp, levelsUp, toPosix } from '../io/paths.js';
import { projectEntryKind } from '../io/project-files.js';
import { entryKind, InputFileError, isFile, MIB, readInputFile, readOptionalInputFile } from '../io/read.js';
import { brandOr, contextPathProblem, goVersionProblem, type ContextPath, type GoVersion } from '../values/kinds.js';
import { quoted, shown } from '../values/text.js';
import type { PackageSources, SourceFile } from './analyze.js';
import {
  readDockerfile,
  readGoreleaser,
  readGoVersionFile,
  readMakefileBuilds,
  readMakefileTags,
  readPromu,
  readScriptBuilds,
  type ScriptBuild,
  type BuildInfo,
  type DeclaredBuild,
  type DockerfileEvidence,
} from './buildinfo.js';
import { GoModSyntaxError, parseGoMod, type GoMod } from './gomod.js';
import { checkModule } from './module.js';
import type { GoModule } from './project.js';
import { parseGoWork, type CheckedGoWork, type GoWork } from './workspace.js';

export const SKIPPED_DIRS = new Set(['vendor', 'testdata', 'node_modules']);
const GO_MOD_MAX_BYTES = 4 * MIB;
/** Generated .go files can be large; the package clause, imports and ports are near the top. */
const GO_FILE_MAX_BYTES = 8 * MIB;
const SMALL_FILE_MAX_BYTES = 1 * MIB;

export function readSmall(path: string, display: string): string | undefined {
  try {
    return readOptionalInputFile(path, { maxBytes: SMALL_FILE_MAX_BYTES });
  } catch (error) {
    if (error instanceof InputFileError) throw new RuntimeError(`${shown(display)}: ${error.reason}; it must be a regular file.`);
    throw error;
  }
}

const RENAME_DIRECTORY = 'rename the directory to letters, digits and . _ + ~ @ -';

export function readWorkspace(text: string, dir: string, dirInput: string): CheckedGoWork {
  const file = posix.join(toPosix(dirInput), 'go.work');
  let work: GoWork;
  try {
    work = parseGoWork(text);
  } catch (error) {
    if (error instanceof GoModSyntaxError)
      throw new RuntimeError(`${shown(file)}:${error.line}: ${error.message}; fix it (go work edit -fmt shows the problem).`);
    throw error;
  }
  const uses: GoWork['uses'] = [];
  for (const use of work.uses) {
    const inside = toPosix(relative(dir, resolve(dir, use.dir)));
    if (inside.startsWith('..') || inside.startsWith('/')) {
      throw new RuntimeError(
        `${shown(file)}:${use.line}: use ${shown(use.dir)} is outside the build context ${shown(dirInput)}; run ` +
          `create-go-docker in a directory that holds every module the workspace uses.`,
      );
    }
    const problem = inside === '' ? undefined : contextPathProblem(inside);
    if (problem)
      throw new RuntimeError(
        `${shown(file)}:${use.line}: use ${quoted(use.dir)} cannot be part of a Docker build context (${problem}); rename the directory.`,
      );
    if (!uses.some((item) => item.dir === inside)) uses.push({ dir: inside, line: use.line });
  }
  if (uses.length === 0) throw new RuntimeError(`${shown(file)}: uses no module; add one (go work use ./module) or remove go.work.`);
  const version = (directive: string, value: string | undefined, line = 1): GoVersion | undefined =>
    value === undefined
      ? undefined
      : brandOr<GoVersion>(value, goVersionProblem, (problem) => {
          throw new RuntimeError(
            `${shown(file)}:${line}: ${directive} ${quoted(value)} is not a Go version (${problem}); write e.g. go 1.26.`,
          );
        });
  const goVersion = version('go', work.goVersion, work.lines.go);
  return { ...work, uses, goVersion, toolchain: version('toolchain', work.toolchain, work.lines.toolchain) };
}

export function readModule(root: string, moduleDir: string, dirInput: string): GoModule {
  const display = posix.join(toPosix(dirInput), moduleDir, 'go.mod');
  let text: string;
  try {
    text = readInputFile(join(root, moduleDir, 'go.mod'), { maxBytes: GO_MOD_MAX_BYTES });
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    throw new RuntimeError(
      `${shown(display)}: ${error.reason}; it must be the module's go.mod file${moduleDir === '' ? '' : ' (go.work uses this directory)'}.`,
    );
  }
  let goMod: GoMod;
  try {
    goMod = parseGoMod(text);
  } catch (error) {
    if (error instanceof GoModSyntaxError)
      throw new RuntimeError(`${shown(display)}:${error.line}: ${error.message}; fix it (go mod edit -fmt shows the problem).`);
    throw error;
  }
  return { dir: moduleDir, goMod, module: checkModule(goMod, display), hasGoSum: isFile(join(root, moduleDir, 'go.sum')) };
}

/**
 * Local replace targets, relative to the context root. One outside the context cannot be in the
 * build: refused with a fix that works, unless vendor/ already holds it.
 */
export function replaceDirs(
  root: string,
  dirInput: string,
  modules: readonly GoModule[],
  vendored: boolean,
  inWorkspace: boolean,
): ContextPath[] {
  const dirs: ContextPath[] = [];
  for (const module of modules) {
    const display = posix.join(toPosix(dirInput), module.dir, 'go.mod');
    for (const replacement of module.goMod.replaces.filter((item) => item.isLocal)) {
      const target = resolve(root, module.dir, replacement.to);
      const inside = toPosix(relative(root, target));
      if (inside.startsWith('..') || target === resolve('/') || inside.includes('../')) {
        if (vendored) continue;
        const workspaceRoot = inWorkspace ? undefined : enclosingWorkspace(root);
        const fix = workspaceRoot
          ? `run create-go-docker in the workspace root ${shown(workspaceRoot)} (the build context must hold ` +
            `${shown(replacement.to)}) and choose this module's main with --main, or vendor it (go mod vendor)`
          : 'vendor it (go mod vendor), publish the module, or run create-go-docker in a parent directory that holds both (with a go.work)';
        throw new RuntimeError(
          `${shown(display)}:${replacement.line}: replace ${shown(replacement.from)} => ${shown(replacement.to)} points ` +
            `outside the build context ${shown(dirInput)}; ${fix}.`,
        );
      }
      if (inside === '' || modules.some((item) => item.dir === inside)) continue;
      const dir = brandOr<ContextPath>(inside, contextPathProblem, (problem) => {
        const target = `${shown(display)}:${replacement.line}: replace target ${quoted(replacement.to)}`;
        throw new RuntimeError(`${target} cannot be mounted into a Docker build (${problem}); ${RENAME_DIRECTORY}.`);
      });
      if (!dirs.includes(dir)) dirs.push(dir);
    }
  }
  return dirs;
}

/** The nearest parent directory holding a go.work, relative to `dir`, if any. */
function enclosingWorkspace(dir: string): string | undefined {
  return enclosing(dir, 'go.work');
}

/** The nearest parent directory holding `file`, relative to `dir`. */
function enclosing(dir: string, file: string): string | undefined {
  const found = findUp(dirname(dir), (current) => (isFile(join(current, file)) ? current : undefined));
  return found === undefined ? undefined : relative(dir, found) || '.';
}

export function requireGoSum(module: GoModule, dirInput: string, vendored: boolean, modules: readonly GoModule[]): void {
  const local = (path: string) =>
    module.goMod.replaces.some((rep) => rep.isLocal && rep.from === path) || modules.some((item) => item.module.path === path);
  const external = module.goMod.requires.filter((req) => !local(req.path));
  if (!module.hasGoSum && !vendored && external.length > 0) {
    throw new RuntimeError(
      `${shown(posix.join(toPosix(dirInput), module.dir, 'go.sum'))}: missing, but go.mod requires ${external.length} ` +
        `module${external.length > 1 ? 's' : ''}; run go mod tidy and commit go.sum, or the build fails with "missing go.sum entry".`,
    );
  }
}

export function noModule(dir: string, dirInput: string): never {
  const modules = findNestedModules(dir);
  const above = enclosingModule(dir);
  if (above) {
    throw new RuntimeError(
      `${shown(dirInput)}: no go.mod here; it is inside the module at ${shown(above)}: run create-go-docker there (go ` +
        `build works from the module root).`,
    );
  }
  if (modules.length > 0) {
    const choices = modules.slice(0, 5).join(', ');
    throw new RuntimeError(
      `${shown(dirInput)}: no go.mod here, but ${modules.length} module${modules.length > 1 ? 's' : ''} below ` +
        `(${choices}); run create-go-docker in one of them, e.g. create-go-docker ` +
        `${posix.join(toPosix(dirInput), modules[0]!)}, or add a go.work here that uses them.`,
    );
  }
  // Nothing here, above or below: not this tool's to do (exit 3), unlike a module it cannot read.
  throw new NotApplicableError(
    `${shown(dirInput)}: no go.mod found; run create-go-docker in a Go module (go mod init <module-path> creates one).`,
  );
}

/**
 * Where the go command would work from dir: dir itself when it holds a go.mod or go.work, else
 * the nearest directory above with a go.mod (absolute), else undefined.
 */
export function moduleRootAbove(dir: string): string | undefined {
  if (isFile(join(dir, 'go.mod')) || isFile(join(dir, 'go.work'))) return undefined;
  const above = enclosingModule(dir);
  return above === undefined ? undefined : join(dir, above);
}

/** The nearest parent directory with a go.mod, relative to `dir`, as the go command finds it. */
function enclosingModule(dir: string): string | undefined {
  return enclosing(dir, 'go.mod');
}

export function readBuildInfo(dir: string): BuildInfo {
  const info: BuildInfo = { builds: [], tags: [] };
  const promu = readHint(join(dir, '.promu.yml'));
  const makefile = readHint(join(dir, 'Makefile')) ?? readHint(join(dir, 'makefile'));
  // A module in a sub-directory (backend/) may be released by the repository's root config (dir: backend).
  const goreleaser = goreleaserFor(dir, promu === undefined);
  if (goreleaser !== undefined) {
    const read = readGoreleaser(goreleaser.text);
    info.builds.push(...read.builds.flatMap((build) => withinModule(build, goreleaser.moduleDir)));
    if (read.imageIds) info.imageIds = read.imageIds;
    if (read.tags.length > 0) {
      info.tags = read.tags;
      info.tagsSource = goreleaser.path;
    }
  }
  if (promu !== undefined) {
    const read = readPromu(promu);
    info.builds.push(...read.builds);
    if (info.tags.length === 0 && read.tags.length > 0) {
      info.tags = read.tags;
      info.tagsSource = '.promu.yml';
    }
    if (read.goVersion) {
      info.goVersion = read.goVersion;
      info.goVersionSource = '.promu.yml';
    }
  }
  // Parsed once: the default build's tags, and each target's builds below.
  const makefileBuilds = makefile === undefined ? [] : readMakefileBuilds(makefile);
  if (info.tags.length === 0 && makefile !== undefined) {
    const tags = readMakefileTags(makefile, makefileBuilds);
    if (tags.length > 0) {
      info.tags = tags;
      info.tagsSource = 'Makefile';
    }
  }
  const dockerfiles = readDockerfiles(dir);
  if (dockerfiles.length > 0) info.dockerfiles = dockerfiles.map((file) => file.evidence);
  const scriptBuilds = [
    ...dockerfiles.flatMap((file) => file.builds),
    ...makefileBuilds,
    ...BUILD_SCRIPTS.flatMap((path) => {
      const text = readHint(join(dir, path));
      return text === undefined ? [] : readScriptBuilds(path, text);
    }),
  ];
  if (scriptBuilds.length > 0) info.scriptBuilds = scriptBuilds;
  const goVersionFile = readHint(join(dir, '.go-version'));
  const goVersion = goVersionFile === undefined ? undefined : readGoVersionFile(goVersionFile);
  if (goVersion) {
    info.goVersion = goVersion;
    info.goVersionSource = '.go-version';
  }
  return info;
}

/** Where projects keep their Dockerfiles, besides the root. */
const DOCKERFILE_DIRS = ['', 'docker', 'dockerfiles', 'build', 'build/docker', 'build/package/docker', 'deploy', 'deployments', '.docker'];
const DOCKERFILE_NAME = /^(?:Dockerfile(?:[.-][\w.-]+)?|[\w.-]+\.Dockerfile)$/i;

/** Build scripts whose go build lines say how the project builds a main (alist's build.sh: -tags=jsoniter). */
const BUILD_SCRIPTS = ['build.sh', 'scripts/build.sh', 'script/build.sh', 'hack/build.sh', 'build/build.sh'];

/** The project's own Dockerfiles (Dockerfile, Dockerfile-for-frps, dockerfiles/*, server.Dockerfile), never one we generated. */
function readDockerfiles(dir: string): { evidence: DockerfileEvidence; builds: ScriptBuild[] }[] {
  const found: { evidence: DockerfileEvidence; builds: ScriptBuild[] }[] = [];
  for (const sub of DOCKERFILE_DIRS) {
    for (const entry of safeReaddir(join(dir, sub))) {
      if (!entry.isFile() || !DOCKERFILE_NAME.test(entry.name)) continue;
      const path = sub === '' ? entry.name : `${sub}/${entry.name}`;
      const text = readHint(join(dir, path));
      // Ours says so on its first line (templates/Dockerfile.hbs): it repeats a choice, it is no evidence for one.
      if (text !== undefined && !text.startsWith('# Generated by create-go-docker'))
        found.push({ evidence: readDockerfile(path, text), builds: readScriptBuilds(path, text) });
    }
  }
  return found;
}

/** A small file that hints at how the project builds: its text, or undefined when absent or unreadable. */
function readHint(path: string): string | undefined {
  try {
    return readOptionalInputFile(path, { maxBytes: SMALL_FILE_MAX_BYTES });
  } catch {
    return undefined;
  }
}

/**
 * The .goreleaser.yml that releases dir: its own, else (when `lookAbove`) the one of the
 * repository that holds dir, up to the directory with .git and at most four levels up; with
 * dir's path inside the directory the config is in ("" for its own).
 */
function goreleaserFor(dir: string, lookAbove: boolean): { text: string; path: string; moduleDir: string } | undefined {
  const levels = levelsUp(4);
  const releasesFrom = (current: string) => {
    for (const name of ['.goreleaser.yaml', '.goreleaser.yml']) {
      const text = readHint(join(current, name));
      if (text !== undefined)
        return { text, path: toPosix(relative(dir, join(current, name))), moduleDir: toPosix(relative(current, dir)) };
    }
    return undefined;
  };
  return findUp(dir, releasesFrom, (current) => !lookAbove || entryKind(join(current, '.git')) !== 'missing' || levels());
}

/** A build of the config as one of the module's: its dir made module-relative (the module's own config: as written). */
function withinModule(build: DeclaredBuild, moduleDir: string): DeclaredBuild[] {
  if (moduleDir === '') return [build];
  const dir = posix.normalize(build.dir ?? '.');
  if (dir !== moduleDir && !dir.startsWith(`${moduleDir}/`)) return [];
  const inside = dir === moduleDir ? '' : dir.slice(moduleDir.length + 1);
  const { dir: _dropped, ...rest } = build;
  return [inside === '' ? rest : { ...rest, dir: inside }];
}

/** Directories below `dir` (three levels at most) that hold a go.mod, printable names only. */
function findNestedModules(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string, depth: number): void => {
    if (depth > 3) return;
    for (const entry of safeReaddir(current)) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
      const child = join(current, entry.name);
      const display = toPosix(relative(dir, child));
      if (isFile(join(child, 'go.mod'))) {
        if (contextPathProblem(display) === undefined) found.push(display);
      } else walk(child, depth + 1);
    }
  };
  walk(dir, 1);
  return found.sort();
}

function safeReaddir(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

/**
 * Every package directory of a module, with its .go files' text; nested modules are listed.
 * Directories reached through a link are never walked; .go files that are links are read only
 * when followLinks (a go.work module directory that is a link is then skipped too).
 */
export function scanModule(
  root: string,
  module: GoModule,
  moduleDirs: readonly string[],
  packages: PackageSources[],
  nestedModules: string[],
  followLinks = true,
): void {
  if (!followLinks && projectEntryKind(root, module.dir) !== 'dir') return;
  const walk = (dir: string): void => {
    const entries = safeReaddir(dir);
    const relativeDir = toPosix(relative(root, dir));
    const files: SourceFile[] = [];
    for (const entry of entries) {
      if (!entry.name.endsWith('.go') || entry.isDirectory() || (!followLinks && entry.isSymbolicLink())) continue;
      const text = readGoFile(join(dir, entry.name));
      if (text !== undefined) files.push({ name: entry.name, text });
    }
    if (files.length > 0) packages.push({ dir: relativeDir, modulePath: module.module.path, moduleDir: module.dir, files });
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      if (entry.name.startsWith('.') || entry.name.startsWith('_') || SKIPPED_DIRS.has(entry.name)) continue;
      const child = join(dir, entry.name);
      if (isFile(join(child, 'go.mod'))) {
        // Another module: part of this build when go.work uses it, else listed as left out.
        const childDir = toPosix(relative(root, child));
        if (!moduleDirs.includes(childDir) && contextPathProblem(childDir) === undefined) nestedModules.push(childDir);
        continue;
      }
      walk(child);
    }
  };
  walk(join(root, module.dir));
}

/** A .go file's text; undefined for what go build would not read either (links to nothing, pipes). */
function readGoFile(path: string): string | undefined {
  try {
    return readInputFile(path, { maxBytes: GO_FILE_MAX_BYTES, truncate: true });
  } catch (error) {
    if (error instanceof InputFileError) return undefined;
    throw error;
  }
}

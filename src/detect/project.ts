// Reads a Go module directory: go.mod, go.sum, go.work, vendor/, main packages, cgo, embed
// patterns, ports and version variables. All file reads of detection happen here, through
// readInputFile (regular files only, size-capped), and every value detection hands on is
// checked (module.ts): a hostile go.mod or directory name is an error or a skipped package,
// never text in a generated file.
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join, posix, relative, resolve, sep } from 'node:path';
import { RuntimeError } from '../errors.js';
import { InputFileError, MIB, readInputFile } from '../io/read.js';
import { binaryNameProblem, contextPathProblem, ignorePatternProblem, packagePathProblem, type ContextPath, type GoIdentifier, type IgnorePattern, type ModulePath, type PackagePath } from '../values/kinds.js';
import { quoted } from '../values/text.js';
import { GoModSyntaxError, parseGoMod, type GoMod } from './gomod.js';
import { findEmbedPatterns, findPorts, findVersionVariable, importsC, isBuildIgnored, stripComments } from './source.js';
import { checkModule, type CheckedModule } from './module.js';

export interface MainPackage {
  /** As `go build` takes it: "." or "./cmd/api". */
  packagePath: PackagePath;
  /** What go build names the binary: the directory's name (the module's for the root). */
  binaryName: string;
  ports: number[];
  /** Name of a package-level version variable to stamp with -X, if any. */
  versionVariable?: GoIdentifier;
}

/** A main package go build cannot build (its directory is no valid import path), and why. */
export interface SkippedMain {
  dir: string;
  reason: string;
}

export interface Project {
  dir: string;
  /** go.mod as written, for doctor's own checks; files use `module`. */
  goMod: GoMod;
  /** go.mod's values, checked. */
  module: CheckedModule;
  hasGoSum: boolean;
  hasGoWork: boolean;
  vendored: boolean;
  mainPackages: MainPackage[];
  skippedMains: SkippedMain[];
  /** Why cgo is needed (a file or a dependency), empty when it is not. */
  cgoReasons: string[];
  /** Embedded paths relative to the module root, e.g. "web/static/*". */
  embedPatterns: IgnorePattern[];
  /** Module-root-relative directories of `replace ... => ./dir`, each needing its go.mod. */
  localReplaceDirs: ContextPath[];
}

/** Dependencies that need cgo even though the project's own code does not import "C". */
const CGO_DEPENDENCIES = [
  'github.com/mattn/go-sqlite3',
  'github.com/confluentinc/confluent-kafka-go',
  'github.com/linxGnu/grocksdb',
  'github.com/tecbot/gorocksdb',
  'github.com/miekg/pkcs11',
  'github.com/DataDog/zstd',
  'github.com/google/gopacket/pcap',
];

export const SKIPPED_DIRS = new Set(['vendor', 'testdata', 'node_modules']);
const GO_MOD_MAX_BYTES = 4 * MIB;
/** Generated .go files can be large; the package clause, imports and ports are near the top. */
const GO_FILE_MAX_BYTES = 8 * MIB;

/** `dir` is absolute; `dirInput` is how the user named it, for messages. */
export function detectProject(dir: string, dirInput: string = dir): Project {
  if (!isDirectory(dir)) {
    throw new RuntimeError(`${quoted(dirInput).slice(1, -1)}: no such directory; give the directory of your Go module.`);
  }
  const goModPath = join(dir, 'go.mod');
  const shownGoMod = posix.join(toPosix(dirInput), 'go.mod');
  const goModText = readGoMod(goModPath, shownGoMod, dir, dirInput);
  let goMod: GoMod;
  try {
    goMod = parseGoMod(goModText);
  } catch (error) {
    if (error instanceof GoModSyntaxError) {
      throw new RuntimeError(`${shownGoMod}:${error.line}: ${error.message}; fix it (go mod edit -fmt shows the problem).`);
    }
    throw error;
  }
  const module = checkModule(goMod, shownGoMod);

  const localReplaceDirs: ContextPath[] = [];
  for (const replacement of goMod.replaces.filter((item) => item.isLocal)) {
    const target = resolve(dir, replacement.to);
    const inside = toPosix(relative(dir, target));
    if (inside.startsWith('..') || target === resolve('/') || inside.includes('../')) {
      throw new RuntimeError(
        `${shownGoMod}:${replacement.line}: replace ${quoted(replacement.from).slice(1, -1)} => ${quoted(replacement.to).slice(1, -1)} points outside the build context ${quoted(dirInput).slice(1, -1)}; vendor it (go mod vendor), publish the module, or move it inside the module directory.`,
      );
    }
    if (inside === '') continue;
    const problem = contextPathProblem(inside);
    if (problem) {
      throw new RuntimeError(`${shownGoMod}:${replacement.line}: replace target ${quoted(replacement.to)} cannot be mounted into a Docker build (${problem}); rename the directory to letters, digits and . _ + ~ @ -.`);
    }
    if (!localReplaceDirs.includes(inside as ContextPath)) localReplaceDirs.push(inside as ContextPath);
  }

  const hasGoSum = isFile(join(dir, 'go.sum'));
  const vendored = isFile(join(dir, 'vendor', 'modules.txt'));
  const externalRequires = goMod.requires.filter((req) => !goMod.replaces.some((rep) => rep.isLocal && rep.from === req.path));
  if (!hasGoSum && !vendored && externalRequires.length > 0) {
    throw new RuntimeError(
      `${posix.join(toPosix(dirInput), 'go.sum')}: missing, but go.mod requires ${externalRequires.length} module${externalRequires.length > 1 ? 's' : ''}; run go mod tidy and commit go.sum, or the build fails with "missing go.sum entry".`,
    );
  }

  const scan = scanPackages(dir, module.path);
  const cgoReasons = [...scan.cgoFiles.map((file) => `${file} imports "C"`)];
  for (const dependency of CGO_DEPENDENCIES) {
    const found = module.requires.find((path) => path === dependency || path.startsWith(`${dependency}/`));
    if (found) cgoReasons.push(`requires ${found}`);
  }
  return {
    dir,
    goMod,
    module,
    hasGoSum,
    hasGoWork: isFile(join(dir, 'go.work')),
    vendored,
    mainPackages: scan.mainPackages,
    skippedMains: scan.skippedMains,
    cgoReasons,
    embedPatterns: scan.embedPatterns,
    localReplaceDirs,
  };
}

function readGoMod(goModPath: string, shown: string, dir: string, dirInput: string): string {
  try {
    return readInputFile(goModPath, { maxBytes: GO_MOD_MAX_BYTES });
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    if (error.code !== 'ENOENT') throw new RuntimeError(`${shown}: ${error.reason}; it must be the module's go.mod file.`);
  }
  const modules = findNestedModules(dir);
  if (modules.length > 0) {
    const choices = modules.slice(0, 5).join(', ');
    throw new RuntimeError(
      `${quoted(dirInput).slice(1, -1)}: no go.mod here, but ${modules.length} module${modules.length > 1 ? 's' : ''} below (${choices}); run create-go-docker in one of them, e.g. create-go-docker ${posix.join(toPosix(dirInput), modules[0]!)}.`,
    );
  }
  throw new RuntimeError(`${quoted(dirInput).slice(1, -1)}: no go.mod found; run create-go-docker in a Go module (go mod init <module-path> creates one).`);
}

export function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function isDirectory(path: string): boolean {
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

/** Directories below `dir` (three levels at most) that hold a go.mod, printable names only. */
function findNestedModules(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string, depth: number): void => {
    if (depth > 3) return;
    for (const entry of safeReaddir(current)) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
      const child = join(current, entry.name);
      const shown = toPosix(relative(dir, child));
      if (isFile(join(child, 'go.mod'))) {
        if (contextPathProblem(shown) === undefined) found.push(shown);
      } else walk(child, depth + 1);
    }
  };
  walk(dir, 1);
  return found.sort();
}

export function safeReaddir(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

interface ScanResult {
  mainPackages: MainPackage[];
  skippedMains: SkippedMain[];
  cgoFiles: string[];
  embedPatterns: IgnorePattern[];
}

function scanPackages(moduleDir: string, modulePath: ModulePath): ScanResult {
  const result: ScanResult = { mainPackages: [], skippedMains: [], cgoFiles: [], embedPatterns: [] };
  const walk = (dir: string): void => {
    const entries = safeReaddir(dir);
    const relativeDir = toPosix(relative(moduleDir, dir));
    const packagePath = relativeDir === '' ? '.' : `./${relativeDir}`;
    // go build cannot build a package whose directory is no valid import path: it is not ours to read.
    const packageProblem = packagePathProblem(packagePath);
    let isMain = false;
    let hasMainFunc = false;
    const ports = new Set<number>();
    let versionVariable: GoIdentifier | undefined;
    for (const entry of entries) {
      if (!entry.name.endsWith('.go') || entry.name.endsWith('_test.go') || entry.isDirectory()) continue;
      const source = readGoFile(join(dir, entry.name));
      if (source === undefined || isBuildIgnored(source)) continue;
      const packageName = /^\s*package\s+(\w+)/m.exec(stripComments(source))?.[1];
      if (packageName === 'main') {
        isMain = true;
        if (/^func\s+main\s*\(\s*\)/m.test(source)) hasMainFunc = true;
        for (const port of findPorts(source)) ports.add(port);
        versionVariable ??= findVersionVariable(source);
      }
      if (packageProblem) continue;
      const fileRelative = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
      if (importsC(source)) result.cgoFiles.push(contextPathProblem(fileRelative) === undefined ? fileRelative : `a .go file in ${packagePath}`);
      for (const embed of findEmbedPatterns(source)) {
        const rooted = relativeDir === '' ? embed.pattern : `${relativeDir}/${embed.pattern}`;
        const problem = ignorePatternProblem(rooted);
        if (problem) {
          throw new RuntimeError(`${fileRelative}:${embed.line}: //go:embed pattern ${quoted(embed.pattern)} cannot be kept in .dockerignore (${problem}); rename the embedded files or the pattern.`);
        }
        if (!result.embedPatterns.includes(rooted as IgnorePattern)) result.embedPatterns.push(rooted as IgnorePattern);
      }
    }
    if (isMain && hasMainFunc) {
      const binaryName = binaryNameFor(relativeDir, modulePath);
      if (packageProblem || binaryNameProblem(binaryName)) {
        result.skippedMains.push({ dir: packagePath, reason: `not a valid Go import path (${packageProblem ?? binaryNameProblem(binaryName)}), so go build cannot build it` });
      } else {
        const main: MainPackage = { packagePath: packagePath as PackagePath, binaryName, ports: [...ports].sort((a, b) => a - b) };
        if (versionVariable) main.versionVariable = versionVariable;
        result.mainPackages.push(main);
      }
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      if (entry.name.startsWith('.') || entry.name.startsWith('_') || SKIPPED_DIRS.has(entry.name)) continue;
      // A nested module is not part of this one.
      if (isFile(join(dir, entry.name, 'go.mod'))) continue;
      walk(join(dir, entry.name));
    }
  };
  walk(moduleDir);
  return result;
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

/** go build names a binary after its directory, or the module path's last element for the root. */
export function binaryNameFor(relativeDir: string, modulePath: string): string {
  const elements = (relativeDir === '' ? modulePath : relativeDir).split('/').filter(Boolean);
  let name = elements[elements.length - 1] ?? 'app';
  // example.com/svc/v2 builds a binary named "svc".
  if (relativeDir === '' && /^v\d+$/.test(name) && elements.length > 1) name = elements[elements.length - 2]!;
  return name;
}

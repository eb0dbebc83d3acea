// Reads a Go module directory: go.mod, go.sum, go.work, vendor/, main packages, cgo, embed
// patterns, ports and version variables. All file reads of detection happen here.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix, relative, resolve, sep } from 'node:path';
import { RuntimeError } from '../errors.js';
import { GoModSyntaxError, parseGoMod, type GoMod } from './gomod.js';

export interface MainPackage {
  /** As `go build` takes it: "." or "./cmd/api". */
  packagePath: string;
  /** Binary and image-stage name. */
  binaryName: string;
  ports: number[];
  /** Name of a package-level version variable to stamp with -X, if any. */
  versionVariable?: string;
}

export interface Project {
  dir: string;
  goMod: GoMod;
  hasGoSum: boolean;
  hasGoWork: boolean;
  vendored: boolean;
  mainPackages: MainPackage[];
  /** Why cgo is needed (a file or a dependency), empty when it is not. */
  cgoReasons: string[];
  /** Embedded paths relative to the module root, e.g. "web/static/*". */
  embedPatterns: string[];
  /** Module-root-relative directories of `replace ... => ./dir`, each needing its go.mod. */
  localReplaceDirs: string[];
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

const SKIPPED_DIRS = new Set(['vendor', 'testdata', 'node_modules']);

/** `dir` is absolute; `dirInput` is how the user named it, for messages. */
export function detectProject(dir: string, dirInput: string = dir): Project {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new RuntimeError(`${dirInput}: no such directory; give the directory of your Go module.`);
  }
  const goModPath = join(dir, 'go.mod');
  const hasGoWork = existsSync(join(dir, 'go.work'));
  if (!existsSync(goModPath)) {
    const modules = findNestedModules(dir);
    if (modules.length > 0) {
      const choices = modules.slice(0, 5).join(', ');
      throw new RuntimeError(
        `${dirInput}: no go.mod here, but ${modules.length} module${modules.length > 1 ? 's' : ''} below (${choices}); run create-go-docker in one of them, e.g. create-go-docker ${posix.join(toPosix(dirInput), modules[0]!)}.`,
      );
    }
    throw new RuntimeError(`${dirInput}: no go.mod found; run create-go-docker in a Go module (go mod init <module-path> creates one).`);
  }
  let goMod: GoMod;
  try {
    goMod = parseGoMod(readFileSync(goModPath, 'utf8'));
  } catch (error) {
    if (error instanceof GoModSyntaxError) {
      throw new RuntimeError(`${join(dirInput, 'go.mod')}:${error.line}: ${error.message}; fix it (go mod edit -fmt shows the problem).`);
    }
    throw error;
  }

  const localReplaceDirs: string[] = [];
  for (const replacement of goMod.replaces.filter((item) => item.isLocal)) {
    const target = resolve(dir, replacement.to);
    const inside = relative(dir, target);
    if (inside.startsWith('..') || resolve(target) === resolve('/') || inside.includes(`..${sep}`)) {
      throw new RuntimeError(
        `go.mod:${replacement.line}: replace ${replacement.from} => ${replacement.to} points outside the build context ${dirInput}; vendor it (go mod vendor), publish the module, or move it inside the module directory.`,
      );
    }
    if (inside !== '' && !localReplaceDirs.includes(toPosix(inside))) localReplaceDirs.push(toPosix(inside));
  }

  const hasGoSum = existsSync(join(dir, 'go.sum'));
  const vendored = existsSync(join(dir, 'vendor', 'modules.txt'));
  const externalRequires = goMod.requires.filter((req) => !goMod.replaces.some((rep) => rep.isLocal && rep.from === req.path));
  if (!hasGoSum && !vendored && externalRequires.length > 0) {
    throw new RuntimeError(
      `${join(dirInput, 'go.sum')}: missing, but go.mod requires ${externalRequires.length} module${externalRequires.length > 1 ? 's' : ''}; run go mod tidy and commit go.sum, or the build fails with "missing go.sum entry".`,
    );
  }

  const scan = scanPackages(dir, goMod.modulePath);
  const cgoReasons = [...scan.cgoFiles.map((file) => `${file} imports "C"`)];
  for (const dependency of CGO_DEPENDENCIES) {
    const found = goMod.requires.find((req) => req.path === dependency || req.path.startsWith(`${dependency}/`));
    if (found) cgoReasons.push(`requires ${found.path}`);
  }
  return {
    dir,
    goMod,
    hasGoSum,
    hasGoWork,
    vendored,
    mainPackages: scan.mainPackages,
    cgoReasons,
    embedPatterns: scan.embedPatterns,
    localReplaceDirs,
  };
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/** Directories below `dir` (three levels at most) that hold a go.mod. */
function findNestedModules(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string, depth: number): void => {
    if (depth > 3) return;
    for (const entry of safeReaddir(current)) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
      const child = join(current, entry.name);
      if (existsSync(join(child, 'go.mod'))) found.push(toPosix(relative(dir, child)));
      else walk(child, depth + 1);
    }
  };
  walk(dir, 1);
  return found.sort();
}

function safeReaddir(dir: string): import('node:fs').Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

interface ScanResult {
  mainPackages: MainPackage[];
  cgoFiles: string[];
  embedPatterns: string[];
}

function scanPackages(moduleDir: string, modulePath: string): ScanResult {
  const result: ScanResult = { mainPackages: [], cgoFiles: [], embedPatterns: [] };
  const walk = (dir: string): void => {
    const entries = safeReaddir(dir).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const relativeDir = toPosix(relative(moduleDir, dir));
    let isMain = false;
    let hasMainFunc = false;
    const ports = new Set<number>();
    let versionVariable: string | undefined;
    for (const entry of entries) {
      if (entry.isDirectory()) continue;
      if (!entry.name.endsWith('.go') || entry.name.endsWith('_test.go')) continue;
      const source = readFileSync(join(dir, entry.name), 'utf8');
      if (isBuildIgnored(source)) continue;
      const packageName = /^\s*package\s+(\w+)/m.exec(stripComments(source))?.[1];
      if (packageName === 'main') {
        isMain = true;
        if (/^func\s+main\s*\(\s*\)/m.test(source)) hasMainFunc = true;
        for (const port of findPorts(source)) ports.add(port);
        versionVariable ??= findVersionVariable(source);
      }
      const fileRelative = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
      if (importsC(source)) result.cgoFiles.push(fileRelative);
      for (const pattern of findEmbedPatterns(source)) {
        const rooted = relativeDir === '' ? pattern : `${relativeDir}/${pattern}`;
        if (!result.embedPatterns.includes(rooted)) result.embedPatterns.push(rooted);
      }
    }
    if (isMain && hasMainFunc) {
      const packagePath = relativeDir === '' ? '.' : `./${relativeDir}`;
      const main: MainPackage = {
        packagePath,
        binaryName: binaryNameFor(relativeDir, modulePath),
        ports: [...ports].sort((a, b) => a - b),
      };
      if (versionVariable) main.versionVariable = versionVariable;
      result.mainPackages.push(main);
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      if (entry.name.startsWith('.') || entry.name.startsWith('_') || SKIPPED_DIRS.has(entry.name)) continue;
      // A nested module is not part of this one.
      if (existsSync(join(dir, entry.name, 'go.mod'))) continue;
      walk(join(dir, entry.name));
    }
  };
  walk(moduleDir);
  return result;
}

/** go build names a binary after its directory, or the module path's last element for the root. */
export function binaryNameFor(relativeDir: string, modulePath: string): string {
  const elements = (relativeDir === '' ? modulePath : relativeDir).split('/').filter(Boolean);
  let name = elements[elements.length - 1] ?? 'app';
  // example.com/svc/v2 builds a binary named "svc".
  if (relativeDir === '' && /^v\d+$/.test(name) && elements.length > 1) name = elements[elements.length - 2]!;
  return name;
}

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

/** `//go:build ignore` (or the old `// +build ignore`) before the package clause. */
function isBuildIgnored(source: string): boolean {
  const header = source.slice(0, source.search(/^\s*package\s/m) >>> 0);
  return /^\/\/go:build\s+ignore\s*$/m.test(header) || /^\/\/\s*\+build\s+ignore\s*$/m.test(header);
}

function importsC(source: string): boolean {
  const code = stripComments(source);
  if (/^\s*import\s+"C"/m.test(code)) return true;
  for (const block of code.matchAll(/^\s*import\s*\(([\s\S]*?)\)/gm)) {
    if (/^\s*"C"\s*$/m.test(block[1]!)) return true;
  }
  return false;
}

function findEmbedPatterns(source: string): string[] {
  const patterns: string[] = [];
  for (const match of source.matchAll(/^\/\/go:embed\s+(.+)$/gm)) {
    for (const token of match[1]!.matchAll(/"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g)) {
      const pattern = (token[1] ?? token[2] ?? token[3]!).replace(/^all:/, '');
      patterns.push(pattern);
    }
  }
  return patterns;
}

/** Listen addresses written as literals: ":8080", "0.0.0.0:8080". */
function findPorts(source: string): number[] {
  const ports: number[] = [];
  for (const match of stripComments(source).matchAll(/"(?:0\.0\.0\.0|\[::\])?:(\d{2,5})"/g)) {
    const port = Number(match[1]);
    if (port >= 1 && port <= 65535) ports.push(port);
  }
  return ports;
}

/** A package-level `var version string` / `var Version = "dev"` that -X can set. */
function findVersionVariable(source: string): string | undefined {
  const code = stripComments(source);
  const single = /^var\s+(version|Version)\s*(?:string\s*)?(?:=\s*"[^"\n]*")?\s*$/m.exec(code);
  if (single) return single[1];
  for (const block of code.matchAll(/^var\s*\(([\s\S]*?)^\)/gm)) {
    const inBlock = /^\s+(version|Version)\s*(?:string\s*)?(?:=\s*"[^"\n]*")?\s*$/m.exec(block[1]!);
    if (inBlock) return inBlock[1];
  }
  return undefined;
}

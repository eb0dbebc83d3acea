// From a project's sources to what each main package is: which files go build compiles (build
// constraints and tags), the packages it imports from the module, whether it serves, where it
// listens, which empty version variables it has, whether it needs cgo, and what role its path
// suggests (the product, an example, a test helper, a dev script, a generator). Pure: the
// sources were read by project.ts; plan/targets.ts ranks the result.
import { posix } from 'node:path';
import {
  binaryNameProblem,
  brandIf,
  brandValid,
  goIdentifierProblem,
  packagePathProblem,
  type GoIdentifier,
  type PackagePath,
} from '../values/kinds.js';
import { filesReadAtStart, type ConfigFile, type StartFile } from './config-files.js';
import { usageOnlyRoot, type UsageOnlyRoot } from './commands.js';
import { buildLine, fileIsBuilt } from './constraints.js';
import { findHealthProbe, findHealthRoute, type HealthProbe, type HealthRoute } from './health.js';
import { listenPlan, type ListenPlan } from './listen.js';
import { findPorts, type SourceText } from './ports.js';
import { findPrograms, type ProgramUse } from './programs.js';
import { findEmbedPatterns, stripComments } from './source.js';

export interface SourceFile {
  name: string;
  text: string;
}

/** A directory of .go files in one of the project's modules. */
export interface PackageSources {
  /** Relative to the context root, posix; "" for the root. */
  dir: string;
  /** The module's path and directory (relative to the context root). */
  modulePath: string;
  moduleDir: string;
  files: SourceFile[];
}

export type MainRole = 'main' | 'example' | 'test' | 'script' | 'generator' | 'internal';

export interface MainPackage {
  /** As `go build` takes it from the context root: "." or "./cmd/api". */
  packagePath: PackagePath;
  /** What go build names the binary: the directory's name (the module's for a module root). */
  binaryName: string;
  /** The directory of the module it belongs to, relative to the context root ("" for the root). */
  moduleDir: string;
  role: MainRole;
  /** It (or a package of its own module that it imports) starts a server. */
  serves: boolean;
  listen: ListenPlan;
  /** Its root command only prints usage (cobra, urfave/cli, kingpin): the subcommands, and the one that serves. */
  usageOnly?: UsageOnlyRoot;
  /** Ports found, the chosen one first (kept for doctor and older callers). */
  ports: number[];
  /** -X targets for an empty version variable: main.version, example.com/x/internal/build.Version. */
  versionTargets: string[];
  /** Files (or dependencies) that need cgo, among what this binary compiles. */
  cgoReasons: string[];
  /** External programs its own module's code runs (exec.Command("git", ...)); absent: none. */
  programs?: ProgramUse[];
  /** The build tags it was analysed with: the project's, or its own build's (analyzeProject). */
  tags: string[];
  /** Where its own tags come from, when they are not the project's (dockerfiles/Dockerfile-for-frps, Makefile: frps). */
  tagsSource?: string;
  /** The //go:embed patterns of what this binary compiles. */
  embeds: EmbedUse[];
  /** Repository config files its own module's code reads at start by a relative default path; absent: none. */
  startFiles?: StartFile[];
  /** A probe of its own health it offers (a healthcheck subcommand, a --health flag), read from its own files; absent: none. */
  healthProbe?: HealthProbe;
  /** An HTTP health route its own files serve (/healthz), kept only when it offers no probe: nothing in the image requests it. */
  healthRoute?: HealthRoute;
}

/** A //go:embed pattern as one package uses it. */
export interface EmbedUse {
  /** Relative to the context root, e.g. "web/frps/dist". */
  pattern: string;
  /** As written, e.g. "all:dist". */
  written: string;
  /** file:line, context-relative. */
  where: string;
  /** The package's directory, context-relative ("" for the root). */
  packageDir: string;
  /** all: embeds a directory's . and _ files too. */
  all: boolean;
  /** The embedding file's //go:build line, when it has one (//go:build !noweb). */
  buildLine?: string;
}

export interface SkippedMain {
  dir: string;
  reason: string;
}

export interface Analysis {
  mainPackages: MainPackage[];
  skippedMains: SkippedMain[];
  /** Files that need cgo anywhere in what the images compile, e.g. "db.go imports \"C\"". */
  cgoReasons: string[];
  /** Embedded paths relative to the context root, e.g. "web/static/*". */
  embedPatterns: EmbedUse[];
}

/**
 * Third-party packages that need cgo although the project's own code does not import "C": with
 * CGO_ENABLED=0 they fail to build, or worse build a stub that fails at run time (go-sqlite3:
 * "Binary was compiled with 'CGO_ENABLED=0'"). Only the project's own sources are read, so a
 * package that reaches one of these through its own imports is listed with it (via). A prefix
 * matches the package and those below it. pureGo names the drop-in that needs no cgo, for the
 * reader of this table: those are not listed, so they leave cgo off.
 */
interface CgoImport {
  path: string;
  /** The C library it links, or the cgo package it imports. */
  needs: string;
  via?: string;
  pureGo?: string;
}

const CGO_IMPORTS: readonly CgoImport[] = [
  { path: 'github.com/mattn/go-sqlite3', needs: 'SQLite (C)', pureGo: 'modernc.org/sqlite' },
  { path: 'gorm.io/driver/sqlite', needs: 'go-sqlite3', via: 'github.com/mattn/go-sqlite3', pureGo: 'github.com/glebarez/sqlite' },
  { path: 'github.com/jinzhu/gorm/dialects/sqlite', needs: 'go-sqlite3', via: 'github.com/mattn/go-sqlite3' },
  {
    path: 'github.com/golang-migrate/migrate/v4/database/sqlite3',
    needs: 'go-sqlite3',
    via: 'github.com/mattn/go-sqlite3',
    pureGo: 'github.com/golang-migrate/migrate/v4/database/sqlite',
  },
  { path: 'github.com/mutecomm/go-sqlcipher', needs: 'SQLCipher (C)' },
  { path: 'github.com/marcboeker/go-duckdb', needs: 'DuckDB (C++)' },
  {
    path: 'github.com/confluentinc/confluent-kafka-go',
    needs: 'librdkafka',
    pureGo: 'github.com/segmentio/kafka-go, github.com/IBM/sarama',
  },
  { path: 'github.com/google/gopacket/pcap', needs: 'libpcap', pureGo: 'github.com/google/gopacket/afpacket, pcapgo' },
  { path: 'github.com/linxGnu/grocksdb', needs: 'RocksDB' },
  { path: 'github.com/tecbot/gorocksdb', needs: 'RocksDB' },
  { path: 'github.com/miekg/pkcs11', needs: 'PKCS#11 modules (dlopen)' },
  { path: 'github.com/DataDog/zstd', needs: 'zstd (C)', pureGo: 'github.com/klauspost/compress/zstd' },
  { path: 'github.com/godror/godror', needs: 'Oracle OCI' },
  { path: 'github.com/mattn/go-oci8', needs: 'Oracle OCI' },
  { path: 'github.com/pebbe/zmq4', needs: 'libzmq', pureGo: 'github.com/go-zeromq/zmq4' },
  { path: 'github.com/h2non/bimg', needs: 'libvips' },
  { path: 'github.com/davidbyttow/govips', needs: 'libvips' },
  { path: 'gopkg.in/gographics/imagick.v3/imagick', needs: 'ImageMagick' },
  { path: 'github.com/chai2010/webp', needs: 'libwebp (C)', pureGo: 'golang.org/x/image/webp (decoding)' },
  { path: 'github.com/ceph/go-ceph', needs: 'librados' },
  { path: 'libvirt.org/go/libvirt', needs: 'libvirt' },
];

/** Calls that start a server, by library. */
const SERVER_CALLS = [
  String.raw`ListenAndServe(?:TLS)?`,
  String.raw`net\.Listen`,
  String.raw`grpc\.NewServer`,
  String.raw`http\.Server\s*\{`,
  String.raw`\.ListenAndServe\(`,
  String.raw`\.Serve\(`,
  String.raw`gin\.(?:Default|New)\(`,
  String.raw`echo\.New\(`,
  String.raw`fiber\.New\(`,
  String.raw`fasthttp\.ListenAndServe`,
];
const SERVES = new RegExp(String.raw`\b(?:${SERVER_CALLS.join('|')})`);

/** A built .go file with its comments blanked once: every main whose imports reach it reads it. */
interface CodeFile extends SourceFile {
  code: string;
}

interface Built {
  source: PackageSources;
  importPath: string;
  name: string;
  files: CodeFile[];
  imports: string[];
}

function importsOf(code: string): string[] {
  const found: string[] = [];
  for (const match of code.matchAll(/^\s*import\s+(?:[\w.]+\s+)?"([^"]+)"/gm)) found.push(match[1]!);
  for (const block of code.matchAll(/^\s*import\s*\(([\s\S]*?)\)/gm))
    for (const match of block[1]!.matchAll(/"([^"]+)"/g)) found.push(match[1]!);
  return found;
}

/** go build names a binary after its directory, or the module path's last element for a module root. */
function binaryNameFor(relativeDir: string, modulePath: string): string {
  const elements = (relativeDir === '' ? modulePath : relativeDir).split('/').filter(Boolean);
  let name = elements[elements.length - 1] ?? 'app';
  if (relativeDir === '' && /^v\d+$/.test(name) && elements.length > 1) name = elements[elements.length - 2]!;
  return name;
}

const EXAMPLE_DIRS = new Set(['example', 'examples', 'sample', 'samples', 'demo', 'demos', 'contrib', 'tutorial', 'tutorials']);
const TEST_DIRS = new Set([
  'test',
  'tests',
  'testing',
  'e2e',
  'integration',
  'testutil',
  'testutils',
  'testhelper',
  'testhelpers',
  'fixtures',
  'mock',
  'mocks',
  'fake',
  'fakes',
  'bench',
  'benchmark',
  'benchmarks',
  'fuzz',
  'fuzzing',
]);
const SCRIPT_DIRS = new Set(['script', 'scripts', 'hack', 'tools', 'ci', 'dev', 'devtools', 'build-tools']);

/** What a main package's directory says it is. The module root and cmd/<name> are products. */
export function roleOf(packagePath: string): MainRole {
  const elements =
    packagePath === '.'
      ? []
      : packagePath
          .slice(2)
          .split('/')
          .map((element) => element.toLowerCase().replace(/^_+/, ''));
  const last = elements[elements.length - 1] ?? '';
  if (elements.some((element) => EXAMPLE_DIRS.has(element))) return 'example';
  if (elements.some((element) => SCRIPT_DIRS.has(element))) return 'script';
  if (elements.some((element) => TEST_DIRS.has(element) || (/.+tests?$/.test(element) && element !== 'latest' && element !== 'contest')))
    return 'test';
  if (/(^|[-_])(gen|generate|generator|codegen)([-_]|$)|^gen[a-z]*docs?$|docs?gen$|^mk[a-z]+$/.test(last)) return 'generator';
  // A main below internal/ is the project's own tooling (internal/database/schemadoc, plugins/x/internal/types).
  if (elements.includes('internal')) return 'internal';
  return 'main';
}

/** `configFiles`: the repository's config files some main reads by a relative default path (config-files.ts). */
export function analyzePackages(
  packages: readonly PackageSources[],
  tags: readonly string[],
  configFiles: readonly ConfigFile[] = [],
): Analysis {
  const context = { tags, cgo: false };
  const built: Built[] = [];
  const skippedMains: SkippedMain[] = [];
  for (const source of packages) {
    const files = source.files
      .filter((file) => fileIsBuilt(file.name, file.text, context))
      .map((file): CodeFile => ({ ...file, code: stripComments(file.text) }));
    if (files.length === 0) continue;
    const name = /^\s*package\s+(\w+)/m.exec(files[0]!.code)?.[1] ?? '';
    const withinModule =
      source.moduleDir === '' ? source.dir : source.dir === source.moduleDir ? '' : source.dir.slice(source.moduleDir.length + 1);
    const importPath = withinModule === '' ? source.modulePath : `${source.modulePath}/${withinModule}`;
    built.push({ source, importPath, name, files, imports: [...new Set(files.flatMap((file) => importsOf(file.code)))] });
  }
  const byImportPath = new Map(built.map((item) => [item.importPath, item]));
  /** The module's packages a package imports, directly or not (the package itself first). */
  const reachable = (start: Built): Built[] => {
    const seen = new Set<Built>([start]);
    const queue = [start];
    while (queue.length > 0) {
      for (const path of queue.shift()!.imports) {
        const next = byImportPath.get(path);
        if (next && !seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    return [...seen];
  };
  const generators = goGenerateTargets(built);
  const mainPackages: MainPackage[] = [];
  for (const item of built) {
    if (item.name !== 'main' || !item.files.some((file) => /^func\s+main\s*\(\s*\)/m.test(file.text))) continue;
    const packagePath = item.source.dir === '' ? '.' : `./${item.source.dir}`;
    const binaryName = binaryNameFor(item.source.dir === item.source.moduleDir ? '' : item.source.dir, item.source.modulePath);
    const checkedPath = brandIf<PackagePath>(packagePath, (path) => packagePathProblem(path) ?? binaryNameProblem(binaryName));
    if ('problem' in checkedPath) {
      skippedMains.push({ dir: packagePath, reason: `not a valid Go import path (${checkedPath.problem}), so go build cannot build it` });
      continue;
    }
    const closure = reachable(item);
    // A main with //export functions and import "C" is a C library (go build -buildmode=c-shared), not a program.
    if (item.files.some((file) => /^\/\/export\s+\w+/m.test(file.text)) && cgoReasonsOf([item]).some((reason) => reason.endsWith('"C"'))) {
      skippedMains.push({
        dir: packagePath,
        reason: 'a C library (//export with import "C", built with -buildmode=c-shared), not a program',
      });
      continue;
    }
    const texts = (list: Built[]): SourceText[] =>
      list.flatMap((pkg) =>
        pkg.files.map((file) => ({
          path: pkg.source.dir === '' ? file.name : `${pkg.source.dir}/${file.name}`,
          text: file.text,
          code: file.code,
        })),
      );
    const own = texts([item]);
    const imported = texts(closure.slice(1));
    const usageOnly = usageOnlyRoot(own, imported, [binaryName]);
    const healthProbe = findHealthProbe(own);
    const healthRoute = healthProbe ? undefined : findHealthRoute(own);
    const listen = listenPlan(findPorts(own, imported, [binaryName], configFiles), usageOnly?.serve);
    const ownModule = texts(closure.filter((pkg) => pkg.source.moduleDir === item.source.moduleDir));
    const programs = findPrograms(ownModule);
    const startFiles = filesReadAtStart(
      ownModule.map((source) => source.code ?? source.text),
      configFiles,
    );
    mainPackages.push({
      packagePath: checkedPath.value,
      binaryName,
      moduleDir: item.source.moduleDir,
      role: generators.has(item.source.dir) ? 'generator' : roleOf(packagePath),
      // Its own module's code, not a workspace library's: etcdctl imports client/pkg's listener
      // helpers, but only the server module serves.
      serves: closure.some((pkg) => pkg.source.moduleDir === item.source.moduleDir && pkg.files.some((file) => SERVES.test(file.code))),
      listen,
      ...(usageOnly ? { usageOnly } : {}),
      ports: listen.port !== undefined ? [listen.port, ...(listen.extraPorts ?? [])] : [],
      versionTargets: closure.flatMap((pkg) =>
        emptyVersionVariables(pkg.files).map((name) => `${pkg === item ? 'main' : pkg.importPath}.${name}`),
      ),
      cgoReasons: cgoReasonsOf(closure),
      tags: [...tags],
      embeds: closure.flatMap(embedsOf),
      ...(programs.length > 0 ? { programs } : {}),
      ...(startFiles.length > 0 ? { startFiles } : {}),
      ...(healthProbe ? { healthProbe } : {}),
      ...(healthRoute ? { healthRoute } : {}),
    });
  }
  const cgoReasons = [...new Set(mainPackages.flatMap((main) => main.cgoReasons))];
  return { mainPackages, skippedMains, cgoReasons, embedPatterns: built.flatMap(embedsOf) };
}

function embedsOf(pkg: Built): EmbedUse[] {
  const prefix = pkg.source.dir === '' ? '' : `${pkg.source.dir}/`;
  return pkg.files.flatMap((file) => {
    const guard = buildLine(file.text);
    return findEmbedPatterns(file.text).map((embed) => ({
      pattern: `${prefix}${embed.pattern}`,
      written: `${embed.all ? 'all:' : ''}${embed.pattern}`,
      where: `${prefix}${file.name}:${embed.line}`,
      packageDir: pkg.source.dir,
      all: embed.all,
      ...(guard === undefined ? {} : { buildLine: guard }),
    }));
  });
}

/**
 * Directories of the main packages a //go:generate line runs (go run ./tagdata, go run
 * example.com/m/internal/gen) from another package: generators, whatever their path says.
 */
function goGenerateTargets(built: readonly Built[]): Set<string> {
  const byImportPath = new Map(built.map((item) => [item.importPath, item.source.dir]));
  const targets = new Set<string>();
  for (const item of built) {
    for (const file of item.files) {
      for (const match of file.text.matchAll(/^\/\/go:generate\s+go\s+run\s+(?:-\S+\s+)*(\S+)/gm)) {
        const target = match[1]!.replace(/\/[^/]*\.go$/, '');
        const dir = target.startsWith('.') ? posix.join(item.source.dir, target) : byImportPath.get(target);
        const normal = dir === '.' ? '' : dir;
        // A package that runs itself (go run . gen) is a product with a generator mode.
        if (normal !== undefined && normal !== item.source.dir) targets.add(normal);
      }
    }
  }
  return targets;
}

function cgoReasonsOf(closure: readonly Built[]): string[] {
  const reasons: string[] = [];
  for (const pkg of closure) {
    for (const file of pkg.files) {
      if (importsOf(file.code).includes('C')) reasons.push(`${pkg.source.dir === '' ? '' : `${pkg.source.dir}/`}${file.name} imports "C"`);
    }
    for (const path of pkg.imports) {
      const dependency = CGO_IMPORTS.find((entry) => path === entry.path || path.startsWith(`${entry.path}/`));
      const reason = dependency && `imports ${dependency.path}${dependency.via ? `, which imports ${dependency.via}` : ''}`;
      if (reason && !reasons.includes(reason)) reasons.push(reason);
    }
  }
  return reasons;
}

/**
 * Package-level string variables named version/Version that hold nothing: the only ones a
 * build may stamp with -X (a "0.74" in the code is the project's own version; keep it).
 */
function emptyVersionVariables(files: readonly CodeFile[]): GoIdentifier[] {
  const names = new Set<GoIdentifier>();
  for (const { code, text } of files) {
    const declarations = [...code.matchAll(/^var\s+(\w+)\s+(string\s*)?(=\s*"")?\s*$/gm)].map((match) => ({ match, at: match.index }));
    for (const block of code.matchAll(/^var\s*\(([\s\S]*?)^\)/gm)) {
      const bodyAt = block.index + block[0].indexOf(block[1]!);
      declarations.push(
        ...[...block[1]!.matchAll(/^\s+(\w+)\s+(string\s*)?(=\s*"")?\s*$/gm)].map((match) => ({
          match,
          // The start of the name's own line (\s+ may span blank lines and blanked comments above it).
          at: code.lastIndexOf('\n', bodyAt + match.index + match[0].indexOf(match[1]!)) + 1,
        })),
      );
    }
    for (const { match, at } of declarations) {
      const [, name, typed, emptyValue] = match;
      if (!/^(version|Version)$/.test(name!) || (!typed && !emptyValue)) continue;
      // `//go:embed VERSION` above it: the file is the version, and -X would overwrite it.
      if (/\/\/go:embed\s[^\n]*\n\s*$/.test(text.slice(Math.max(0, at - 200), at))) continue;
      for (const identifier of brandValid<GoIdentifier>([name!], goIdentifierProblem)) names.add(identifier);
    }
  }
  return [...names];
}

// Reads a Go project: the module at the directory (or the modules of the go.work workspace
// there), go.sum, vendor/, the .go files of every package, and what release tooling says about
// the build (buildinfo.ts). The reads are in filesystem.ts, through readInputFile (regular
// files only, size-capped), and every value detection hands on is checked (module.ts): a hostile
// go.mod or directory name is an error or a skipped package, never text in a generated file.
// analyze.ts turns the sources into main packages, with the build tags.
import { join, posix } from 'node:path';
import { RuntimeError } from '../errors.js';
import { toPosix } from '../io/paths.js';
import { entryKind } from '../io/read.js';
import {
  brandOr,
  brandValid,
  goVersionProblem,
  ignorePatternProblem,
  type ContextPath,
  type GoVersion,
  type IgnorePattern,
} from '../values/kinds.js';
import { isDirectory, isFile } from '../io/read.js';
import { quoted, shown } from '../values/text.js';
import { analyzePackages, type MainPackage, type PackageSources, type SkippedMain } from './analyze.js';
import { sameTags, scriptTagsFor, type BuildInfo } from './buildinfo.js';
import { readConfigFiles, type ConfigFile } from './config-files.js';
import { noModule, readBuildInfo, readModule, readSmall, readWorkspace, replaceDirs, requireGoSum, scanModule } from './filesystem.js';
import { compareGoVersions, type GoMod } from './gomod.js';
import { rankMains } from './ranking.js';
import { checkEmbeds, contextView, type AssetProblem } from './assets.js';
import type { CheckedModule } from './module.js';
import { stripComments } from './source.js';
import type { CheckedGoWork } from './workspace.js';

export interface GoModule {
  /** Relative to the context root, posix; "" for the root. */
  dir: string;
  goMod: GoMod;
  module: CheckedModule;
  hasGoSum: boolean;
}

export interface Project {
  /** The build context: the directory create-go-docker runs on. */
  dir: string;
  /** The modules built here: the one at the root, or those the root's go.work uses. */
  modules: GoModule[];
  /** The root module, else the workspace's first: what the Dockerfile header names. */
  goMod: GoMod;
  module: CheckedModule;
  hasGoSum: boolean;
  /** A go.work at the root. */
  hasGoWork: boolean;
  /** The root's go.work, when the build uses it (workspace mode). */
  workspace?: CheckedGoWork;
  hasGoWorkSum: boolean;
  vendored: boolean;
  /** Go modules below the root that are not part of this build (listed, never silently ignored). */
  nestedModules: string[];
  buildInfo: BuildInfo;
  /** Every package's sources, for analysis with other build tags. */
  packages: PackageSources[];
  /** The tags the analysis below used. */
  tags: string[];
  mainPackages: MainPackage[];
  skippedMains: SkippedMain[];
  /** Why cgo is needed (a file or a dependency), empty when it is not. */
  cgoReasons: string[];
  /** Embedded paths relative to the context root, e.g. "web/static/*". */
  embedPatterns: IgnorePattern[];
  /** The mains' embed patterns that match nothing or only placeholders in the build context (assets.ts). */
  assetProblems: AssetProblem[];
  /** Context-relative directories of local `replace` targets, each needing its go.mod. */
  localReplaceDirs: ContextPath[];
  /** Config files in the repository that a main reads by a relative default path (their listen defaults count). */
  configFiles?: ConfigFile[];
  /** The CI the repository already has (.github/workflows or .gitlab-ci.yml), for the wizard's default. */
  ciHint?: 'github' | 'gitlab';
}

export { SKIPPED_DIRS } from './filesystem.js';

export interface DetectOptions {
  /**
   * Read .go files that are symbolic links (default). doctor passes false: it reads nothing of
   * the project through a link, since a link may lead outside the project and doctor prints
   * what it finds (a cgo import, an embed pattern).
   */
  followLinks?: boolean;
}

/** `dir` is absolute; `dirInput` is how the user named it, for messages. */
export function detectProject(dir: string, dirInput: string = dir, tags?: readonly string[], options: DetectOptions = {}): Project {
  if (!isDirectory(dir)) {
    throw new RuntimeError(`${shown(dirInput)}: no such directory; give the directory of your Go module.`);
  }
  const workText = readSmall(join(dir, 'go.work'), posix.join(toPosix(dirInput), 'go.work'));
  // Anything named go.mod is the module's (a directory or a pipe there is an error, not "no module").
  const hasRootGoMod = entryKind(join(dir, 'go.mod')) !== 'missing';
  if (workText === undefined && !hasRootGoMod) noModule(dir, dirInput);
  const workspace = workText === undefined ? undefined : readWorkspace(workText, dir, dirInput);
  const moduleDirs = workspace ? workspace.uses.map((use) => use.dir) : [''];
  const modules = moduleDirs.map((moduleDir) => readModule(dir, moduleDir, dirInput));
  const vendored = isFile(join(dir, 'vendor', 'modules.txt'));
  const localReplaceDirs = replaceDirs(dir, dirInput, modules, vendored, workspace !== undefined);
  for (const module of modules) requireGoSum(module, dirInput, vendored, modules);

  const packages: PackageSources[] = [];
  const nestedModules: string[] = [];
  for (const module of modules) scanModule(dir, module, moduleDirs, packages, nestedModules, options.followLinks ?? true);
  const buildInfo = readBuildInfo(dir);
  const primary = modules.find((module) => module.dir === '') ?? modules[0]!;
  const project: Project = {
    dir,
    modules,
    goMod: primary.goMod,
    module: primary.module,
    hasGoSum: primary.hasGoSum,
    hasGoWork: workText !== undefined,
    hasGoWorkSum: isFile(join(dir, 'go.work.sum')),
    vendored,
    nestedModules: nestedModules.sort(),
    buildInfo,
    packages,
    tags: [],
    mainPackages: [],
    skippedMains: [],
    cgoReasons: [],
    embedPatterns: [],
    assetProblems: [],
    localReplaceDirs,
  };
  if (workspace) project.workspace = workspace;
  const configFiles = readConfigFiles(
    dir,
    moduleDirs,
    packages.flatMap((pkg) => pkg.files.map((file) => stripComments(file.text))),
  );
  if (configFiles.length > 0) project.configFiles = configFiles;
  if (entryKind(join(dir, '.gitlab-ci.yml')) === 'file') project.ciHint = 'gitlab';
  else if (entryKind(join(dir, '.github', 'workflows')) === 'dir') project.ciHint = 'github';
  return analyzeProject(project, tags ?? buildInfo.tags);
}

export type GoVersionSource = 'go line' | 'toolchain line' | '.go-version';

/**
 * The Go version the project builds with, and where it says so: the toolchain line (go.work's,
 * else the root module's), else .go-version when it is not older than the go line, else the go
 * line. undefined when nothing names one.
 */
export function detectedGoVersion(project: Project): { version: GoVersion; source: GoVersionSource } | undefined {
  const work = project.workspace;
  const toolchain = work ? work.toolchain : project.module.toolchain;
  const goLine = work ? (work.goVersion ?? project.module.goVersion) : project.module.goVersion;
  if (toolchain) return { version: toolchain, source: 'toolchain line' };
  const [pinned] = brandValid<GoVersion>(project.buildInfo.goVersion ? [project.buildInfo.goVersion] : [], goVersionProblem);
  if (pinned && (!goLine || compareGoVersions(pinned, goLine) >= 0)) return { version: pinned, source: '.go-version' };
  return goLine ? { version: goLine, source: 'go line' } : undefined;
}

/** The project seen with these build tags: which files build, so which mains, cgo and embeds. */
export function analyzeProject(project: Project, tags: readonly string[]): Project {
  const analysis = analyzePackages(project.packages, tags, project.configFiles);
  const mainPackages = withOwnTags(project, analysis.mainPackages, tags);
  const embedPatterns: IgnorePattern[] = [];
  for (const embed of analysis.embedPatterns) {
    const pattern = brandOr<IgnorePattern>(embed.pattern, ignorePatternProblem, (problem) => {
      const where = `${shown(embed.where)}: //go:embed pattern ${quoted(embed.pattern)}`;
      throw new RuntimeError(`${where} cannot be kept in .dockerignore (${problem}); rename the embedded files or the pattern.`);
    });
    if (!embedPatterns.includes(pattern)) embedPatterns.push(pattern);
  }
  return {
    ...project,
    tags: [...tags],
    mainPackages,
    skippedMains: analysis.skippedMains,
    cgoReasons: productCgoReasons(project, mainPackages),
    embedPatterns,
    assetProblems: checkEmbeds(
      mainPackages.flatMap((main) => main.embeds),
      contextView(project.dir),
    ),
  };
}

/**
 * Each main as the project's own build compiles it, when the tags are the detected ones (--tags
 * applies to every binary): a main whose linux release build declares other tags than the union
 * of the release builds (a server build with sqlite tags beside a client build with none), or,
 * when no release build names it (one that does decides, even untagged), whose Dockerfile, Makefile target or build script builds it with
 * its own tags (frp's `go build -tags frps ./cmd/frps`), is analysed again with those, so its
 * files, cgo and embeds are what that build compiles.
 */
function withOwnTags(project: Project, mains: MainPackage[], tags: readonly string[]): MainPackage[] {
  const { buildInfo } = project;
  const released = buildInfo.builds.some((build) => (build.tags ?? []).length > 0);
  if (!sameTags(tags, buildInfo.tags) || (!released && (buildInfo.scriptBuilds ?? []).length === 0)) return mains;
  const ranked = rankMains(mains, project.module.path, buildInfo);
  const analysed = new Map<string, MainPackage[]>();
  return mains.map((main) => {
    const declared = ranked.find((item) => item.main === main)?.declared;
    // A release build that names the main decides (untagged too: the global tags then); only a main none names reads the scripts.
    if (declared && !released) return main;
    const scripted = declared ? undefined : scriptTagsFor(buildInfo.scriptBuilds ?? [], main.packagePath);
    const own = declared ? (declared.tags ?? []) : scripted?.tags;
    if (own === undefined) return main;
    if (sameTags(own, tags)) return scripted && own.length > 0 ? { ...main, tagsSource: scripted.source } : main;
    const key = [...own].sort().join(',');
    const again = analysed.get(key) ?? analyzePackages(project.packages, own, project.configFiles).mainPackages;
    analysed.set(key, again);
    const found = again.find((item) => item.packagePath === main.packagePath);
    return found ? { ...found, ...(scripted ? { tagsSource: scripted.source } : {}) } : main;
  });
}

/**
 * Why cgo is needed by the mains that get an image (the products; every main when none is), not
 * by anything in the module: a C library for an SDK (-buildmode=c-shared) or an example's
 * SQLite does not turn cgo on for a server that never imports it. The plan decides per image.
 */
function productCgoReasons(project: Project, mains: readonly MainPackage[]): string[] {
  const ranked = rankMains(mains, project.module.path, project.buildInfo);
  const products = ranked.filter((item) => item.product);
  return [...new Set((products.length > 0 ? products : ranked).flatMap((item) => item.main.cgoReasons))];
}

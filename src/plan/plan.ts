// From checked options + detection to the render context: every decision the templates need,
// made here so the templates only print plan fields (if/each, no policy logic). Every string a
// template prints is a checked kind or built from them; checkOptions (options/check.ts) ran
// before, so buildPlan only assembles slices.
import { basename, join } from 'node:path';
import { UsageError } from '../errors.js';
import { knownHostsName, splitKnownHostLine } from '../values/known-hosts.js';
import { quoted, shown } from '../values/text.js';
import { sameTags } from '../detect/buildinfo.js';
import type { Project } from '../detect/project.js';
import type { MainPackage } from '../detect/analyze.js';
import type { HealthProbe } from '../detect/health.js';
import { posixRelative } from '../io/paths.js';
import type { Options, Region } from '../options/model.js';
import { runtimeLibc } from '../options/libc.js';
import { PUBLIC_MODULE_PROXY_HOSTS, REGION_DEFAULTS, registryMirrorsOf, type RegionDefaults } from '../options/regions.js';
import {
  brandIf,
  brandOr,
  contextPathProblem,
  deriveSafeName,
  type CommandWord,
  type ContextPath,
  type EnvName,
  type GoProxyList,
  type GoSumDb,
  type HostName,
  type HttpUrl,
  type IgnorePattern,
  type IpAddress,
  type ImageArg,
  type ImagePath,
  type ImageRef,
  type KnownHostLine,
  type ModulePath,
  type PackageName,
  type PackagePath,
  type Platform,
  type SafeName,
} from '../values/kinds.js';
import { nameBinaries } from './binaries.js';
import { buildCommands, proxyBuildArgs, shellWord } from './commands.js';
import { buildkitdPlan, ciPlan, type BuildkitdPlan, type CiPlan, type CiPolicySource } from './ci.js';
import { composePlan, healthNotes, type ComposePlan } from './compose.js';
import { ANSWERS_FILE, CA_CERT_DIR, MANAGED_PATHS } from './paths.js';
import { imagePinner, type PinsPlan } from './pins.js';
import { pinKey } from '../values/network.js';
import { renovatePlan, type RenovatePlan } from './renovate.js';
import {
  blockedInChina,
  builderImage,
  builderVersion,
  parseImageName,
  runtimeImageFor,
  RUNTIME_UID,
  RUNTIME_USER,
  throughRegistry,
} from './images.js';
import { rankMains } from '../detect/ranking.js';
import { depsPlan, downloadPlan, fetchCredentials, NETRC_SECRET_FLAG, projectPrivateHosts } from './fetch.js';
import { dockerignorePlan } from './ignore.js';
import { leftOutNotes, moduleOf, stages } from './stages.js';
import { chooseTargets, type RankedMain } from './targets.js';

/** One stage that compiles binaries (each image compiles only its own). */
export interface CompileStage {
  stageName: string;
  binaries: { name: string; packagePath: PackagePath; ldflags: string }[];
  /** A binary stamps ${VERSION}: the stage declares the build-arg. */
  hasVersion: boolean;
  /** CGO_ENABLED=1 for this stage: --cgo on, or (auto) what its own binaries compile needs cgo. */
  cgoEnabled: boolean;
  /** Why, for its comment (its binaries' reasons). */
  cgoReasons: string[];
  /** Its -tags value, empty for none: the project's, or its binary's own linux release build's. */
  buildTags: string;
}

/** One runtime image stage. */
export interface ImagePlan {
  stageName: SafeName;
  tag: SafeName;
  packagePath: PackagePath;
  isDefault: boolean;
  /** The binary the image runs. */
  entrypoint: string;
  /** Its path in the image: ENTRYPOINT, and the command of compose's healthcheck. */
  binaryPath: ImagePath;
  /** The binaries it holds: its own, or every one when bundled. */
  copies: { from: string; name: string; path: ImagePath }[];
  port?: number;
  /** The other ports it listens on by default (EXPOSE, docker run -p, compose ports), ascending. */
  extraPorts?: number[];
  /** Default arguments (CMD), when the image needs some (bind all interfaces) or --args gives them. */
  args?: ImageArg[];
  /** Default environment (ENV) that binds all interfaces, for a service configured by a variable. */
  env?: { name: EnvName; value: ImageArg }[];
  /** Packages the runtime stage installs for the programs the binary runs (git, ffmpeg), and with what. */
  install?: { apt: boolean; packages: PackageName[]; programs: string };
  /**
   * The probe of its own health the binary offers (detect/health.ts): compose's healthcheck runs
   * binaryPath with it. Absent: it offers none, and no healthcheck is pretended.
   */
  healthProbe?: { kind: HealthProbe['kind']; argument: CommandWord };
}

export interface Plan {
  toolVersion: string;
  modulePath: ModulePath;
  region: Region;
  regenerateCommand: string;
  buildCommand: string;
  targetBuildCommands: string[];
  builder: {
    image: ImageRef;
    crossCompile: boolean;
    alpine: boolean;
    alpineMirror?: HttpUrl;
    apkPackages?: string;
  };
  goProxy: GoProxyList;
  goSumDb: GoSumDb;
  /** GOPRIVATE patterns joined by ",". */
  goPrivate: string;
  goWorkOff: boolean;
  /** Build with the root's go.work (several modules). */
  workspace: boolean;
  vendored: boolean;
  download: {
    /** go.mod/go.sum (and go.work) files the download step needs, nothing else. */
    binds: ContextPath[];
    /**
     * The download step; none when nothing is downloaded (go.mod requires no module from
     * outside the build context, or vendor/ holds them).
     */
    modules?: {
      /** Every go.sum (and go.work.sum): a module is downloaded only at a version one of them vouches for. */
      sums: ContextPath[];
      /** Every go.mod, then go.work: their require and replace directives. */
      goMods: ContextPath[];
      /**
       * Every go line is 1.17 or later, so go.mod lists every module that provides a package
       * (module graph pruning): the modules it requires are downloaded, as `go mod download`
       * does. Else every module go.sum holds a checksum for.
       */
      requiredOnly: boolean;
      /** The go.mod of each module before go 1.17, whose whole module graph `go mod graph` fetches (go.mod files only). */
      graphGoMods: ContextPath[];
    };
  };
  /**
   * The deps stage: the third-party packages the mains import (listed by a deps-list stage from
   * the source, with the compile step's flags), compiled into a layer keyed by that list and
   * go.mod/go.sum (or vendor/), which registry caches carry to fresh CI runners. None when there
   * is nothing third-party to compile (nothing downloaded, not vendored).
   */
  deps?: {
    /** The files it reads: the download step's, plus vendor/ when vendored. */
    binds: ContextPath[];
    /** The main packages of every compile stage, once each, grouped by their stage's -tags and cgo: deps-list lists what they import. */
    lists: { buildTags: string; cgoEnabled: boolean; mains: PackagePath[] }[];
  };
  auth: {
    token: boolean;
    ssh: boolean;
    sshHosts: HostName[];
    /** docker/known_hosts: the host keys decided at generation time (PlanInput.hostKeys), COPY'd into the build stage. */
    knownHosts?: { contextPath: ContextPath; lines: KnownHostLine[] };
    /** The SSH hosts without a decided key, scanned at build time (--ssh-keyscan only). */
    keyscanHosts: HostName[];
  };
  /** Git hosts of the private modules, for messages and no_proxy. */
  privateHosts: HostName[];
  /**
   * The CA the build trusts: where the Dockerfile COPYs it from, and for one outside the project
   * the copy made (copyTo, relative to the output directory).
   */
  caCert?: { contextPath: ContextPath; fileName: string; copyFrom?: string; copyTo?: string };
  /** Some image needs cgo: the builder and the runtime image have a C library (each stage sets its own CGO_ENABLED). */
  cgoEnabled: boolean;
  cgoReasons: string[];
  /** -tags value of the default image, empty for none (the deps step compiles with it). */
  buildTags: string;
  compileStages: CompileStage[];
  /** Runtime images, the default one last (a plain docker build produces it). */
  images: ImagePlan[];
  runtime: {
    image: ImageRef | 'scratch';
    isScratch: boolean;
    isDistroless: boolean;
    addUser: boolean;
    copyCaBundle: boolean;
    /** The image has /usr/share/zoneinfo; without it the binary embeds Go's (-tags timetzdata). */
    hasTzdata: boolean;
    uid: number;
    /** uid:gid for USER. */
    user: string;
  };
  /** The .dockerignore's rules, section by section as the template prints them (ignore.ts). */
  dockerignore: {
    versionControl: IgnorePattern[];
    buildOutput: IgnorePattern[];
    secrets: IgnorePattern[];
    /** The files we write that the build never reads. */
    own: ContextPath[];
    /** A pattern per written file for the .orig backups we keep of files we replaced. */
    backups: IgnorePattern[];
    /** The kept paths a rule above matches: each gets a "!" line after every rule. */
    exceptions: (IgnorePattern | ContextPath)[];
  };
  daemonJson?: Record<string, unknown>;
  /** compose.yaml (--compose). */
  compose?: ComposePlan;
  /** docker/buildkitd.toml: mirrors and the CA for BuildKit builders, which daemon.json does not reach. */
  buildkitd?: BuildkitdPlan;
  /** The CI files (--ci). */
  ci?: CiPlan;
  /** The daemon.json keys this network needs from the engine (registry-mirrors, dns); none: nothing to apply. */
  daemonKeys: string[];
  /**
   * docker/http-proxy.conf: dockerd's HTTP proxy as a systemd drop-in (with daemon.json, when a
   * proxy is given). daemon.json's "proxies" key needs Docker Engine 23+; dockerd 20.10 refuses
   * to start with it, while every engine reads these variables.
   */
  engineProxy?: { httpProxy: HttpUrl; noProxy: string };
  warnings: string[];
  /**
   * Decisions made for the user (names, skipped packages, the default image), one line each, after
   * the command's (PlanInput.notes). Readonly: every note is an input or the plan's own, so the
   * printed summary is what buildPlan returned.
   */
  notes: readonly string[];
  platforms: Platform[];
  proxy?: HttpUrl;
  noProxy?: string;
  /** Whether any image stamps the VERSION build-arg (for the printed command). */
  hasVersion: boolean;
  /** The images the files name, and which the answers pin. */
  pins?: PinsPlan;
  /** renovate.json (--renovate). */
  renovate?: RenovatePlan;
}

export interface PlanInput {
  project: Project;
  options: Options;
  toolVersion: string;
  /** Where the command was run, to print paths the user can paste. */
  cwd: string;
  outDir: string;
  /** The output directory has a .gitlab-ci.yml create-go-docker did not write (GitLab's file then goes beside it). */
  foreignGitlabCi?: boolean;
  /** Where options.goVersion came from: a go line is a minimum, a toolchain pins; "chosen" is used as given. */
  goVersionSource: 'go line' | 'toolchain line' | '.go-version' | 'chosen';
  /** options.caCert is create-go-docker's own copy (docker/ca-certificates/, recorded): it stays the copy. */
  ownCaCopy?: boolean;
  /** Where .go-docker.yaml says the policy comes from, for the CI drift job's comments. */
  policySource?: CiPolicySource;
  /** What the command decided before planning (where the module was found, that nothing was asked): the first notes. */
  notes?: readonly string[];
  /** The SSH host keys options/host-keys.ts decided for the hosts sshFetchHosts names; required when there are any. */
  hostKeys?: { lines: readonly KnownHostLine[]; keyscan: readonly HostName[] };
}

export function buildPlan(input: PlanInput): Plan {
  const { project } = input;
  const credentials = fetchCredentials(project, input.options);
  // The options the files are made from: the auth the build needs, which may be none where the
  // answers chose one (the answers file still records the choice, for when a module needs it).
  const options = credentials.auth === input.options.auth ? input.options : { ...input.options, auth: credentials.auth };
  const regionDefaults = REGION_DEFAULTS[options.region];
  const notes: string[] = [...(input.notes ?? [])];
  const warnings: string[] = [];
  if (credentials.note) notes.push(credentials.note);
  const targets = chooseTargets(rankMains(project.mainPackages, project.module.path, project.buildInfo), options.mainPackage);
  if (targets.ambiguity) notes.push(targets.ambiguity);
  const imageMains = targets.images;
  const named = nameBinaries(imageMains);
  notes.push(...named.notes);
  notes.push(...leftOutNotes(project, targets.left));
  const cgoReasons = [...new Set(imageMains.flatMap((item) => item.main.cgoReasons))];
  // What decides the image's libc: a stage of its own decides its CGO_ENABLED (compileSettings).
  const cgoEnabled = options.cgo === 'on' || (options.cgo === 'auto' && cgoReasons.length > 0);
  if (options.goVersion === undefined) throw new Error('internal: buildPlan needs a Go version, which checkOptions requires');
  const version = builderVersion(options.goVersion, input.goVersionSource);
  if (version.note) notes.push(version.note);
  // A cgo binary runs only on the C library it was linked against: musl (Alpine) is linked on
  // the Alpine golang image, glibc on Debian's; runtimeLibc is the table checkOptions used.
  const muslBuild = cgoEnabled && runtimeLibc(options).libc === 'musl';
  const builder = builderPlan(options, cgoEnabled, muslBuild, regionDefaults, builderImage(version, muslBuild));
  const privateHosts = projectPrivateHosts(project, options);
  const caCert = caCertPlan(options.caCert, project.dir, input.outDir, input.ownCaCopy ?? false);
  const runtime = runtimePlan(options, cgoEnabled, caCert !== undefined);
  const settings = compileSettings(project, options, runtime.hasTzdata);
  const { compileStages, images } = stages(named.binaries, options, notes, warnings, runtime.uid, settings);
  const defaultImage = images[images.length - 1]!;
  const noProxy = options.proxy ? noProxyHosts(options, privateHosts) : undefined;
  const dns = daemonDns(options, regionDefaults, privateHosts);
  if (options.daemonJson && dns.note) notes.push(dns.note);
  const commands = buildCommands({
    cwd: input.cwd,
    projectDir: project.dir,
    outDir: input.outDir,
    platforms: options.platforms,
    buildFlags: buildFlags(options, noProxy),
    defaultTag: defaultImage.tag,
    targets: images.filter((image) => !image.isDefault),
  });
  warnings.push(...warningsFor(options, project, cgoEnabled, cgoReasons, builder.image, runtime.image));
  warnings.push(...assetWarnings(project, imageMains));
  const download = downloadPlan(project);

  const plan: Omit<Plan, 'dockerignore'> = {
    toolVersion: input.toolVersion,
    modulePath: moduleOf(project, targets.chosen).module.path,
    region: options.region,
    regenerateCommand: 'npx create-go-docker regenerate',
    ...commands,
    builder,
    goProxy: (options.goProxy ?? regionDefaults.goProxy)!,
    goSumDb: options.goSumDb ?? regionDefaults.goSumDb,
    goPrivate: options.privatePatterns.join(','),
    goWorkOff: project.hasGoWork && !project.workspace,
    workspace: project.workspace !== undefined,
    vendored: project.vendored,
    download,
    deps: depsPlan(project, targets.chosen, download, compileStages),
    auth: sshAuthPlan(options, privateHosts, input),
    privateHosts,
    cgoEnabled,
    cgoReasons,
    buildTags: compileStages[compileStages.length - 1]!.buildTags,
    compileStages,
    images,
    runtime,
    warnings,
    notes,
    platforms: options.platforms,
    hasVersion: compileStages.some((stage) => stage.hasVersion),
    daemonKeys: [],
  };
  if (caCert) plan.caCert = caCert;
  if (options.proxy) plan.proxy = options.proxy;
  if (noProxy) plan.noProxy = noProxy;
  if (options.compose) {
    plan.compose = composePlan({ options, images, projectDir: project.dir, outDir: input.outDir, cwd: input.cwd, noProxy });
    notes.push(...healthNotes(plan.compose, images, project.mainPackages));
  }
  if (options.daemonJson) {
    plan.daemonJson = daemonSettings(registryMirrorsOf(options), dns.servers);
    // Log rotation and BuildKit are good hygiene, but no build fails without them.
    plan.daemonKeys = ['registry-mirrors', 'dns'].filter((key) => key in plan.daemonJson!);
    if (options.proxy && noProxy) plan.engineProxy = { httpProxy: options.proxy, noProxy };
    const imageRegistries = [builder.image, ...(runtime.image === 'scratch' ? [] : [runtime.image])].map(
      (reference) => parseImageName(reference).registry,
    );
    const buildkitd = buildkitdPlan({ options, imageRegistries, ...(caCert ? { caPath: caCert.contextPath } : {}) });
    if (buildkitd) plan.buildkitd = buildkitd;
  }
  const ci = ciPlan({
    options,
    foreignGitlabCi: input.foreignGitlabCi ?? false,
    images,
    projectDir: project.dir,
    outDir: input.outDir,
    toolVersion: input.toolVersion,
    noProxy,
    privateHosts,
    sshHosts: plan.auth.sshHosts,
    hasVersion: plan.hasVersion,
    ...(plan.buildkitd ? { buildkitdConfig: MANAGED_PATHS.buildkitdToml } : {}),
    ...(input.policySource ? { policySource: input.policySource } : {}),
  });
  if (ci) plan.ci = ci;
  plan.pins = pinImages(plan, options);
  if (options.renovate) plan.renovate = renovatePlan(ci);
  // Last: the files written depend on compose, the CI and daemon.json above.
  return { ...plan, dockerignore: dockerignorePlan(plan, project, input.outDir) };
}

/**
 * Writes each image the files name with its pin (plan/pins.ts), and says which are pinned: the
 * builder, the runtime image and GitLab's job images (the ones its jobs use). GitHub's builder is
 * setup-buildx-action's own BuildKit image, left to the action: a pinned older BuildKit loses
 * GitHub's current cache service.
 */
function pinImages(plan: Omit<Plan, 'dockerignore'>, options: Options): PinsPlan {
  const pinner = imagePinner(options.pins);
  plan.builder.image = pinner.pin(plan.builder.image);
  if (plan.runtime.image !== 'scratch') plan.runtime.image = pinner.pin(plan.runtime.image);
  const ci = plan.ci;
  if (ci?.gitlab) {
    ci.buildkitImage = pinner.pin(ci.buildkitImage);
    // The drift job runs in the slim image unless it fetches a policy from a repository (git); the roll-out in the full one.
    if (!ci.drift.rollout?.repository) ci.nodeImage.slim = pinner.pin(ci.nodeImage.slim);
    if (ci.rollout) ci.nodeImage.full = pinner.pin(ci.nodeImage.full);
  }
  const pins = pinner.summary();
  if (options.pins.length > 0 && pins.unpinned.length > 0)
    plan.notes = [
      ...plan.notes,
      `Not pinned: ${pins.unpinned.join(', ')} (no pin in ${ANSWERS_FILE}); \`npx create-go-docker regenerate --refresh-pins\` pins ` +
        `every image.`,
    ];
  if (pins.unused.length > 0)
    plan.notes = [
      ...plan.notes,
      `Pins no file uses (kept in ${ANSWERS_FILE} until --refresh-pins): ${pins.unused.map(pinKey).join(', ')}.`,
    ];
  return pins;
}

/**
 * A compile stage's CGO_ENABLED and -tags, from its own binaries: cgo when --cgo on, or (auto)
 * when what they compile needs it; the tags given or detected, except for a binary analysed with
 * its own linux release build's tags (analyzeProject), which keeps those. timetzdata is added
 * when the runtime image has no zoneinfo.
 */
function compileSettings(project: Project, options: Options, hasTzdata: boolean) {
  return (mains: readonly MainPackage[]): Pick<CompileStage, 'cgoEnabled' | 'cgoReasons' | 'buildTags'> => {
    const cgoReasons = [...new Set(mains.flatMap((main) => main.cgoReasons))];
    const own = mains.find((main) => !sameTags(main.tags, project.tags));
    const tags = own ? own.tags : options.tags;
    return {
      cgoEnabled: options.cgo === 'on' || (options.cgo === 'auto' && cgoReasons.length > 0),
      cgoReasons,
      buildTags: [...tags, ...(hasTzdata || tags.includes('timetzdata') ? [] : ['timetzdata'])].join(','),
    };
  };
}

export type CompileSettings = ReturnType<typeof compileSettings>;

function builderPlan(
  options: Options,
  cgoEnabled: boolean,
  alpine: boolean,
  regionDefaults: RegionDefaults,
  image: ImageRef,
): Plan['builder'] {
  const builder: Plan['builder'] = {
    image: throughRegistry(image, options.registry),
    // cgo needs a C cross compiler to cross-compile; build natively (or emulated) instead.
    crossCompile: !cgoEnabled,
    alpine,
  };
  if (alpine) {
    const packages = ['gcc', 'musl-dev'];
    if (options.privatePatterns.length > 0) packages.push('git');
    if (options.auth === 'ssh') packages.push('openssh-client');
    builder.apkPackages = packages.join(' ');
    if (regionDefaults.alpineMirror) builder.alpineMirror = regionDefaults.alpineMirror;
  }
  return builder;
}

function runtimePlan(options: Options, cgoEnabled: boolean, hasCaCert: boolean): Plan['runtime'] {
  const image = options.baseImage ?? runtimeImageFor(options.base, cgoEnabled);
  const reference = image === 'scratch' ? image : throughRegistry(image, options.registry);
  const isScratch = reference === 'scratch';
  return {
    image: reference,
    isScratch,
    isDistroless: options.base === 'distroless',
    addUser: options.base === 'alpine' || options.base === 'debian',
    // debian-slim has no CA bundle, scratch nothing at all; a corporate CA must reach every runtime.
    copyCaBundle: isScratch || options.base === 'debian' || hasCaCert,
    // distroless and debian-slim ship tzdata; scratch, alpine and an unknown image may not.
    hasTzdata: !options.baseImage && (options.base === 'distroless' || options.base === 'debian'),
    uid: RUNTIME_UID,
    user: RUNTIME_USER,
  };
}

/**
 * The CA is COPY'd from the build context: from where it is when that path is safe to write,
 * else from a copy we make under docker/ca-certificates/ (beside the Dockerfile, in the output
 * directory) with a derived file name; our own copy, given again, stays that copy.
 */
function caCertPlan(caCert: string | undefined, projectDir: string, outDir: string, ownCopy: boolean): Plan['caCert'] {
  if (!caCert) return undefined;
  const fileName = `${deriveSafeName(basename(caCert).replace(/\.(pem|crt|cer)$/i, ''), 'corporate-ca')}.crt`;
  const fromProject = posixRelative(projectDir, caCert);
  const inside = fromProject !== '' && !fromProject.startsWith('..') && !fromProject.startsWith('/');
  const asIs = brandIf<ContextPath>(fromProject, contextPathProblem);
  if (!ownCopy && inside && 'value' in asIs) return { contextPath: asIs.value, fileName };
  const copyTo = `${CA_CERT_DIR}/${fileName}`;
  // With --out the copy is under the output directory, which the build context must hold.
  const copyPath = posixRelative(projectDir, join(outDir, copyTo));
  const problem = (path: string) =>
    path.startsWith('..') || path.startsWith('/') ? 'it is outside the build context' : contextPathProblem(path);
  const contextPath = brandOr<ContextPath>(copyPath, problem, (found) => {
    const fix = 'write the files inside the project (--out below it), or put the CA in the project';
    throw new UsageError(`ca-cert: the copy of the CA, ${quoted(copyPath)}, cannot be COPY'd by the Dockerfile (${found}); ${fix}.`);
  });
  return { contextPath, fileName, copyFrom: caCert, copyTo };
}

/**
 * The credentials the fetching steps use, and for SSH how the build trusts each host: the keys
 * decided at generation time, in docker/known_hosts (a path in the build context, like the CA
 * copy: with --out outside the project the Dockerfile could not COPY it), or a build-time scan
 * of the hosts left (--ssh-keyscan). Every SSH host is one or the other.
 */
function sshAuthPlan(options: Options, privateHosts: HostName[], input: PlanInput): Plan['auth'] {
  const ssh = options.auth === 'ssh';
  const auth: Plan['auth'] = { token: options.auth === 'token', ssh, sshHosts: ssh ? privateHosts : [], keyscanHosts: [] };
  if (!ssh) return auth;
  const decided = input.hostKeys;
  const names = new Set(decided?.lines.map((line) => splitKnownHostLine(line).name) ?? []);
  const undecided = privateHosts.filter((host) => !names.has(knownHostsName(host)) && !decided?.keyscan.includes(host));
  if (undecided.length > 0) throw new Error(`internal: no SSH host key decision for ${undecided.join(', ')}`);
  auth.keyscanHosts = [...(decided?.keyscan ?? [])];
  if (!decided || decided.lines.length === 0) return auth;
  const path = posixRelative(input.project.dir, join(input.outDir, MANAGED_PATHS.knownHosts));
  const problem = (value: string) =>
    value.startsWith('..') || value.startsWith('/') ? 'it is outside the build context' : contextPathProblem(value);
  const contextPath = brandOr<ContextPath>(path, problem, (found) => {
    const fix = 'write the files inside the project (--out below it)';
    throw new UsageError(`auth ssh: the SSH host keys file, ${quoted(path)}, cannot be COPY'd by the Dockerfile (${found}); ${fix}.`);
  });
  auth.knownHosts = { contextPath, lines: [...decided.lines] };
  return auth;
}

function buildFlags(options: Options, noProxy: string | undefined): string[] {
  const flags: string[] = [];
  if (options.auth === 'token') flags.push(NETRC_SECRET_FLAG);
  if (options.auth === 'ssh') flags.push('--ssh default');
  for (const arg of proxyBuildArgs(options.proxy, noProxy)) flags.push(`--build-arg ${arg.name}=${shellWord(arg.value)}`);
  return flags;
}

function warningsFor(
  options: Options,
  project: Project,
  cgoEnabled: boolean,
  cgoReasons: readonly string[],
  builderImage: string,
  runtimeImage: string,
): string[] {
  const warnings: string[] = [];
  const goSumDb = options.goSumDb ?? REGION_DEFAULTS[options.region].goSumDb;
  if (goSumDb === 'off')
    warnings.push('GOSUMDB=off disables checksum verification for every module; prefer listing private modules in --private.');
  if (options.cgo === 'off' && cgoReasons.length > 0) {
    warnings.push(`cgo is off but ${cgoReasons[0]}; the build fails if that code is compiled.`);
  }
  if (cgoEnabled && options.platforms.length > 1) {
    warnings.push('cgo with several --platforms builds each platform under emulation (QEMU), which is slow; consider --cgo off.');
  }
  if (options.region === 'cn' && !options.registry) {
    for (const image of [...new Set([builderImage, runtimeImage])]) {
      const blocked = blockedInChina(image);
      if (blocked === 'Docker Hub') {
        warnings.push(
          `${image} comes from Docker Hub, often unreachable from mainland China: install docker/daemon.json ` +
            `(registry-mirrors) or pass --registry.`,
        );
      } else if (blocked) {
        warnings.push(
          `${image} comes from ${blocked}, blocked in mainland China and not covered by registry-mirrors: pass ` +
            `--registry PREFIX or --base-image.`,
        );
      }
    }
  }
  if (project.hasGoWork && !project.workspace)
    warnings.push(
      'go.work is ignored inside the build (GOWORK=off): the image is built from this module and its replace directives alone.',
    );
  return warnings;
}

/**
 * An embed pattern of an image's packages that matches nothing (the build fails at go build) or
 * only placeholders (the image lacks its UI) in the build context, with the repository's own way
 * to make the files or to build without them (detect/assets.ts), else a generic fix. Never silent.
 */
function assetWarnings(project: Project, imageMains: readonly RankedMain[]): string[] {
  const used = new Set(imageMains.flatMap((item) => item.main.embeds.map((embed) => `${embed.where} ${embed.pattern}`)));
  return project.assetProblems
    .filter((problem) => used.has(`${problem.embed.where} ${problem.embed.pattern}`))
    .map((problem) => {
      const expected = shown(problem.expected);
      const placeholders = problem.placeholders.map(shown).join(', ');
      const what = {
        nothing:
          `matches nothing in the build context (${expected} is not in the checkout: a build step makes it), so docker build ` +
          `fails at go build`,
        placeholders: `holds only ${placeholders}, so the image builds without what a build step puts in ${expected}`,
        untracked:
          `has files here, but .gitignore leaves ${expected} out of git: a fresh checkout (CI) fails at go build unless they ` +
          'are committed anyway',
      }[problem.kind];
      const makes = problem.waysOut.filter((way) => way.makes).map((way) => shown(way.text));
      const drops = problem.waysOut.filter((way) => !way.makes).map((way) => `pass ${shown(way.text)} to build without them`);
      const make =
        makes.length > 0
          ? `make them before docker build: ${makes.join(', or ')}`
          : `put the built files in ${expected} before docker build`;
      return `${shown(problem.embed.where)}: //go:embed ${shown(problem.embed.written)} ${what}; ${[make, ...drops].join('; or ')}.`;
    });
}

/**
 * daemon.json's dns overrides the resolver of every container on the machine: the region's public
 * servers only when no private git host needs the company's resolver (--dns always wins).
 */
function daemonDns(
  options: Options,
  regionDefaults: RegionDefaults,
  privateHosts: readonly string[],
): { servers: IpAddress[]; note?: string } {
  if (options.dns.length > 0 || regionDefaults.dns.length === 0) return { servers: options.dns };
  if (privateHosts.length === 0) return { servers: regionDefaults.dns };
  return {
    servers: [],
    note:
      `docker/daemon.json leaves DNS alone: ${privateHosts.join(', ')} may resolve only through your company's DNS, which ` +
      `${regionDefaults.dns.join(' and ')} cannot answer; pass --dns with servers that resolve it and public hosts alike.`,
  };
}

function daemonSettings(mirrors: readonly HttpUrl[], dns: readonly IpAddress[]): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  if (mirrors.length > 0) settings['registry-mirrors'] = mirrors;
  if (dns.length > 0) settings.dns = dns;
  // No "proxies": Docker Engine 23+ only (engineProxy is the drop-in every engine reads).
  settings['log-driver'] = 'json-file';
  settings['log-opts'] = { 'max-size': '10m', 'max-file': '3' };
  settings.features = { buildkit: true };
  settings.builder = { gc: { enabled: true, defaultKeepStorage: '20GB' } };
  return settings;
}

/**
 * What the HTTP proxy must not carry: loopback, the private git hosts and, in a company network,
 * its own module proxy (inside the network, like the git hosts; through the proxy it fails or
 * crawls). A public module proxy (any region) is reached through the
 * company's proxy.
 */
function noProxyHosts(options: Options, privateHosts: readonly string[]): string {
  const goProxy = options.region === 'custom' ? (options.goProxy ?? '') : '';
  const moduleProxyHosts = goProxy
    .split(/[,|]/)
    .filter((entry) => /^https?:\/\//.test(entry))
    .map((entry) => new URL(entry).hostname)
    .filter((host) => !PUBLIC_MODULE_PROXY_HOSTS.includes(host));
  return [...new Set(['localhost', '127.0.0.1', '::1', ...moduleProxyHosts, ...privateHosts])].join(',');
}

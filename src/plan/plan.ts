// From options + detection to the render context: every decision the templates need, made
// here so the templates only print plan fields (if/each, no policy logic).
import { basename, relative, sep } from 'node:path';
import type { MainPackage, Project } from '../detect/project.js';
import { RuntimeError, UsageError } from '../errors.js';
import type { Options, Region } from '../options/model.js';
import { detectedPort } from '../options/resolve.js';
import { blockedInChina, builderImage, runtimeImageFor, throughRegistry } from './images.js';

interface RegionDefaults {
  goProxy: string;
  goSumDb: string;
  alpineMirror?: string;
  registryMirrors: string[];
  dns: string[];
}

export const REGION_DEFAULTS: Record<Region, RegionDefaults> = {
  global: { goProxy: 'https://proxy.golang.org,direct', goSumDb: 'sum.golang.org', registryMirrors: [], dns: [] },
  cn: {
    goProxy: 'https://goproxy.cn,direct',
    // The official mirror of sum.golang.org for mainland China.
    goSumDb: 'sum.golang.google.cn',
    alpineMirror: 'https://mirrors.aliyun.com',
    registryMirrors: ['https://docker.m.daocloud.io'],
    // AliDNS and DNSPod: container DNS that resolves from inside mainland China.
    dns: ['223.5.5.5', '119.29.29.29'],
  },
  custom: { goProxy: '', goSumDb: 'sum.golang.org', registryMirrors: [], dns: [] },
};

/** Non-root and numeric, so Kubernetes runAsNonRoot can verify it. */
const RUNTIME_USER = '65532:65532';

export interface BinaryPlan {
  name: string;
  packagePath: string;
  stageName: string;
  port?: number;
  isDefault: boolean;
}

export interface Plan {
  toolVersion: string;
  modulePath: string;
  region: Region;
  regenerateCommand: string;
  buildCommand: string;
  targetBuildCommands: string[];
  builder: {
    image: string;
    crossCompile: boolean;
    alpine: boolean;
    alpineMirror?: string;
    apkPackages?: string;
  };
  goProxy: string;
  goSumDb: string;
  goPrivate: string;
  goWorkOff: boolean;
  vendored: boolean;
  downloadBinds: string[];
  auth: { token: boolean; ssh: boolean; sshHosts: string[] };
  /** Git hosts of the private modules, for messages and no_proxy. */
  privateHosts: string[];
  caCert?: { source: string; contextPath: string; fileName: string; copyFrom?: string };
  cgoEnabled: boolean;
  cgoReasons: string[];
  ldflags: string;
  hasVersion: boolean;
  packages: string;
  outputPath: string;
  binaries: BinaryPlan[];
  runtime: {
    image: string;
    isScratch: boolean;
    isDistroless: boolean;
    addUser: boolean;
    copyCaBundle: boolean;
    user: string;
  };
  dockerignore: { keep: string[] };
  daemonJson?: Record<string, unknown>;
  warnings: string[];
  platforms: string[];
  proxy?: string;
  noProxy?: string;
}

export interface PlanInput {
  project: Project;
  options: Options;
  toolVersion: string;
  /** Where the command was run, to print paths the user can paste. */
  cwd: string;
  outDir: string;
}

const PUBLIC_HOSTS = [
  'github.com', 'gitlab.com', 'bitbucket.org', 'golang.org', 'google.golang.org', 'gopkg.in', 'go.uber.org',
  'k8s.io', 'sigs.k8s.io', 'cloud.google.com', 'go.opentelemetry.io', 'go.etcd.io', 'honnef.co', 'gorm.io',
  'go.mongodb.org', 'gotest.tools', 'dario.cat', 'filippo.io', 'modernc.org', 'rsc.io', 'cuelang.org', 'go.yaml.in',
];

/** Requires whose hosts look like a company's own (not a well-known public code host). */
export function suggestPrivatePatterns(project: Pick<Project, 'goMod'>): string[] {
  const hosts = new Set<string>();
  for (const requirement of project.goMod.requires) {
    const host = requirement.path.split('/')[0]!;
    if (!host.includes('.') || PUBLIC_HOSTS.includes(host)) continue;
    if (/(^|\.)(corp|internal|intra|local|lan|company|private)(\.|$)|^git\.|^gitlab\.|^gitea\.|^code\./.test(host)) hosts.add(host);
  }
  return [...hosts].sort();
}

export function buildPlan(input: PlanInput): Plan {
  const { project, options } = input;
  const warnings: string[] = [];
  const regionDefaults = REGION_DEFAULTS[options.region];
  const goProxy = options.goProxy ?? regionDefaults.goProxy;
  if (goProxy === '') {
    throw new UsageError('--region custom needs --goproxy (your company proxy, e.g. https://athens.corp.example,direct); pass it or choose --region global|cn.');
  }
  const goSumDb = options.goSumDb ?? regionDefaults.goSumDb;
  if (goSumDb === 'off') warnings.push('GOSUMDB=off disables checksum verification for every module; prefer listing private modules in --private.');

  if (project.mainPackages.length === 0) {
    throw new RuntimeError(`${project.dir}: no main package (package main with func main) found; add one, e.g. cmd/app/main.go.`);
  }
  const defaultMain = options.mainPackage ?? project.mainPackages[0]!.packagePath;
  const chosen = project.mainPackages.find((main) => main.packagePath === defaultMain);
  if (!chosen) {
    const found = project.mainPackages.map((main) => main.packagePath).join(', ');
    throw new UsageError(`--main ${defaultMain}: not a main package of this module; choose one of ${found}.`);
  }

  const cgoEnabled = options.cgo === 'on' || (options.cgo === 'auto' && project.cgoReasons.length > 0);
  if (cgoEnabled && options.base === 'scratch' && !options.baseImage) {
    const reason = project.cgoReasons[0] ? ` (${project.cgoReasons[0]})` : '';
    throw new UsageError(`--base scratch cannot run a cgo binary${reason}: it has no C library; choose --base debian or --base distroless, or --cgo off if the code builds without cgo.`);
  }
  if (options.cgo === 'off' && project.cgoReasons.length > 0) {
    warnings.push(`cgo is off but ${project.cgoReasons[0]}; the build fails if that code is compiled.`);
  }
  const alpineBuilder = cgoEnabled && options.base === 'alpine';
  if (!options.goVersion) {
    throw new RuntimeError('go.mod has no go line and --go was not given; add "go 1.xx" to go.mod or pass --go.');
  }
  const goVersion = options.goVersion;
  const builder: Plan['builder'] = {
    image: throughRegistry(builderImage(goVersion, alpineBuilder), options.registry),
    // cgo needs a C cross compiler to cross-compile; build natively (or emulated) instead.
    crossCompile: !cgoEnabled,
    alpine: alpineBuilder,
  };
  if (alpineBuilder) {
    const packages = ['gcc', 'musl-dev'];
    if (options.privatePatterns.length > 0) packages.push('git');
    if (options.auth === 'ssh') packages.push('openssh-client');
    builder.apkPackages = packages.join(' ');
    if (regionDefaults.alpineMirror) builder.alpineMirror = regionDefaults.alpineMirror;
  }
  if (cgoEnabled && options.platforms.length > 1) {
    warnings.push('cgo with several --platforms builds each platform under emulation (QEMU), which is slow; consider --cgo off.');
  }

  const runtimeReference = throughRegistry(options.baseImage ?? runtimeImageFor(options.base, cgoEnabled), options.registry);

  // Binaries: the default one last, so a plain `docker build` produces it.
  const binaries = orderBinaries(project.mainPackages, chosen, options.port);
  const versionVariables = [...new Set(project.mainPackages.map((main) => main.versionVariable).filter((name): name is string => !!name))].sort();
  const ldflags = ['-s', '-w', ...versionVariables.map((name) => `-X main.${name}=\${VERSION}`)].join(' ');

  const privateHosts = hostsForPatterns(options.privatePatterns, project);
  if (options.auth !== 'none' && options.privatePatterns.length === 0) {
    throw new UsageError(`--auth ${options.auth} needs --private (the module paths to fetch with it, e.g. git.corp.example/*).`);
  }
  if (options.auth === 'ssh' && privateHosts.length === 0) {
    throw new UsageError(`--auth ssh: cannot tell the git host from --private ${options.privatePatterns.join(',')}; include the host literally, e.g. git.corp.example/*.`);
  }

  let caCert: Plan['caCert'];
  if (options.caCert) {
    const fromProject = relative(project.dir, options.caCert);
    const inside = !fromProject.startsWith('..') && !fromProject.startsWith(sep) && fromProject !== '';
    const fileName = `${basename(options.caCert).replace(/\.(pem|crt|cer)$/i, '')}.crt`;
    const contextPath = inside ? toPosix(fromProject) : `docker/ca-certificates/${fileName}`;
    caCert = { source: options.caCert, contextPath, fileName };
    if (!inside) caCert.copyFrom = options.caCert;
  }

  const isScratch = runtimeReference === 'scratch';
  const isDistroless = options.base === 'distroless';
  const runtime: Plan['runtime'] = {
    image: runtimeReference,
    isScratch,
    isDistroless,
    addUser: options.base === 'alpine' || options.base === 'debian',
    // debian-slim has no CA bundle, scratch nothing at all; a corporate CA must reach every runtime.
    copyCaBundle: isScratch || options.base === 'debian' || caCert !== undefined,
    user: RUNTIME_USER,
  };

  const goPrivate = options.privatePatterns.join(',');
  const contextArg = contextPath(input.cwd, project.dir);
  const dockerfileArg = relative(project.dir, input.outDir) === '' ? '' : ` -f ${toPosix(relative(input.cwd, input.outDir)) || '.'}/Dockerfile`;
  const buildFlags: string[] = [];
  if (options.auth === 'token') buildFlags.push('--secret id=netrc,src=$HOME/.netrc');
  if (options.auth === 'ssh') buildFlags.push('--ssh default');
  let noProxy: string | undefined;
  if (options.proxy) {
    noProxy = ['localhost', '127.0.0.1', '::1', ...privateHosts].join(',');
    // Docker's predefined proxy ARGs: used by RUN steps, kept out of docker history.
    buildFlags.push(`--build-arg HTTP_PROXY=${options.proxy}`, `--build-arg HTTPS_PROXY=${options.proxy}`, `--build-arg NO_PROXY=${noProxy}`);
  }
  const defaultBinary = binaries[binaries.length - 1]!;
  const command = options.platforms.length > 0 ? `docker buildx build --platform ${options.platforms.join(',')}` : 'docker build';
  const flagText = buildFlags.length > 0 ? ` ${buildFlags.join(' ')}` : '';
  const buildCommand = `${command}${flagText} -t ${defaultBinary.name}${dockerfileArg} ${contextArg}`;
  const targetBuildCommands = binaries
    .filter((binary) => !binary.isDefault)
    .map((binary) => `${command}${flagText} --target ${binary.stageName} -t ${binary.name}${dockerfileArg} ${contextArg}`);

  if (options.region === 'cn' && !options.registry) {
    const images = [builder.image, runtimeReference];
    for (const image of [...new Set(images)]) {
      const blocked = blockedInChina(image);
      if (blocked === 'Docker Hub') {
        warnings.push(`${image} comes from Docker Hub, often unreachable from mainland China: install docker/daemon.json (registry-mirrors) or pass --registry.`);
      } else if (blocked) {
        warnings.push(`${image} comes from ${blocked}, blocked in mainland China and not covered by registry-mirrors: pass --registry PREFIX or --base-image.`);
      }
    }
  }
  if (project.hasGoWork) warnings.push('go.work is ignored inside the build (GOWORK=off): the image is built from this module and its replace directives alone.');

  const keep = ['go.mod', 'go.sum', 'vendor', ...project.embedPatterns, ...project.localReplaceDirs];
  if (caCert && !caCert.copyFrom) keep.push(caCert.contextPath);

  const plan: Plan = {
    toolVersion: input.toolVersion,
    modulePath: project.goMod.modulePath,
    region: options.region,
    regenerateCommand: 'npx create-go-docker regenerate',
    buildCommand,
    targetBuildCommands,
    builder,
    goProxy,
    goSumDb,
    goPrivate,
    goWorkOff: project.hasGoWork,
    vendored: project.vendored,
    downloadBinds: [...(project.hasGoSum ? ['go.mod', 'go.sum'] : ['go.mod']), ...project.localReplaceDirs.map((dir) => `${dir}/go.mod`)],
    auth: { token: options.auth === 'token', ssh: options.auth === 'ssh', sshHosts: options.auth === 'ssh' ? privateHosts : [] },
    privateHosts,
    cgoEnabled,
    cgoReasons: project.cgoReasons,
    ldflags,
    hasVersion: versionVariables.length > 0,
    packages: binaries.map((binary) => binary.packagePath).sort().join(' '),
    outputPath: binaries.length === 1 ? `/out/${defaultBinary.name}` : '/out/',
    binaries,
    runtime,
    dockerignore: { keep },
    warnings,
    platforms: options.platforms,
  };
  if (caCert) plan.caCert = caCert;
  if (options.proxy) plan.proxy = options.proxy;
  if (noProxy) plan.noProxy = noProxy;
  if (options.daemonJson) plan.daemonJson = daemonSettings(options, regionDefaults, noProxy);
  return plan;
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function contextPath(cwd: string, projectDir: string): string {
  const path = toPosix(relative(cwd, projectDir));
  return path === '' ? '.' : path;
}

function orderBinaries(mains: readonly MainPackage[], chosen: MainPackage, port: number | undefined): BinaryPlan[] {
  const reserved = new Set(['build', 'scratch']);
  const used = new Set<string>();
  const plans = mains.map((main): BinaryPlan => {
    let stageName = main.binaryName.toLowerCase().replace(/[^a-z0-9._-]/g, '-');
    if (reserved.has(stageName) || used.has(stageName)) stageName = `${stageName}-image`;
    used.add(stageName);
    const plan: BinaryPlan = { name: main.binaryName, packagePath: main.packagePath, stageName, isDefault: main === chosen };
    // An explicit --port belongs to the default binary; the others keep their detected port.
    const mainPort = main === chosen ? (port ?? detectedPort(main)) : detectedPort(main);
    if (mainPort !== undefined) plan.port = mainPort;
    return plan;
  });
  return [...plans.filter((plan) => !plan.isDefault), ...plans.filter((plan) => plan.isDefault)];
}

/** Git hosts behind GOPRIVATE patterns: literal first elements, else matching requires. */
function hostsForPatterns(patterns: readonly string[], project: Project): string[] {
  const hosts = new Set<string>();
  for (const pattern of patterns) {
    const first = pattern.split('/')[0]!;
    if (!/[*?[]/.test(first)) {
      hosts.add(first);
      continue;
    }
    const matcher = new RegExp(`^${first.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
    for (const requirement of project.goMod.requires) {
      const host = requirement.path.split('/')[0]!;
      if (matcher.test(host)) hosts.add(host);
    }
  }
  return [...hosts].sort();
}

function daemonSettings(options: Options, regionDefaults: RegionDefaults, noProxy: string | undefined): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  if (regionDefaults.registryMirrors.length > 0) settings['registry-mirrors'] = regionDefaults.registryMirrors;
  const dns = options.dns.length > 0 ? options.dns : regionDefaults.dns;
  if (dns.length > 0) settings.dns = dns;
  if (options.proxy) {
    // "proxies" needs Docker Engine 23 or newer.
    settings.proxies = { 'http-proxy': options.proxy, 'https-proxy': options.proxy, 'no-proxy': noProxy };
  }
  settings['log-driver'] = 'json-file';
  settings['log-opts'] = { 'max-size': '10m', 'max-file': '3' };
  settings.features = { buildkit: true };
  settings.builder = { gc: { enabled: true, defaultKeepStorage: '20GB' } };
  return settings;
}

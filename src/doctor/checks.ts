// doctor's checks: pure functions from what was read (inputs.ts) to findings. Each finding
// names the failure mode of the field notes it prevents, and the fix.
import type { Project } from '../detect/project.js';
import type { GoMod } from '../detect/gomod.js';
import { UsageError } from '../errors.js';
import { imagePrograms } from '../options/defaults.js';
import { imageLibc, type Libc } from '../options/libc.js';
import { parseImageName } from '../values/image-name.js';
import { parseDnsServers, parseGoProxy } from '../options/validate.js';
import { moduleHosts } from '../detect/private.js';
import { matchPrefixPatterns } from '../values/glob.js';
import { dockerignoreRules, ignoreRuleMatches, isIgnored } from '../values/dockerignore.js';
import { CONTEXT_IGNORE_FILE, MANAGED_PATHS } from '../plan/paths.js';
import { builderStage, lastSetting, mounts, runsGo, type DockerfileModel, type Stage } from './dockerfile.js';
import { finding, type Finding } from './findings.js';
import { MESSAGES } from './messages.js';

export interface DoctorInputs {
  /** The build context (the Go module's directory). */
  dir: string;
  goModText?: string;
  goMod?: GoMod;
  /** go.mod's syntax error, when it has one. */
  goModError?: { line: number; message: string };
  hasGoSum: boolean;
  hasGoWork: boolean;
  hasGitDir: boolean;
  vendored: boolean;
  /** Detection (main packages, cgo, embeds), when go.mod allowed it. */
  project?: Project;
  /** Relative paths that exist in the directory, for COPY sources. */
  exists: (relativePath: string) => boolean;
  /** generated: create-go-docker wrote it (its header line). */
  dockerfile?: { file: string; model: DockerfileModel; generated: boolean };
  dockerignore?: { file: string; text: string };
  daemonJson?: { file: string; text: string };
}

export function checkAll(inputs: DoctorInputs): Finding[] {
  return [
    ...checkModule(inputs),
    ...checkGoEnvironment(inputs),
    ...checkStructure(inputs),
    ...checkDockerignore(inputs),
    ...checkDaemonJson(inputs),
  ];
}

// ---- module

function checkModule(inputs: DoctorInputs): Finding[] {
  const findings: Finding[] = [];
  if (inputs.goModText === undefined) {
    findings.push(finding(MESSAGES.noGoMod({ dir: inputs.dir }), 'go.mod'));
    return findings;
  }
  if (inputs.goModError) {
    findings.push(finding(MESSAGES.goModSyntax({ message: inputs.goModError.message }), 'go.mod', inputs.goModError.line));
    return findings;
  }
  const goMod = inputs.goMod!;
  const external = goMod.requires.filter(
    (requirement) => !goMod.replaces.some((replacement) => replacement.isLocal && replacement.from === requirement.path),
  );
  if (!inputs.hasGoSum && !inputs.vendored && external.length > 0) {
    findings.push(finding(MESSAGES.goSumMissing({ count: external.length }), 'go.sum'));
  }
  for (const replacement of goMod.replaces.filter((item) => item.isLocal)) {
    const target = replacement.to.replace(/\\/g, '/');
    if (target.startsWith('../') || target === '..' || target.startsWith('/')) {
      findings.push(finding(MESSAGES.replaceOutside(replacement), 'go.mod', replacement.line));
    }
  }
  const dockerfile = inputs.dockerfile;
  if (!dockerfile) return findings;
  const instructions = dockerfile.model.stages.flatMap((stage) => stage.instructions);
  if (
    inputs.hasGoWork &&
    !instructions.some((instruction) => /\bgo\.work\b/.test(instruction.text)) &&
    lastSetting(dockerfile.model, 'GOWORK')?.value !== 'off'
  ) {
    findings.push(finding(MESSAGES.goWorkIgnored(), dockerfile.file));
  }
  const download = instructions.find((instruction) => runsGo(instruction, 'mod download'));
  if (inputs.vendored && download) {
    findings.push(finding(MESSAGES.vendorDownload(), dockerfile.file, download.line));
  }
  return findings;
}

// ---- Go environment

/** Go's GOPRIVATE matching (module.MatchPrefixPatterns): each glob against as many leading path elements. */
function matchesModulePattern(patterns: string, modulePath: string): boolean {
  return matchPrefixPatterns(
    patterns
      .split(',')
      .map((item) => item.trim())
      .join(','),
    modulePath,
  );
}

const REFERENCE = /\$\{?([A-Z_]+)\}?/g;
const MAX_EXPANDED_LENGTH = 10_000;

/**
 * A setting's value with ${OTHER} references to other settings expanded (ARG GONOSUMDB=${GOPRIVATE}).
 * A bounded number of passes with a length cap: settings that refer to each other, or that
 * multiply each other, end as text without references instead of recursing forever.
 */
function settingValue(model: DockerfileModel, name: string): string | undefined {
  if (!lastSetting(model, name)) return undefined;
  const values = new Map<string, string>();
  for (const setting of model.settings) values.set(setting.name, setting.value);
  for (let pass = 0; pass < 10; pass++) {
    let changed = false;
    for (const [key, value] of values) {
      if (!REFERENCE.test(value)) continue;
      REFERENCE.lastIndex = 0;
      const expanded = value
        .replace(REFERENCE, (_whole, other: string) => (other === key ? '' : (values.get(other) ?? '')))
        .slice(0, MAX_EXPANDED_LENGTH);
      if (expanded !== value) changed = true;
      values.set(key, expanded);
    }
    if (!changed) break;
  }
  return values.get(name)!.replace(REFERENCE, '');
}

const CHINA_HINT = /(\.cn\b|aliyun|daocloud|tuna\.tsinghua|ustc|163\.com|tencent|huaweicloud)/i;

function checkGoEnvironment(inputs: DoctorInputs): Finding[] {
  const dockerfile = inputs.dockerfile;
  if (!dockerfile || !inputs.goMod) return [];
  const { model, file } = dockerfile;
  const findings: Finding[] = [];
  const goProxy = lastSetting(model, 'GOPROXY');
  // The classification the generator's detected GOPRIVATE uses: what it writes, this accepts.
  const privateRequires = moduleHosts([inputs.goMod]).modules.filter((module) => module.kind === 'private');

  if (!goProxy && !inputs.vendored) {
    const hints: string[] = [];
    if (inputs.daemonJson && CHINA_HINT.test(inputs.daemonJson.text)) hints.push(`${inputs.daemonJson.file} uses a mainland China mirror`);
    if (
      model.stages.some((stage) =>
        stage.instructions.some((instruction) => instruction.keyword === 'RUN' && CHINA_HINT.test(instruction.text)),
      )
    )
      hints.push('the Dockerfile uses a mainland China package mirror');
    if (inputs.daemonJson && /"(https?-proxy|proxies)"/.test(inputs.daemonJson.text))
      hints.push(`${inputs.daemonJson.file} sets an HTTP proxy`);
    if (privateRequires.length > 0) hints.push(`go.mod requires ${privateRequires[0]!.path}, which looks private`);
    if (hints.length > 0) findings.push(finding(MESSAGES.noGoProxy({ hints }), file));
  }
  if (goProxy && !goProxy.value.includes('$') && goProxy.value !== '') {
    try {
      parseGoProxy('GOPROXY', goProxy.value);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      const reason = error.message.replace(/^GOPROXY: /, '').replace(/\.$/, '');
      findings.push(finding(MESSAGES.goProxyMalformed({ value: goProxy.value, reason }), file, goProxy.line));
    }
    const entries = goProxy.value.split(/[,|]/);
    const directAt = entries.indexOf('direct');
    if (directAt >= 0 && directAt < entries.length - 1) findings.push(finding(MESSAGES.directNotLast(goProxy), file, goProxy.line));
  }
  const goSumDb = lastSetting(model, 'GOSUMDB');
  if (goSumDb?.value === 'off') findings.push(finding(MESSAGES.goSumDbOff(), file, goSumDb.line));
  if (!inputs.vendored) {
    const goPrivate = settingValue(model, 'GOPRIVATE') ?? '';
    const noProxy = settingValue(model, 'GONOPROXY') ?? goPrivate;
    const noSumDb = settingValue(model, 'GONOSUMDB') ?? goPrivate;
    const proxyEntries = (goProxy?.value ?? 'https://proxy.golang.org,direct').split(/[,|]/);
    const throughProxy = proxyEntries.some((entry) => entry !== 'direct' && entry !== 'off');
    for (const requirement of privateRequires) {
      const line = lineOf(inputs.goModText ?? '', requirement.required);
      const values = { path: requirement.path, file, host: requirement.host };
      if (throughProxy && !matchesModulePattern(noProxy, requirement.path)) {
        findings.push(finding(MESSAGES.privateThroughProxy(values), 'go.mod', line));
      } else if (goSumDb?.value !== 'off' && !matchesModulePattern(noSumDb, requirement.path)) {
        findings.push(finding(MESSAGES.privateThroughSumDb(values), 'go.mod', line));
      }
    }
  }
  const goFlags = lastSetting(model, 'GOFLAGS');
  if (goFlags && /(^|\s)-insecure\b/.test(goFlags.value)) findings.push(finding(MESSAGES.goFlagsInsecure(), file, goFlags.line));
  findings.push(...checkCredentials(model, file));
  if (!inputs.vendored)
    findings.push(...checkPrivateFetch(inputs, model, file, settingValue(model, 'GONOPROXY') ?? settingValue(model, 'GOPRIVATE') ?? ''));
  return findings;
}

/**
 * GOPRIVATE sends private modules straight to git; a step that fetches them needs credentials:
 * a .netrc secret mount or the SSH agent. Without either, the build stops with "terminal
 * prompts disabled" or "could not read Username" (the most common private-GitLab failure).
 */
function checkPrivateFetch(inputs: DoctorInputs, model: DockerfileModel, file: string, direct: string): Finding[] {
  if (direct === '' || !inputs.goMod) return [];
  // What the build downloads (a require replaced by a directory is not fetched): the same list
  // the generator's default --auth looks at.
  const privateRequires = moduleHosts([inputs.goMod]).modules.filter((module) => matchesModulePattern(direct, module.path));
  if (privateRequires.length === 0) return [];
  const instructions = model.stages.flatMap((stage) => stage.instructions);
  const fetching = instructions.filter(
    (instruction) => runsGo(instruction, 'mod download') || runsGo(instruction, 'build') || runsGo(instruction, 'install'),
  );
  if (fetching.length === 0) return [];
  const credentialed = fetching.some((instruction) => mounts(instruction).some((mount) => /(^|,)type=(secret|ssh)(,|$)/.test(mount)));
  // A copied .netrc, or a token in a URL (git config url."https://oauth2:${TOKEN}@host/".insteadOf),
  // also authenticates: GCD015 reports it as a leak, and saying "no credentials" beside it would
  // contradict it.
  const copiedNetrc = instructions.some(
    (instruction) =>
      (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') &&
      instruction.args.some((arg) => /(^|\/)(\.netrc|_netrc|\.git-credentials)$/.test(arg)),
  );
  const tokenInUrl = instructions.some((instruction) => URL_WITH_PASSWORD.test(instruction.text) || URL_WITH_TOKEN.test(instruction.text));
  if (credentialed || copiedNetrc || tokenInUrl) return [];
  const { path, host } = privateRequires[0]!;
  return [finding(MESSAGES.privateWithoutCredentials({ path, more: privateRequires.length - 1, host }), file, fetching[0]!.line)];
}

function lineOf(text: string, needle: string): number | undefined {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  return index >= 0 ? index + 1 : undefined;
}

const SECRET_NAME = /(TOKEN|PASSWORD|PASSWD|SECRET|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|NETRC)/i;
const SECRET_FILE = /(^|\/)(\.netrc|_netrc|\.git-credentials|id_(rsa|dsa|ecdsa|ed25519)[^/]*|[^/]+\.key)$/;
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/@:]+:[^\s/@]+@/i;
const URL_WITH_TOKEN = /https?:\/\/(\$\{?\w+\}?|[A-Za-z0-9_-]{20,})@/;

function checkCredentials(model: DockerfileModel, file: string): Finding[] {
  const findings: Finding[] = [];
  const finalStage = model.stages.at(-1);
  for (const stage of model.stages)
    for (const instruction of stage.instructions) {
      if (instruction.keyword === 'ARG' || instruction.keyword === 'ENV') {
        for (const argument of instruction.args) {
          const name = argument.split('=')[0]!;
          if (SECRET_NAME.test(name))
            findings.push(
              finding(
                MESSAGES.secretInSetting({ keyword: instruction.keyword, name, finalStage: stage === finalStage }),
                file,
                instruction.line,
              ),
            );
        }
      }
      if (URL_WITH_PASSWORD.test(instruction.text) || URL_WITH_TOKEN.test(instruction.text))
        findings.push(finding(MESSAGES.credentialsInUrl(instruction), file, instruction.line));
      if ((instruction.keyword === 'COPY' || instruction.keyword === 'ADD') && !instruction.flags.some((flag) => flag.name === 'from')) {
        for (const source of instruction.args.slice(0, -1)) {
          if (SECRET_FILE.test(source))
            findings.push(finding(MESSAGES.secretFileCopied({ keyword: instruction.keyword, source }), file, instruction.line));
        }
      }
    }
  return findings;
}

// ---- Dockerfile structure

function isWholeContext(source: string): boolean {
  return source === '.' || source === './' || source === '*';
}

/** The golang image's version from its tag: [major, minor, patch?], or undefined for latest/untagged. */
function golangImageVersion(image: string): { name: boolean; version?: number[] } {
  const match = /(?:^|\/)golang(?::([^@]+))?(?:@.*)?$/.exec(image);
  if (!match) return { name: false };
  const tag = /^(\d+)\.(\d+)(?:\.(\d+))?(?:rc\d+)?(?:-|$)/.exec(match[1] ?? '');
  return tag ? { name: true, version: [Number(tag[1]), Number(tag[2]), ...(tag[3] ? [Number(tag[3])] : [])] } : { name: true };
}

/** imageVersion satisfies required when it is at least as new in every component the tag names. */
function olderThan(imageVersion: number[], required: string): boolean {
  const needed = required
    .replace(/(rc|beta).*$/, '')
    .split('.')
    .map(Number);
  for (let index = 0; index < imageVersion.length; index++) {
    const difference = imageVersion[index]! - (needed[index] ?? 0);
    if (difference !== 0) return difference < 0;
  }
  return false;
}

function checkStructure(inputs: DoctorInputs): Finding[] {
  const dockerfile = inputs.dockerfile;
  if (!dockerfile) {
    return inputs.goModText === undefined ? [] : [finding(MESSAGES.noDockerfile(), MANAGED_PATHS.dockerfile)];
  }
  const { model, file } = dockerfile;
  const findings: Finding[] = [];
  const builder = builderStage(model);
  const runtime = model.stages.at(-1);
  if (!builder || !runtime) return findings;

  // Cache busting: the whole context copied before modules are downloaded.
  const wholeCopy = builder.instructions.find(
    (instruction) =>
      (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') &&
      !instruction.flags.some((flag) => flag.name === 'from') &&
      instruction.args.slice(0, -1).some(isWholeContext),
  );
  const download = builder.instructions.find((instruction) => runsGo(instruction, 'mod download'));
  const build = builder.instructions.find((instruction) => runsGo(instruction, 'build'));
  if (
    wholeCopy &&
    !inputs.vendored &&
    (download
      ? wholeCopy.line < download.line
      : build && !mounts(build).some((mount) => /type=cache/.test(mount) && /\/go\/pkg\/mod/.test(mount)))
  ) {
    findings.push(finding(MESSAGES.copyBeforeDownload({ copy: `${wholeCopy.keyword} ${wholeCopy.args.join(' ')}` }), file, wholeCopy.line));
  }
  for (const instruction of builder.instructions) {
    const cacheTargets = mounts(instruction).filter((mount) => /type=cache/.test(mount));
    if (runsGo(instruction, 'build') && !cacheTargets.some((mount) => /go-build/.test(mount)))
      findings.push(finding(MESSAGES.noBuildCache(), file, instruction.line));
    if (runsGo(instruction, 'mod download') && !cacheTargets.some((mount) => /\/go\/pkg\/mod/.test(mount)))
      findings.push(finding(MESSAGES.noModuleCache(), file, instruction.line));
  }

  const golang = golangImageVersion(builder.image);
  if (golang.name && inputs.goMod) {
    const goMod = inputs.goMod;
    const { goVersion, toolchain } = goMod;
    const image = builder.image;
    if (!golang.version) findings.push(finding(MESSAGES.golangUntagged({ image, goMod }), file, builder.line));
    else if (goVersion && olderThan(golang.version, goVersion))
      findings.push(finding(MESSAGES.golangTooOld({ image, goVersion, goMod }), file, builder.line));
    else if (toolchain && olderThan(golang.version, toolchain) && !lastSetting(model, 'GOTOOLCHAIN'))
      findings.push(finding(MESSAGES.toolchainDownload({ image, toolchain, goMod }), file, builder.line));
  }

  findings.push(...checkCopySources(inputs, model, file));

  // The generator's table (options/libc.ts): an image it refuses for cgo, doctor reports; an
  // image the table does not know is taken to have a C library, as the generator takes it.
  const staticRuntime = imageLibc(runtime.image)?.libc === 'none';
  const cgoSetting = lastSetting(model, 'CGO_ENABLED');
  if (staticRuntime && cgoSetting?.value !== '0') findings.push(finding(MESSAGES.cgoNotDisabled(runtime), file, runtime.line));
  const cgoReasons = inputs.project?.cgoReasons ?? [];
  if (staticRuntime && cgoReasons.length > 0)
    findings.push(finding(MESSAGES.cgoWithoutLibc({ reason: cgoReasons[0]!, image: runtime.image }), file, runtime.line));
  // A glibc builder (the golang image's default) feeding Alpine, or the other way round.
  const builderLibc = golangImageLibc(builder.image) ?? imageLibc(builder.image)?.libc;
  const runtimeLibc = imageLibc(runtime.image)?.libc;
  if (
    builderLibc &&
    runtimeLibc &&
    builderLibc !== 'none' &&
    runtimeLibc !== 'none' &&
    builderLibc !== runtimeLibc &&
    cgoSetting?.value !== '0'
  )
    findings.push(
      finding(MESSAGES.libcMismatch({ builder: builder.image, builderLibc, image: runtime.image, runtimeLibc }), file, runtime.line),
    );
  // On a runtime without a C library, GCD027 already says it (and its fix changes the runtime too).
  if (!staticRuntime && cgoSetting?.value === '0' && cgoReasons.length > 0)
    findings.push(finding(MESSAGES.cgoDisabledForDriver({ reason: cgoReasons[0]! }), file, cgoSetting.line));
  // The programs the code runs (exec.Command("git", ...)): a runtime without a package manager cannot have them.
  const [program] = inputs.project ? imagePrograms({}, inputs.project) : [];
  if (program && /(^|\/)scratch$|\/distroless\//.test(runtime.image))
    findings.push(finding(MESSAGES.programWithoutRuntime({ ...program, image: runtime.image }), file, runtime.line));
  if (
    /(^|\/)scratch$/.test(runtime.image) &&
    !runtime.instructions.some(
      (instruction) => instruction.keyword === 'COPY' && /ca-certificates|\/etc\/ssl\/certs/.test(instruction.text),
    )
  )
    findings.push(finding(MESSAGES.scratchWithoutCa(), file, runtime.line));
  findings.push(...checkRuntimeUser(runtime, file));
  for (const instruction of runtime.instructions) {
    if ((instruction.keyword === 'ENTRYPOINT' || instruction.keyword === 'CMD') && !instruction.execForm)
      findings.push(finding(MESSAGES.shellForm(instruction), file, instruction.line));
  }
  for (const instruction of model.stages.flatMap((stage) => stage.instructions)) {
    if (instruction.keyword !== 'ADD') continue;
    const sources = instruction.args.slice(0, -1);
    if (sources.length > 0 && sources.every((source) => !/^(https?|git):\/\/|^git@|\.(tar|tgz|tar\.\w+)$/.test(source)))
      findings.push(finding(MESSAGES.addLocal({ args: instruction.args.join(' ') }), file, instruction.line));
  }
  return findings;
}

function checkRuntimeUser(runtime: Stage, file: string): Finding[] {
  const user = runtime.instructions.filter((instruction) => instruction.keyword === 'USER').at(-1);
  const name = user?.args[0]?.split(':')[0];
  if (user ? name === 'root' || name === '0' : !/nonroot/.test(runtime.image)) {
    return [
      user ? finding(MESSAGES.rootUser({ user: user.args[0]! }), file, user.line) : finding(MESSAGES.noUser(runtime), file, runtime.line),
    ];
  }
  return [];
}

function checkCopySources(inputs: DoctorInputs, model: DockerfileModel, file: string): Finding[] {
  const findings: Finding[] = [];
  const rules = dockerignoreRules(inputs.dockerignore?.text);
  for (const instruction of model.stages.flatMap((stage) => stage.instructions)) {
    if ((instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') || instruction.flags.some((flag) => flag.name === 'from'))
      continue;
    for (const source of instruction.args.slice(0, -1)) {
      if (/[*?[$]|^[a-z]+:\/\/|^git@|^<</.test(source) || isWholeContext(source)) continue;
      const path = source.replace(/^\.?\//, '').replace(/\/$/, '');
      const missing = !inputs.exists(path);
      const values = { copy: `${instruction.keyword} ${source}`, dir: inputs.dir, path };
      if (missing) findings.push(finding(MESSAGES.copyMissing(values), file, instruction.line));
      else if (isIgnored(rules, path)) findings.push(finding(MESSAGES.copyIgnored(values), file, instruction.line));
    }
  }
  return findings;
}

// ---- .dockerignore

function checkDockerignore(inputs: DoctorInputs): Finding[] {
  if (inputs.goModText === undefined) return [];
  if (!inputs.dockerignore) return [finding(MESSAGES.noDockerignore(), CONTEXT_IGNORE_FILE)];
  const { file, text } = inputs.dockerignore;
  const rules = dockerignoreRules(text);
  const findings: Finding[] = [];
  if (inputs.hasGitDir && !isIgnored(rules, '.git')) findings.push(finding(MESSAGES.gitKept(), file));
  const needed = [
    'go.mod',
    ...(inputs.hasGoSum ? ['go.sum'] : []),
    ...(inputs.vendored ? ['vendor/modules.txt'] : []),
    ...(inputs.project?.embedPatterns ?? []).map((pattern) => pattern.split(/[*?[]/)[0]!.replace(/\/$/, '')).filter(Boolean),
  ];
  for (const path of needed) {
    if (isIgnored(rules, path)) {
      const lines = text.split('\n');
      const line = lines.findIndex(
        (entry) =>
          entry.trim() !== '' && !entry.trim().startsWith('!') && !entry.trim().startsWith('#') && ignoreRuleMatches(entry.trim(), path),
      );
      findings.push(finding(MESSAGES.neededIgnored({ path }), file, line >= 0 ? line + 1 : undefined));
    }
  }
  return findings;
}

// ---- daemon.json

const DAEMON_KEYS = new Set([
  'allow-nondistributable-artifacts',
  'api-cors-header',
  'authorization-plugins',
  'bip',
  'bip6',
  'bridge',
  'builder',
  'cdi-spec-dirs',
  'cgroup-parent',
  'cluster-advertise',
  'cluster-store',
  'cluster-store-opts',
  'containerd',
  'containerd-namespace',
  'containerd-plugin-namespace',
  'data-root',
  'debug',
  'default-address-pools',
  'default-cgroupns-mode',
  'default-gateway',
  'default-gateway-v6',
  'default-ipc-mode',
  'default-network-opts',
  'default-runtime',
  'default-shm-size',
  'default-ulimits',
  'dns',
  'dns-opts',
  'dns-search',
  'exec-opts',
  'exec-root',
  'experimental',
  'features',
  'fixed-cidr',
  'fixed-cidr-v6',
  'group',
  'host-gateway-ip',
  'hosts',
  'icc',
  'init',
  'init-path',
  'insecure-registries',
  'ip',
  'ip-forward',
  'ip-masq',
  'ip6tables',
  'iptables',
  'ipv6',
  'labels',
  'live-restore',
  'log-driver',
  'log-format',
  'log-level',
  'log-opts',
  'max-concurrent-downloads',
  'max-concurrent-uploads',
  'max-download-attempts',
  'metrics-addr',
  'mtu',
  'no-new-privileges',
  'node-generic-resources',
  'oom-score-adjust',
  'pidfile',
  'proxies',
  'raw-logs',
  'registry-mirrors',
  'runtimes',
  'seccomp-profile',
  'selinux-enabled',
  'shutdown-timeout',
  'storage-driver',
  'storage-opts',
  'swarm-default-advertise-addr',
  'tls',
  'tlscacert',
  'tlscert',
  'tlskey',
  'tlsverify',
  'userland-proxy',
  'userland-proxy-path',
  'userns-remap',
]);

/** The golang image's C library: its -alpine tags are musl, every other tag Debian's glibc. */
function golangImageLibc(reference: string): Libc | undefined {
  if (reference.includes('$')) return undefined;
  const { path, suffix } = parseImageName(reference);
  if (path.split('/').at(-1) !== 'golang') return undefined;
  return /alpine/.test(suffix) ? 'musl' : 'glibc';
}

function checkDaemonJson(inputs: DoctorInputs): Finding[] {
  if (!inputs.daemonJson) return [];
  const { file, text } = inputs.daemonJson;
  let settings: unknown;
  try {
    settings = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(String(error))?.[1];
    const line = position === undefined ? undefined : text.slice(0, Number(position)).split('\n').length;
    return [finding(MESSAGES.daemonJsonSyntax({ message: (error as Error).message }), file, line)];
  }
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    return [finding(MESSAGES.daemonJsonNotObject(), file, 1)];
  }
  const findings: Finding[] = [];
  const record = settings as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!DAEMON_KEYS.has(key)) findings.push(finding(MESSAGES.unknownDaemonKey({ key }), file, lineOf(text, `"${key}"`)));
  }
  if ('proxies' in record) findings.push(finding(MESSAGES.proxiesNeedEngine23(), file, lineOf(text, '"proxies"')));
  const mirrors = record['registry-mirrors'];
  for (const mirror of Array.isArray(mirrors) ? mirrors : mirrors === undefined ? [] : [mirrors]) {
    let valid = false;
    try {
      const url = new URL(String(mirror));
      valid =
        (url.protocol === 'https:' || url.protocol === 'http:') &&
        (url.pathname === '/' || url.pathname === '') &&
        !url.search &&
        !url.hash;
    } catch {
      valid = false;
    }
    if (!valid) findings.push(finding(MESSAGES.badMirror({ mirror }), file, lineOf(text, String(mirror))));
  }
  const dns = record.dns;
  for (const address of Array.isArray(dns) ? dns : dns === undefined ? [] : [dns]) {
    try {
      parseDnsServers('dns', String(address));
    } catch {
      findings.push(finding(MESSAGES.badDns({ address }), file, lineOf(text, String(address))));
    }
  }
  return findings;
}

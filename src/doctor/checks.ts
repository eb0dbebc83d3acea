// doctor's checks: pure functions from what was read (inputs.ts) to findings. Each finding
// names the failure mode of the field notes it prevents, and the fix.
import type { Project } from '../detect/project.js';
import type { GoMod } from '../detect/gomod.js';
import { UsageError } from '../errors.js';
import { imageLibc } from '../options/libc.js';
import { parseDnsServers, parseGoProxy } from '../options/validate.js';
import { moduleHosts } from '../detect/private.js';
import { matchPrefixPatterns } from '../values/glob.js';
import { dockerignoreRules, ignoreRuleMatches, isIgnored } from '../values/dockerignore.js';
import { builderStage, lastSetting, mounts, runsGo, type DockerfileModel, type Stage } from './dockerfile.js';
import { finding, type Finding } from './findings.js';

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
  dockerfile?: { file: string; model: DockerfileModel };
  dockerignore?: { file: string; text: string };
  daemonJson?: { file: string; text: string };
}

const REGENERATE = 'run npx create-go-docker to generate a Dockerfile that does this';

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
    findings.push(
      finding(
        'GCD001',
        'go.mod',
        undefined,
        `no go.mod in ${inputs.dir}, the build context: "go mod download" fails with "go.mod file not found".`,
        'run doctor (and docker build) in the module root, or create the module with go mod init.',
      ),
    );
    return findings;
  }
  if (inputs.goModError) {
    findings.push(
      finding(
        'GCD007',
        'go.mod',
        inputs.goModError.line,
        `go.mod cannot be parsed: ${inputs.goModError.message}.`,
        'fix it; go mod edit -fmt shows the problem.',
      ),
    );
    return findings;
  }
  const goMod = inputs.goMod!;
  const external = goMod.requires.filter(
    (requirement) => !goMod.replaces.some((replacement) => replacement.isLocal && replacement.from === requirement.path),
  );
  if (!inputs.hasGoSum && !inputs.vendored && external.length > 0) {
    findings.push(
      finding(
        'GCD002',
        'go.sum',
        undefined,
        `go.sum is missing but go.mod requires ${external.length} module${external.length > 1 ? 's' : ''}: the build stops with "missing go.sum entry".`,
        'run go mod tidy and commit go.sum.',
      ),
    );
  }
  for (const replacement of goMod.replaces.filter((item) => item.isLocal)) {
    const target = replacement.to.replace(/\\/g, '/');
    if (target.startsWith('../') || target === '..' || target.startsWith('/')) {
      findings.push(
        finding(
          'GCD003',
          'go.mod',
          replacement.line,
          `replace ${replacement.from} => ${replacement.to} points outside the build context: "replacement directory ${replacement.to} does not exist" in the build.`,
          'vendor it (go mod vendor), publish the module, or move it inside the module directory.',
        ),
      );
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
    findings.push(
      finding(
        'GCD004',
        dockerfile.file,
        undefined,
        'go.work is here but the Dockerfile neither copies it nor sets GOWORK=off: the image may build other module versions than your workspace does.',
        'add ENV GOWORK=off to build the module alone (what create-go-docker does), or copy go.work and the modules it uses.',
      ),
    );
  }
  const download = instructions.find((instruction) => runsGo(instruction, 'mod download'));
  if (inputs.vendored && download) {
    findings.push(
      finding(
        'GCD005',
        dockerfile.file,
        download.line,
        'vendor/ holds every dependency, yet the build runs go mod download: it needs the network for nothing.',
        'drop the go mod download step and build with -mod=vendor (GOFLAGS=-mod=vendor), as create-go-docker does.',
      ),
    );
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
    if (hints.length > 0) {
      findings.push(
        finding(
          'GCD010',
          file,
          undefined,
          `no GOPROXY, so the build uses proxy.golang.org, although ${hints.join(' and ')}: expect "dial tcp ... i/o timeout" where it is blocked.`,
          'add ARG GOPROXY=https://goproxy.cn,direct (mainland China) or your company proxy; create-go-docker --region cn|custom writes it.',
        ),
      );
    }
  }
  if (goProxy && !goProxy.value.includes('$') && goProxy.value !== '') {
    try {
      parseGoProxy('GOPROXY', goProxy.value);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      findings.push(
        finding(
          'GCD011',
          file,
          goProxy.line,
          `GOPROXY=${goProxy.value} is malformed (${error.message.replace(/^GOPROXY: /, '').replace(/\.$/, '')}): go refuses it or skips entries.`,
          'write http(s) URLs joined by "," (next on 404/410) or "|" (next on any error), with direct or off last, e.g. https://goproxy.cn,direct.',
        ),
      );
    }
    const entries = goProxy.value.split(/[,|]/);
    const directAt = entries.indexOf('direct');
    if (directAt >= 0 && directAt < entries.length - 1) {
      findings.push(
        finding(
          'GCD011',
          file,
          goProxy.line,
          `GOPROXY=${goProxy.value} has "direct" before other entries: those are never tried for modules direct can answer (even with a 404/410).`,
          'put direct last, e.g. https://goproxy.cn,direct.',
        ),
      );
    }
  }
  const goSumDb = lastSetting(model, 'GOSUMDB');
  if (goSumDb?.value === 'off') {
    findings.push(
      finding(
        'GCD012',
        file,
        goSumDb.line,
        'GOSUMDB=off turns off checksum verification for every module (supply-chain protection).',
        'keep GOSUMDB (sum.golang.google.cn in mainland China) and list private modules in GOPRIVATE instead.',
      ),
    );
  }
  if (!inputs.vendored) {
    const goPrivate = settingValue(model, 'GOPRIVATE') ?? '';
    const noProxy = settingValue(model, 'GONOPROXY') ?? goPrivate;
    const noSumDb = settingValue(model, 'GONOSUMDB') ?? goPrivate;
    const proxyEntries = (goProxy?.value ?? 'https://proxy.golang.org,direct').split(/[,|]/);
    const throughProxy = proxyEntries.some((entry) => entry !== 'direct' && entry !== 'off');
    for (const requirement of privateRequires) {
      const line = lineOf(inputs.goModText ?? '', requirement.required);
      const host = requirement.host;
      if (throughProxy && !matchesModulePattern(noProxy, requirement.path)) {
        findings.push(
          finding(
            'GCD013',
            'go.mod',
            line,
            `${requirement.path} looks private but GOPRIVATE/GONOPROXY in ${file} do not cover it: the build asks the public proxy ("410 Gone", "unknown revision").`,
            `add ARG GOPRIVATE=${host}/* to ${file} (create-go-docker --private '${host}/*').`,
          ),
        );
      } else if (goSumDb?.value !== 'off' && !matchesModulePattern(noSumDb, requirement.path)) {
        findings.push(
          finding(
            'GCD013',
            'go.mod',
            line,
            `${requirement.path} looks private but GOPRIVATE/GONOSUMDB in ${file} do not cover it: "verifying module: ... 410 Gone" from the checksum database.`,
            `add ${host}/* to GOPRIVATE (or GONOSUMDB) in ${file}.`,
          ),
        );
      }
    }
  }
  const goFlags = lastSetting(model, 'GOFLAGS');
  if (goFlags && /(^|\s)-insecure\b/.test(goFlags.value)) {
    findings.push(
      finding(
        'GCD014',
        file,
        goFlags.line,
        'GOFLAGS=-insecure was removed in Go 1.16: go stops with "-insecure flag is no longer supported".',
        'use GOINSECURE=host for a server without HTTPS, or better, trust its CA (create-go-docker --ca-cert).',
      ),
    );
  }
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
  // A copied .netrc also authenticates (GCD015 reports it as a leak).
  const copiedNetrc = instructions.some(
    (instruction) =>
      (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') &&
      instruction.args.some((arg) => /(^|\/)(\.netrc|_netrc|\.git-credentials)$/.test(arg)),
  );
  if (credentialed || copiedNetrc) return [];
  const requirement = privateRequires[0]!;
  const host = requirement.host;
  return [
    finding(
      'GCD016',
      file,
      fetching[0]!.line,
      `go.mod requires ${requirement.path}${privateRequires.length > 1 ? ` and ${privateRequires.length - 1} more` : ''}, which GOPRIVATE sends straight to git, but no step that fetches mounts a secret (.netrc) or the SSH agent: the build stops with "terminal prompts disabled" or "could not read Username for 'https://${host}'".`,
      `mount a .netrc with a token for ${host} in each fetching step (RUN --mount=type=secret,id=netrc,target=/root/.netrc,required=true; docker build --secret id=netrc,src=$HOME/.netrc), or forward SSH (--mount=type=ssh; docker build --ssh default): create-go-docker --auth token|ssh writes both.`,
    ),
  ];
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
  for (const instruction of model.stages.flatMap((stage) => stage.instructions)) {
    if (instruction.keyword === 'ARG' || instruction.keyword === 'ENV') {
      for (const argument of instruction.args) {
        const name = argument.split('=')[0]!;
        if (SECRET_NAME.test(name)) {
          findings.push(
            finding(
              'GCD015',
              file,
              instruction.line,
              `${instruction.keyword} ${name}: ${instruction.keyword} values stay in the image history (docker history) for anyone who pulls it.`,
              'pass it as a BuildKit secret: RUN --mount=type=secret,id=netrc,target=/root/.netrc (docker build --secret id=netrc,src=$HOME/.netrc).',
            ),
          );
        }
      }
    }
    if (URL_WITH_PASSWORD.test(instruction.text) || URL_WITH_TOKEN.test(instruction.text)) {
      findings.push(
        finding(
          'GCD015',
          file,
          instruction.line,
          `${instruction.keyword} has credentials in a URL: they end up in the layer or its history.`,
          'use a .netrc BuildKit secret or the SSH agent (--ssh) instead of user:token@ URLs.',
        ),
      );
    }
    if ((instruction.keyword === 'COPY' || instruction.keyword === 'ADD') && !instruction.flags.some((flag) => flag.name === 'from')) {
      for (const source of instruction.args.slice(0, -1)) {
        if (SECRET_FILE.test(source)) {
          findings.push(
            finding(
              'GCD015',
              file,
              instruction.line,
              `${instruction.keyword} ${source} puts a credential into a layer, where docker save finds it even if a later step deletes it.`,
              'mount it only where needed: RUN --mount=type=secret (tokens) or --mount=type=ssh (keys).',
            ),
          );
        }
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
    return inputs.goModText === undefined
      ? []
      : [finding('GCD006', 'Dockerfile', undefined, 'no Dockerfile to check.', `${REGENERATE}, or pass --dockerfile PATH.`)];
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
    findings.push(
      finding(
        'GCD020',
        file,
        wholeCopy.line,
        `${wholeCopy.keyword} ${wholeCopy.args.join(' ')} comes before go mod download: any edit invalidates the download step, so every build downloads every module again.`,
        `copy (or bind-mount) go.mod and go.sum, run go mod download, then the source; ${REGENERATE}.`,
      ),
    );
  }
  for (const instruction of builder.instructions) {
    const cacheTargets = mounts(instruction).filter((mount) => /type=cache/.test(mount));
    if (runsGo(instruction, 'build') && !cacheTargets.some((mount) => /go-build/.test(mount))) {
      findings.push(
        finding(
          'GCD021',
          file,
          instruction.line,
          'go build has no cache mount for the build cache: every build compiles all dependencies, and since Go 1.20 the standard library too.',
          'RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go build ...',
        ),
      );
    }
    if (runsGo(instruction, 'mod download') && !cacheTargets.some((mount) => /\/go\/pkg\/mod/.test(mount))) {
      findings.push(
        finding(
          'GCD021',
          file,
          instruction.line,
          'go mod download has no cache mount for /go/pkg/mod: a go.mod change downloads every module again.',
          'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
        ),
      );
    }
  }

  const golang = golangImageVersion(builder.image);
  if (golang.name && inputs.goMod) {
    const { goVersion, toolchain } = inputs.goMod;
    if (!golang.version) {
      findings.push(
        finding(
          'GCD023',
          file,
          builder.line,
          `FROM ${builder.image}: an untagged or "latest" golang image changes under you, and may be older or newer than go.mod's go ${goVersion ?? '?'}.`,
          `pin it: FROM golang:${toolchain ?? goVersion ?? '1.xx'}-bookworm.`,
        ),
      );
    } else if (goVersion && olderThan(golang.version, goVersion)) {
      findings.push(
        finding(
          'GCD022',
          file,
          builder.line,
          `FROM ${builder.image} is older than go.mod's go ${goVersion}: the build downloads a newer toolchain ("go: downloading go${goVersion}") or fails ("go.mod requires go >= ${goVersion}").`,
          `use golang:${goVersion}-bookworm or newer (create-go-docker derives it from go.mod).`,
        ),
      );
    } else if (toolchain && olderThan(golang.version, toolchain) && !lastSetting(model, 'GOTOOLCHAIN')) {
      findings.push(
        finding(
          'GCD024',
          file,
          builder.line,
          `go.mod's toolchain go${toolchain} is newer than ${builder.image} and GOTOOLCHAIN is not set: go downloads go${toolchain} inside every build (slow, and fails offline or in mainland China).`,
          `use golang:${toolchain}-bookworm, or set ENV GOTOOLCHAIN=local to build with the image's Go.`,
        ),
      );
    }
  }

  findings.push(...checkCopySources(inputs, model, file));

  // The generator's table (options/libc.ts): an image it refuses for cgo, doctor reports; an
  // image the table does not know is taken to have a C library, as the generator takes it.
  const staticRuntime = imageLibc(runtime.image)?.libc === 'none';
  const cgoSetting = lastSetting(model, 'CGO_ENABLED');
  if (staticRuntime && cgoSetting?.value !== '0') {
    findings.push(
      finding(
        'GCD026',
        file,
        runtime.line,
        `FROM ${runtime.image} has no C library, but the build does not set CGO_ENABLED=0: the golang image links the binary dynamically, and the container fails with "no such file or directory".`,
        'build with CGO_ENABLED=0 go build ... (a static binary).',
      ),
    );
  }
  const cgoReasons = inputs.project?.cgoReasons ?? [];
  if (staticRuntime && cgoReasons.length > 0) {
    findings.push(
      finding(
        'GCD027',
        file,
        runtime.line,
        `the code needs cgo (${cgoReasons[0]}) but ${runtime.image} has no C library to run it.`,
        'use gcr.io/distroless/base-debian12 or debian:bookworm-slim (create-go-docker --cgo auto picks one).',
      ),
    );
  }
  if (
    /(^|\/)scratch$/.test(runtime.image) &&
    !runtime.instructions.some(
      (instruction) => instruction.keyword === 'COPY' && /ca-certificates|\/etc\/ssl\/certs/.test(instruction.text),
    )
  ) {
    findings.push(
      finding(
        'GCD028',
        file,
        runtime.line,
        'FROM scratch has no CA certificates: outgoing HTTPS fails with "x509: certificate signed by unknown authority".',
        'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
      ),
    );
  }
  findings.push(...checkRuntimeUser(runtime, file));
  for (const instruction of runtime.instructions) {
    if ((instruction.keyword === 'ENTRYPOINT' || instruction.keyword === 'CMD') && !instruction.execForm) {
      findings.push(
        finding(
          'GCD030',
          file,
          instruction.line,
          `${instruction.keyword} ${instruction.text} is shell form: it needs /bin/sh (absent from distroless and scratch) and the process does not receive SIGTERM.`,
          `use exec form: ${instruction.keyword} ["${instruction.args[0] ?? '/app'}"${instruction.args
            .slice(1)
            .map((argument) => `, "${argument}"`)
            .join('')}]`,
        ),
      );
    }
  }
  for (const instruction of model.stages.flatMap((stage) => stage.instructions)) {
    if (instruction.keyword !== 'ADD') continue;
    const sources = instruction.args.slice(0, -1);
    if (sources.length > 0 && sources.every((source) => !/^(https?|git):\/\/|^git@|\.(tar|tgz|tar\.\w+)$/.test(source))) {
      findings.push(
        finding(
          'GCD031',
          file,
          instruction.line,
          `ADD ${instruction.args.join(' ')} copies local files: ADD also unpacks archives and fetches URLs, which COPY makes explicit.`,
          'use COPY.',
        ),
      );
    }
  }
  return findings;
}

function checkRuntimeUser(runtime: Stage, file: string): Finding[] {
  const user = runtime.instructions.filter((instruction) => instruction.keyword === 'USER').at(-1);
  const name = user?.args[0]?.split(':')[0];
  if (user ? name === 'root' || name === '0' : !/nonroot/.test(runtime.image)) {
    return [
      finding(
        'GCD029',
        file,
        user?.line ?? runtime.line,
        user
          ? `USER ${user.args[0]}: the container runs as root.`
          : `no USER in the final stage: the container runs as root (${runtime.image}).`,
        'add USER 65532:65532 (numeric, so Kubernetes runAsNonRoot can verify it).',
      ),
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
      if (missing || isIgnored(rules, path)) {
        findings.push(
          finding(
            'GCD025',
            file,
            instruction.line,
            `${instruction.keyword} ${source}: ${missing ? 'not in the build context' : 'excluded by .dockerignore'} (${inputs.dir}); the build fails with "not found".`,
            missing
              ? 'fix the path (it is relative to the build context, the module root), or build from the directory that has it.'
              : 'remove the .dockerignore rule, or add !' + path + '.',
          ),
        );
      }
    }
  }
  return findings;
}

// ---- .dockerignore

function checkDockerignore(inputs: DoctorInputs): Finding[] {
  if (inputs.goModText === undefined) return [];
  if (!inputs.dockerignore) {
    return [
      finding(
        'GCD032',
        '.dockerignore',
        undefined,
        'no .dockerignore: the whole directory (.git, build outputs, local secrets such as .env) is sent to the builder and may reach a layer.',
        'add one; npx create-go-docker writes a Go-aware .dockerignore.',
      ),
    ];
  }
  const { file, text } = inputs.dockerignore;
  const rules = dockerignoreRules(text);
  const findings: Finding[] = [];
  if (inputs.hasGitDir && !isIgnored(rules, '.git')) {
    findings.push(
      finding(
        'GCD033',
        file,
        undefined,
        '.git is not excluded: the context carries the whole history, and any commit invalidates COPY . steps.',
        'add .git to .dockerignore.',
      ),
    );
  }
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
      findings.push(
        finding(
          'GCD034',
          file,
          line >= 0 ? line + 1 : undefined,
          `.dockerignore excludes ${path}, which the build needs ("${path}: not found" or a missing //go:embed file).`,
          `remove that rule or add !${path} after it.`,
        ),
      );
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

function checkDaemonJson(inputs: DoctorInputs): Finding[] {
  if (!inputs.daemonJson) return [];
  const { file, text } = inputs.daemonJson;
  let settings: unknown;
  try {
    settings = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(String(error))?.[1];
    const line = position === undefined ? undefined : text.slice(0, Number(position)).split('\n').length;
    return [
      finding(
        'GCD050',
        file,
        line,
        `not valid JSON (${(error as Error).message}): dockerd refuses to start.`,
        'fix the syntax (a trailing comma or a missing quote, usually); python3 -m json.tool shows where.',
      ),
    ];
  }
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    return [finding('GCD050', file, 1, 'not a JSON object: dockerd refuses to start.', 'write { "key": value, ... }.')];
  }
  const findings: Finding[] = [];
  const record = settings as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!DAEMON_KEYS.has(key))
      findings.push(
        finding(
          'GCD051',
          file,
          lineOf(text, `"${key}"`),
          `unknown key "${key}": dockerd stops with "the following directives don't match any configuration option".`,
          'remove it or fix its spelling (see the dockerd reference).',
        ),
      );
  }
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
    if (!valid)
      findings.push(
        finding(
          'GCD052',
          file,
          lineOf(text, String(mirror)),
          `registry mirror ${JSON.stringify(mirror)} is not an http(s) URL without a path: dockerd refuses it.`,
          'write it as https://mirror.example.com',
        ),
      );
  }
  const dns = record.dns;
  for (const address of Array.isArray(dns) ? dns : dns === undefined ? [] : [dns]) {
    try {
      parseDnsServers('dns', String(address));
    } catch {
      findings.push(
        finding(
          'GCD052',
          file,
          lineOf(text, String(address)),
          `dns ${JSON.stringify(address)} is not an IP address: dockerd refuses it.`,
          'list DNS servers by address, e.g. "223.5.5.5".',
        ),
      );
    }
  }
  return findings;
}

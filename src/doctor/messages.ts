// What each finding says, beside CHECKS (findings.ts): the check it belongs to, the problem and
// the fix, with the values they name. The checks decide which message applies; the words live
// here. The generator's own facts a fix cites (images, the runtime user, the mainland China
// proxy) come from plan/ and options/, so doctor advises what generate writes.
import type { GoMod } from '../detect/gomod.js';
import { REGION_DEFAULTS } from '../options/regions.js';
import { NETRC_SECRET_FLAG } from '../plan/fetch.js';
import { cgoRuntimeImages, golangImageForGoMod, RUNTIME_USER } from '../plan/images.js';
import type { Message } from './findings.js';

// The mainland China region always names its proxy (options/regions.ts).
const CHINA_GOPROXY = REGION_DEFAULTS.cn.goProxy!;
const CHINA_GOSUMDB = REGION_DEFAULTS.cn.goSumDb;
const CHINA_PROXY_URL = CHINA_GOPROXY.split(',')[0]!;
/** Other public module proxies reachable from mainland China, for when goproxy.cn is not. */
const CHINA_FALLBACK_PROXIES = ['https://mirrors.aliyun.com/goproxy/', 'https://goproxy.io'];
const REGENERATE = 'run npx create-go-docker to generate a Dockerfile that does this';
const CREDENTIAL_SECRET = 'RUN --mount=type=secret,id=netrc,target=/root/.netrc';
const NETRC_BUILD_FLAG = `docker build ${NETRC_SECRET_FLAG}`;
const NON_ROOT_FIX = `add USER ${RUNTIME_USER} (numeric, so Kubernetes runAsNonRoot can verify it).`;

interface ContextSize {
  files: number;
  size: string;
  largest: string[];
  /** The walk stopped at maxEntries: the figures are a floor. */
  capped: boolean;
  maxEntries: number;
}

function contextSummary({ files, size, largest, capped, maxEntries }: ContextSize): string {
  if (!capped) return `the build context is ${files} files, ${size}${largest.length > 0 ? `; largest: ${largest.join(', ')}` : ''}.`;
  return (
    `the build context is at least ${files} files, ${size}${largest.length > 0 ? `; largest so far: ${largest.join(', ')}` : ''}; ` +
    `doctor stops counting after ${maxEntries} files and directories, so there may be more.`
  );
}

interface Probe {
  role: string;
  url: string;
  detail: string;
  seconds: number;
}

const unreachable = ({ role, url, detail, seconds }: Probe): string =>
  `${role} ${url} is unreachable from here (${detail}, ${seconds.toFixed(1)} s): builds on this network fail or hang at go mod download.`;

export const MESSAGES = {
  // ---- module
  noGoMod: ({ dir }: { dir: string }) => ({
    id: 'GCD001',
    problem: `no go.mod in ${dir}, the build context: "go mod download" fails with "go.mod file not found".`,
    fix: 'run doctor (and docker build) in the module root, or create the module with go mod init.',
  }),
  goModSyntax: ({ message }: { message: string }) => ({
    id: 'GCD007',
    problem: `go.mod cannot be parsed: ${message}.`,
    fix: 'fix it; go mod edit -fmt shows the problem.',
  }),
  goSumMissing: ({ count }: { count: number }) => ({
    id: 'GCD002',
    problem: `go.sum is missing but go.mod requires ${count} module${count > 1 ? 's' : ''}: the build stops with "missing go.sum entry".`,
    fix: 'run go mod tidy and commit go.sum.',
  }),
  replaceOutside: ({ from, to }: { from: string; to: string }) => ({
    id: 'GCD003',
    problem: `replace ${from} => ${to} points outside the build context: "replacement directory ${to} does not exist" in the build.`,
    fix: 'vendor it (go mod vendor), publish the module, or move it inside the module directory.',
  }),
  goWorkIgnored: () => ({
    id: 'GCD004',
    problem:
      'go.work is here but the Dockerfile neither copies it nor sets GOWORK=off: ' +
      'the image may build other module versions than your workspace does.',
    fix: 'add ENV GOWORK=off to build the module alone (what create-go-docker does), or copy go.work and the modules it uses.',
  }),
  vendorDownload: () => ({
    id: 'GCD005',
    problem: 'vendor/ holds every dependency, yet the build runs go mod download: it needs the network for nothing.',
    fix: 'drop the go mod download step and build with -mod=vendor (GOFLAGS=-mod=vendor), as create-go-docker does.',
  }),

  // ---- Go environment
  noGoProxy: ({ hints }: { hints: string[] }) => ({
    id: 'GCD010',
    problem:
      `no GOPROXY, so the build uses proxy.golang.org, although ${hints.join(' and ')}: ` +
      'expect "dial tcp ... i/o timeout" where it is blocked.',
    fix: `add ARG GOPROXY=${CHINA_GOPROXY} (mainland China) or your company proxy; create-go-docker --region cn|custom writes it.`,
  }),
  goProxyMalformed: ({ value, reason }: { value: string; reason: string }) => ({
    id: 'GCD011',
    problem: `GOPROXY=${value} is malformed (${reason}): go refuses it or skips entries.`,
    fix:
      'write http(s) URLs joined by "," (next on 404/410) or "|" (next on any error), ' + `with direct or off last, e.g. ${CHINA_GOPROXY}.`,
  }),
  directNotLast: ({ value }: { value: string }) => ({
    id: 'GCD011',
    problem:
      `GOPROXY=${value} has "direct" before other entries: ` + 'those are never tried for modules direct can answer (even with a 404/410).',
    fix: `put direct last, e.g. ${CHINA_GOPROXY}.`,
  }),
  goSumDbOff: () => ({
    id: 'GCD012',
    problem: 'GOSUMDB=off turns off checksum verification for every module (supply-chain protection).',
    fix: `keep GOSUMDB (${CHINA_GOSUMDB} in mainland China) and list private modules in GOPRIVATE instead.`,
  }),
  privateThroughProxy: ({ path, file, host }: { path: string; file: string; host: string }) => ({
    id: 'GCD013',
    problem:
      `${path} looks private but GOPRIVATE/GONOPROXY in ${file} do not cover it: ` +
      'the build asks the public proxy ("410 Gone", "unknown revision").',
    fix: `add ARG GOPRIVATE=${host}/* to ${file} (create-go-docker --private '${host}/*').`,
  }),
  privateThroughSumDb: ({ path, file, host }: { path: string; file: string; host: string }) => ({
    id: 'GCD013',
    problem:
      `${path} looks private but GOPRIVATE/GONOSUMDB in ${file} do not cover it: ` +
      '"verifying module: ... 410 Gone" from the checksum database.',
    fix: `add ${host}/* to GOPRIVATE (or GONOSUMDB) in ${file}.`,
  }),
  goFlagsInsecure: () => ({
    id: 'GCD014',
    problem: 'GOFLAGS=-insecure was removed in Go 1.16: go stops with "-insecure flag is no longer supported".',
    fix: 'use GOINSECURE=host for a server without HTTPS, or better, trust its CA (create-go-docker --ca-cert).',
  }),
  secretInSetting: ({ keyword, name, finalStage }: { keyword: string; name: string; finalStage: boolean }) => ({
    id: 'GCD015',
    problem: finalStage
      ? `${keyword} ${name}: ${keyword} values stay in the image history (docker history) for anyone who pulls it.`
      : `${keyword} ${name} in a build stage: not in the final image's history, but in the build cache, in any cache ` +
        'exported with mode=max (CI) and in an image built with --target that stage.',
    fix: `pass it as a BuildKit secret: ${CREDENTIAL_SECRET} (${NETRC_BUILD_FLAG}).`,
  }),
  credentialsInUrl: ({ keyword }: { keyword: string }) => ({
    id: 'GCD015',
    problem: `${keyword} has credentials in a URL: they end up in the layer or its history.`,
    fix: 'use a .netrc BuildKit secret or the SSH agent (--ssh) instead of user:token@ URLs.',
  }),
  secretFileCopied: ({ keyword, source }: { keyword: string; source: string }) => ({
    id: 'GCD015',
    problem: `${keyword} ${source} puts a credential into a layer, where docker save finds it even if a later step deletes it.`,
    fix: 'mount it only where needed: RUN --mount=type=secret (tokens) or --mount=type=ssh (keys).',
  }),
  privateWithoutCredentials: ({ path, more, host }: { path: string; more: number; host: string }) => ({
    id: 'GCD016',
    problem:
      `go.mod requires ${path}${more > 0 ? ` and ${more} more` : ''}, which GOPRIVATE sends straight to git, ` +
      'but no step that fetches mounts a secret (.netrc) or the SSH agent: ' +
      `the build stops with "terminal prompts disabled" or "could not read Username for 'https://${host}'".`,
    fix:
      `mount a .netrc with a token for ${host} in each fetching step (${CREDENTIAL_SECRET},required=true; ${NETRC_BUILD_FLAG}), ` +
      'or forward SSH (--mount=type=ssh; docker build --ssh default): create-go-docker --auth token|ssh writes both.',
  }),

  // ---- Dockerfile structure
  noDockerfile: () => ({ id: 'GCD006', problem: 'no Dockerfile to check.', fix: `${REGENERATE}, or pass --dockerfile PATH.` }),
  copyBeforeDownload: ({ copy }: { copy: string }) => ({
    id: 'GCD020',
    problem: `${copy} comes before go mod download: any edit invalidates the download step, so every build downloads every module again.`,
    fix: `copy (or bind-mount) go.mod and go.sum, run go mod download, then the source; ${REGENERATE}.`,
  }),
  noBuildCache: () => ({
    id: 'GCD021',
    problem:
      'go build has no cache mount for the build cache: every build compiles all dependencies, and since Go 1.20 the standard library too.',
    fix: 'RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go build ...',
  }),
  noModuleCache: () => ({
    id: 'GCD021',
    problem: 'go mod download has no cache mount for /go/pkg/mod: a go.mod change downloads every module again.',
    fix: 'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
  }),
  golangUntagged: ({ image, goMod }: { image: string; goMod: GoMod }) => ({
    id: 'GCD023',
    problem:
      `FROM ${image}: an untagged or "latest" golang image changes under you, ` +
      `and may be older or newer than go.mod's go ${goMod.goVersion ?? '?'}.`,
    fix: `pin it: FROM ${golangImageForGoMod(goMod)}.`,
  }),
  golangTooOld: ({ image, goVersion, goMod }: { image: string; goVersion: string; goMod: GoMod }) => ({
    id: 'GCD022',
    problem:
      `FROM ${image} is older than go.mod's go ${goVersion}: ` +
      `the build downloads a newer toolchain ("go: downloading go${goVersion}") or fails ("go.mod requires go >= ${goVersion}").`,
    fix: `use ${golangImageForGoMod(goMod)} or newer (create-go-docker derives it from go.mod).`,
  }),
  toolchainDownload: ({ image, toolchain, goMod }: { image: string; toolchain: string; goMod: GoMod }) => ({
    id: 'GCD024',
    problem:
      `go.mod's toolchain go${toolchain} is newer than ${image} and GOTOOLCHAIN is not set: ` +
      `go downloads go${toolchain} inside every build (slow, and fails offline or in mainland China).`,
    fix: `use ${golangImageForGoMod(goMod)}, or set ENV GOTOOLCHAIN=local to build with the image's Go.`,
  }),
  copyMissing: ({ copy, dir }: { copy: string; dir: string }) => ({
    id: 'GCD025',
    problem: `${copy}: not in the build context (${dir}); the build fails with "not found".`,
    fix: 'fix the path (it is relative to the build context, the module root), or build from the directory that has it.',
  }),
  copyIgnored: ({ copy, dir, path }: { copy: string; dir: string; path: string }) => ({
    id: 'GCD025',
    problem: `${copy}: excluded by .dockerignore (${dir}); the build fails with "not found".`,
    fix: `remove the .dockerignore rule, or add !${path}.`,
  }),
  cgoNotDisabled: ({ image }: { image: string }) => ({
    id: 'GCD026',
    problem:
      `FROM ${image} has no C library, but the build does not set CGO_ENABLED=0: ` +
      'the golang image links the binary dynamically, and the container fails with "no such file or directory".',
    fix: 'build with CGO_ENABLED=0 go build ... (a static binary).',
  }),
  libcMismatch: ({
    builder,
    builderLibc,
    image,
    runtimeLibc,
  }: {
    builder: string;
    builderLibc: string;
    image: string;
    runtimeLibc: string;
  }) => ({
    id: 'GCD036',
    problem:
      `the build runs on ${builder} (${builderLibc}) and the image is ${image} (${runtimeLibc}), and CGO_ENABLED is not 0: ` +
      `the golang image turns cgo on, the binary is linked against ${builderLibc}'s loader, and the container fails with ` +
      '"exec ...: no such file or directory".',
    fix:
      `build with CGO_ENABLED=0 go build ... (a static binary), or compile on a ${runtimeLibc} builder ` +
      `(golang:<version>-${runtimeLibc === 'musl' ? 'alpine' : 'bookworm'}).`,
  }),
  cgoDisabledForDriver: ({ reason }: { reason: string }) => ({
    id: 'GCD037',
    problem:
      `the code needs cgo (${reason}) but the build sets CGO_ENABLED=0: the build passes and the driver fails at run time ` +
      '("Binary was compiled with \'CGO_ENABLED=0\', go-sqlite3 requires cgo to work").',
    fix:
      `build with CGO_ENABLED=1 and a runtime with a C library (${cgoRuntimeImages().join(' or ')}), or use a pure-Go ` +
      'driver (modernc.org/sqlite).',
  }),
  cgoWithoutLibc: ({ reason, image }: { reason: string; image: string }) => ({
    id: 'GCD027',
    problem: `the code needs cgo (${reason}) but ${image} has no C library to run it.`,
    fix: `use ${cgoRuntimeImages().join(' or ')} (create-go-docker --cgo auto picks one).`,
  }),
  programWithoutRuntime: ({ program, where, image }: { program: string; where: string; image: string }) => ({
    id: 'GCD035',
    problem:
      `the code runs ${program} (${where}) but ${image} has no ${program === 'sh' || program === 'bash' ? 'shell' : program} ` +
      'and no package manager: the container fails at that call.',
    fix:
      'a runtime that can install it: FROM debian:bookworm-slim and RUN apt-get install -y --no-install-recommends ' +
      '<its package> (create-go-docker --base debian).',
  }),
  scratchWithoutCa: () => ({
    id: 'GCD028',
    problem: 'FROM scratch has no CA certificates: outgoing HTTPS fails with "x509: certificate signed by unknown authority".',
    fix: 'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
  }),
  rootUser: ({ user }: { user: string }) => ({ id: 'GCD029', problem: `USER ${user}: the container runs as root.`, fix: NON_ROOT_FIX }),
  noUser: ({ image }: { image: string }) => ({
    id: 'GCD029',
    problem: `no USER in the final stage: the container runs as root (${image}).`,
    fix: NON_ROOT_FIX,
  }),
  shellForm: ({ keyword, text, args }: { keyword: string; text: string; args: readonly string[] }) => ({
    id: 'GCD030',
    problem:
      `${keyword} ${text} is shell form: ` +
      'it needs /bin/sh (absent from distroless and scratch) and the process does not receive SIGTERM.',
    fix: `use exec form: ${keyword} [${[args[0] ?? '/app', ...args.slice(1)].map((argument) => `"${argument}"`).join(', ')}]`,
  }),
  addLocal: ({ args }: { args: string }) => ({
    id: 'GCD031',
    problem: `ADD ${args} copies local files: ADD also unpacks archives and fetches URLs, which COPY makes explicit.`,
    fix: 'use COPY.',
  }),

  // ---- .dockerignore
  noDockerignore: () => ({
    id: 'GCD032',
    problem:
      'no .dockerignore: the whole directory (.git, build outputs, local secrets such as .env) ' +
      'is sent to the builder and may reach a layer.',
    fix: 'add one; npx create-go-docker writes a Go-aware .dockerignore.',
  }),
  gitKept: () => ({
    id: 'GCD033',
    problem: '.git is not excluded: the context carries the whole history, and any commit invalidates COPY . steps.',
    fix: 'add .git to .dockerignore.',
  }),
  neededIgnored: ({ path }: { path: string }) => ({
    id: 'GCD034',
    problem: `.dockerignore excludes ${path}, which the build needs ("${path}: not found" or a missing //go:embed file).`,
    fix: `remove that rule or add !${path} after it.`,
  }),

  // ---- network
  proxyUnreachable: (probe: Probe) => ({
    id: 'GCD040',
    problem: unreachable(probe),
    fix: `use a reachable proxy (${CHINA_PROXY_URL} in mainland China, your company proxy elsewhere), or check DNS and firewall.`,
  }),
  // goproxy.cn itself unreachable: advising it again would not help; other mirrors, joined by |
  // so that a timeout falls through too.
  chinaProxyUnreachable: (probe: Probe) => ({
    id: 'GCD040',
    problem: unreachable(probe),
    fix:
      'add another mirror after it, joined by | so a timeout falls through too ' +
      `(${CHINA_PROXY_URL}|${CHINA_FALLBACK_PROXIES.join('|')},direct), or your company proxy (--proxy http://HOST:PORT); ` +
      'check DNS and firewall.',
  }),
  sumDbUnreachable: (probe: Probe) => ({
    id: 'GCD040',
    problem: unreachable(probe),
    fix: `use GOSUMDB=${CHINA_GOSUMDB} in mainland China, or your company sumdb proxy.`,
  }),
  chinaSumDbUnreachable: (probe: Probe) => ({
    id: 'GCD040',
    problem: unreachable(probe),
    fix: 'check DNS and firewall, or use your company sumdb proxy.',
  }),
  reachable: ({ role, url, detail, seconds, slow }: Probe & { slow: boolean }) => ({
    id: 'GCD041',
    problem: `${role} ${url} ${slow ? 'answers, but slowly' : 'is reachable'} (${detail}, ${seconds.toFixed(2)} s).`,
    fix: slow ? 'a closer proxy or mirror would speed up downloads.' : 'nothing to do.',
  }),
  chinaNetwork: ({ publicUrl, chinaUrl, seconds }: { publicUrl: string; chinaUrl: string; seconds: number }) => ({
    id: 'GCD042',
    problem: `${publicUrl} is unreachable but ${chinaUrl} answers (${seconds.toFixed(2)} s): this looks like a mainland China network.`,
    fix: `regenerate with create-go-docker --region cn (GOPROXY=${CHINA_GOPROXY}, GOSUMDB=${CHINA_GOSUMDB}, registry mirrors).`,
  }),

  // ---- daemon.json
  daemonJsonSyntax: ({ message }: { message: string }) => ({
    id: 'GCD050',
    problem: `not valid JSON (${message}): dockerd refuses to start.`,
    fix: 'fix the syntax (a trailing comma or a missing quote, usually); python3 -m json.tool shows where.',
  }),
  daemonJsonNotObject: () => ({
    id: 'GCD050',
    problem: 'not a JSON object: dockerd refuses to start.',
    fix: 'write { "key": value, ... }.',
  }),
  unknownDaemonKey: ({ key }: { key: string }) => ({
    id: 'GCD051',
    problem: `unknown key "${key}": dockerd stops with "the following directives don't match any configuration option".`,
    fix: 'remove it or fix its spelling (see the dockerd reference).',
  }),
  proxiesNeedEngine23: () => ({
    id: 'GCD053',
    problem: 'the "proxies" key needs Docker Engine 23 or newer: dockerd 20.10 (Debian 12, Ubuntu 22.04) refuses to start with it.',
    fix:
      'on an older engine, move the proxy into a systemd drop-in (npx create-go-docker --proxy URL writes ' +
      'docker/http-proxy.conf and prints how to install it).',
  }),
  badMirror: ({ mirror }: { mirror: unknown }) => ({
    id: 'GCD052',
    problem: `registry mirror ${JSON.stringify(mirror)} is not an http(s) URL without a path: dockerd refuses it.`,
    fix: 'write it as https://mirror.example.com',
  }),
  badDns: ({ address }: { address: unknown }) => ({
    id: 'GCD052',
    problem: `dns ${JSON.stringify(address)} is not an IP address: dockerd refuses it.`,
    fix: 'list DNS servers by address, e.g. "223.5.5.5".',
  }),

  // ---- build context
  contextSize: (size: ContextSize) => ({
    id: 'GCD060',
    problem: contextSummary(size),
    fix: size.capped
      ? 'nothing to do; exclude what the build does not need in .dockerignore (du -sh * shows the real sizes).'
      : 'nothing to do; exclude large entries the build does not need in .dockerignore.',
  }),
  largeContext: (size: ContextSize) => ({
    id: 'GCD061',
    problem: `${contextSummary(size)} Sending it slows every build.`,
    fix: 'exclude what the build does not need (outputs, data, node_modules) in .dockerignore.',
  }),
} satisfies Record<string, (values: never) => Message>;

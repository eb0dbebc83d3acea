// What doctor reports: one finding per problem, with a stable id. The table below is the
// single list of ids (README's table and the tests follow it); what each finding says is in
// messages.ts.

export type Severity = 'error' | 'warning' | 'info';

/**
 * What a finding stops, in the order doctor reports them: the cause of a failing `go mod
 * download` comes before a root user or a missing cache mount, whatever their severity.
 */
export const IMPACTS = {
  engine: 'Stops the Docker engine',
  download: 'Stops or slows go mod download',
  build: 'Stops the build',
  container: 'Stops the container',
  security: 'Security',
  hygiene: 'Rebuild speed and hygiene',
} as const;
export type Impact = keyof typeof IMPACTS;

export interface Finding {
  id: string;
  severity: Severity;
  impact: Impact;
  /** File the finding is about, relative to the project (or as given). */
  file: string;
  /** 1-based line, when the finding has one. */
  line?: number;
  problem: string;
  fix: string;
}

/** Every check doctor makes: id -> severity and a short title (README lists these). */
export const CHECKS = {
  GCD001: { severity: 'error', impact: 'build', title: 'no go.mod at the build context root' },
  GCD002: { severity: 'error', impact: 'download', title: 'go.sum missing while go.mod requires modules' },
  GCD003: { severity: 'error', impact: 'download', title: 'replace points outside the build context' },
  GCD004: { severity: 'warning', impact: 'build', title: 'go.work present but the Dockerfile neither copies it nor sets GOWORK=off' },
  GCD005: { severity: 'warning', impact: 'hygiene', title: 'vendor/ present but the Dockerfile still downloads modules' },
  GCD006: { severity: 'error', impact: 'build', title: 'no Dockerfile' },
  GCD007: { severity: 'error', impact: 'build', title: 'go.mod cannot be parsed' },
  GCD010: { severity: 'warning', impact: 'download', title: 'no GOPROXY although private modules, a China mirror or a proxy suggest one' },
  GCD011: { severity: 'error', impact: 'download', title: 'malformed GOPROXY' },
  GCD012: { severity: 'warning', impact: 'security', title: 'GOSUMDB=off disables checksum verification' },
  GCD013: { severity: 'error', impact: 'download', title: 'private module not covered by GOPRIVATE/GONOPROXY/GONOSUMDB' },
  GCD014: { severity: 'error', impact: 'download', title: 'GOFLAGS=-insecure (removed in Go 1.16)' },
  GCD015: { severity: 'error', impact: 'security', title: 'credential in ARG/ENV, a URL or a copied file' },
  GCD016: { severity: 'error', impact: 'download', title: 'private modules fetched with no credentials (no secret, no SSH mount)' },
  GCD020: { severity: 'warning', impact: 'hygiene', title: 'source copied before go mod download (every edit re-downloads)' },
  GCD021: { severity: 'warning', impact: 'hygiene', title: 'no cache mount for the module or build cache' },
  GCD022: { severity: 'error', impact: 'build', title: "builder golang image older than go.mod's go line" },
  GCD023: { severity: 'warning', impact: 'hygiene', title: 'builder golang image untagged or latest' },
  GCD024: {
    severity: 'warning',
    impact: 'download',
    title: 'toolchain line newer than the image without GOTOOLCHAIN (downloads a toolchain in the build)',
  },
  GCD025: { severity: 'error', impact: 'build', title: 'COPY source missing from the build context' },
  GCD026: { severity: 'error', impact: 'container', title: 'CGO_ENABLED=0 missing for a scratch or distroless/static runtime' },
  GCD027: { severity: 'error', impact: 'container', title: 'cgo code with a runtime image that has no C library' },
  GCD028: { severity: 'warning', impact: 'container', title: 'scratch runtime without a CA bundle' },
  GCD029: { severity: 'error', impact: 'security', title: 'the image runs as root' },
  GCD030: { severity: 'warning', impact: 'hygiene', title: 'shell-form ENTRYPOINT or CMD' },
  GCD031: { severity: 'info', impact: 'hygiene', title: 'ADD where COPY fits' },
  GCD032: { severity: 'warning', impact: 'hygiene', title: 'no .dockerignore' },
  GCD033: { severity: 'warning', impact: 'hygiene', title: '.dockerignore keeps .git in the build context' },
  GCD034: { severity: 'error', impact: 'build', title: '.dockerignore excludes go.mod, go.sum, vendor/ or embedded files' },
  GCD035: {
    severity: 'warning',
    impact: 'container',
    title: 'the code runs a program the runtime image cannot have (scratch, distroless)',
  },
  GCD036: {
    severity: 'error',
    impact: 'container',
    title: 'builder and runtime have different C libraries (glibc vs musl) and cgo is not off',
  },
  GCD037: { severity: 'error', impact: 'container', title: 'CGO_ENABLED=0 on code whose driver needs cgo (go-sqlite3 builds a stub)' },
  GCD040: { severity: 'warning', impact: 'download', title: 'module proxy or checksum database unreachable' },
  GCD041: { severity: 'info', impact: 'hygiene', title: 'module proxy or checksum database reachable (time taken)' },
  GCD042: { severity: 'warning', impact: 'download', title: 'proxy.golang.org unreachable but goproxy.cn answers (mainland China)' },
  GCD050: { severity: 'error', impact: 'engine', title: 'daemon.json is not valid JSON' },
  GCD051: { severity: 'error', impact: 'engine', title: 'daemon.json has a key dockerd does not know (it refuses to start)' },
  GCD052: { severity: 'error', impact: 'engine', title: 'daemon.json has a malformed mirror URL or DNS address' },
  GCD053: { severity: 'warning', impact: 'engine', title: 'daemon.json sets "proxies", which Docker Engine before 23 refuses' },
  GCD060: { severity: 'info', impact: 'hygiene', title: 'build context size and largest entries' },
  GCD061: { severity: 'warning', impact: 'hygiene', title: 'build context over 100 MB' },
} as const satisfies Record<string, { severity: Severity; impact: Impact; title: string }>;

export type CheckId = keyof typeof CHECKS;

/** A finding's words (messages.ts): its check, what went wrong, and the fix. */
export interface Message {
  id: CheckId;
  problem: string;
  fix: string;
}

export function finding({ id, problem, fix }: Message, file: string, line?: number): Finding {
  return { id, severity: CHECKS[id].severity, impact: CHECKS[id].impact, file, ...(line !== undefined ? { line } : {}), problem, fix };
}

// What doctor reports: one finding per problem, with a stable id. The table below is the
// single list of ids (README's table and the tests follow it); what each finding says is in
// messages.ts.

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  id: string;
  severity: Severity;
  /** File the finding is about, relative to the project (or as given). */
  file: string;
  /** 1-based line, when the finding has one. */
  line?: number;
  problem: string;
  fix: string;
}

/** Every check doctor makes: id -> severity and a short title (README lists these). */
export const CHECKS = {
  GCD001: { severity: 'error', title: 'no go.mod at the build context root' },
  GCD002: { severity: 'error', title: 'go.sum missing while go.mod requires modules' },
  GCD003: { severity: 'error', title: 'replace points outside the build context' },
  GCD004: { severity: 'warning', title: 'go.work present but the Dockerfile neither copies it nor sets GOWORK=off' },
  GCD005: { severity: 'warning', title: 'vendor/ present but the Dockerfile still downloads modules' },
  GCD006: { severity: 'error', title: 'no Dockerfile' },
  GCD007: { severity: 'error', title: 'go.mod cannot be parsed' },
  GCD010: { severity: 'warning', title: 'no GOPROXY although private modules, a China mirror or a proxy suggest one' },
  GCD011: { severity: 'error', title: 'malformed GOPROXY' },
  GCD012: { severity: 'warning', title: 'GOSUMDB=off disables checksum verification' },
  GCD013: { severity: 'error', title: 'private module not covered by GOPRIVATE/GONOPROXY/GONOSUMDB' },
  GCD014: { severity: 'error', title: 'GOFLAGS=-insecure (removed in Go 1.16)' },
  GCD015: { severity: 'error', title: 'credential in ARG/ENV, a URL or a copied file' },
  GCD016: { severity: 'error', title: 'private modules fetched with no credentials (no secret, no SSH mount)' },
  GCD020: { severity: 'warning', title: 'source copied before go mod download (every edit re-downloads)' },
  GCD021: { severity: 'warning', title: 'no cache mount for the module or build cache' },
  GCD022: { severity: 'error', title: "builder golang image older than go.mod's go line" },
  GCD023: { severity: 'warning', title: 'builder golang image untagged or latest' },
  GCD024: { severity: 'warning', title: 'toolchain line newer than the image without GOTOOLCHAIN (downloads a toolchain in the build)' },
  GCD025: { severity: 'error', title: 'COPY source missing from the build context' },
  GCD026: { severity: 'error', title: 'CGO_ENABLED=0 missing for a scratch or distroless/static runtime' },
  GCD027: { severity: 'error', title: 'cgo code with a runtime image that has no C library' },
  GCD028: { severity: 'warning', title: 'scratch runtime without a CA bundle' },
  GCD029: { severity: 'error', title: 'the image runs as root' },
  GCD030: { severity: 'warning', title: 'shell-form ENTRYPOINT or CMD' },
  GCD031: { severity: 'info', title: 'ADD where COPY fits' },
  GCD032: { severity: 'warning', title: 'no .dockerignore' },
  GCD033: { severity: 'warning', title: '.dockerignore keeps .git in the build context' },
  GCD034: { severity: 'error', title: '.dockerignore excludes go.mod, go.sum, vendor/ or embedded files' },
  GCD035: { severity: 'warning', title: 'the code runs a program the runtime image cannot have (scratch, distroless)' },
  GCD040: { severity: 'warning', title: 'module proxy or checksum database unreachable' },
  GCD041: { severity: 'info', title: 'module proxy or checksum database reachable (time taken)' },
  GCD042: { severity: 'warning', title: 'proxy.golang.org unreachable but goproxy.cn answers (mainland China)' },
  GCD050: { severity: 'error', title: 'daemon.json is not valid JSON' },
  GCD051: { severity: 'error', title: 'daemon.json has a key dockerd does not know (it refuses to start)' },
  GCD052: { severity: 'error', title: 'daemon.json has a malformed mirror URL or DNS address' },
  GCD060: { severity: 'info', title: 'build context size and largest entries' },
  GCD061: { severity: 'warning', title: 'build context over 100 MB' },
} as const satisfies Record<string, { severity: Severity; title: string }>;

export type CheckId = keyof typeof CHECKS;

/** A finding's words (messages.ts): its check, what went wrong, and the fix. */
export interface Message {
  id: CheckId;
  problem: string;
  fix: string;
}

export function finding({ id, problem, fix }: Message, file: string, line?: number): Finding {
  return { id, severity: CHECKS[id].severity, file, ...(line !== undefined ? { line } : {}), problem, fix };
}

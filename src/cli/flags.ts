// The flag table: parsing and --help both come from it, so --help cannot drift from the parser.
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { parseField } from '../options/fields.js';
import { parsePath } from '../options/validate.js';
import { abbreviate, quoted } from '../values/text.js';
import type { OptionKey, PartialOptions } from '../options/model.js';

interface FlagSpec {
  name: string;
  short?: string;
  /** Placeholder shown in --help; absent for boolean switches. */
  value?: string;
  /** The option this flag sets, when it sets one. */
  option?: OptionKey;
  help: string;
}

export const FLAGS: readonly FlagSpec[] = [
  { name: 'yes', short: 'y', help: 'Never prompt: use flags, policy, .go-docker.yaml and detection' },
  { name: 'region', value: 'global|cn|custom', option: 'region', help: 'Network region: proxy.golang.org, goproxy.cn + mirrors, or your own --goproxy' },
  { name: 'goproxy', value: 'LIST', option: 'goProxy', help: 'GOPROXY default, entries joined by , or | (http(s) URLs, direct, off)' },
  { name: 'gosumdb', value: 'VALUE', option: 'goSumDb', help: 'GOSUMDB default (e.g. sum.golang.google.cn); off is allowed but not advised' },
  { name: 'private', value: 'PATTERNS', option: 'privatePatterns', help: "GOPRIVATE module path globs, comma-separated (git.corp.com/*); default: go.mod's hosts that are private by name" },
  { name: 'auth', value: 'none|ssh|token', option: 'auth', help: 'How the build reaches private modules: BuildKit SSH agent or a .netrc secret (default: token when GOPRIVATE covers a required module)' },
  { name: 'base', value: 'distroless|alpine|scratch|debian', option: 'base', help: 'Runtime base image family (default distroless)' },
  { name: 'base-image', value: 'REF', option: 'baseImage', help: 'Exact runtime image, overriding the one --base implies' },
  { name: 'registry', value: 'PREFIX', option: 'registry', help: 'Pull every FROM image through this registry/mirror prefix' },
  { name: 'go', value: 'VERSION', option: 'goVersion', help: "Go version of the builder image (default: go.mod's toolchain/go line)" },
  { name: 'main', value: 'PKG', option: 'mainPackage', help: 'Main package of the default image, e.g. ./cmd/api' },
  { name: 'port', value: 'N', option: 'port', help: 'Port the service listens on (EXPOSE); default: detected' },
  { name: 'args', value: 'ARGS', option: 'args', help: "Default arguments of the image (CMD), e.g. --args='serve --http=0.0.0.0:8090'" },
  { name: 'tags', value: 'LIST', option: 'tags', help: 'Go build tags (default: from .goreleaser.yml, .promu.yml or the Makefile)' },
  { name: 'bundle', option: 'bundle', help: 'Put every binary in the default image (tools that call each other)' },
  { name: 'cgo', value: 'auto|on|off', option: 'cgo', help: 'Build with cgo (auto: when the code or a dependency needs it)' },
  { name: 'ca-cert', value: 'FILE', option: 'caCert', help: 'Corporate root CA (PEM) to trust in the build and the runtime image' },
  { name: 'platforms', value: 'LIST', option: 'platforms', help: 'Target platforms for docker buildx, e.g. linux/amd64,linux/arm64' },
  { name: 'dns', value: 'LIST', option: 'dns', help: 'DNS servers for docker/daemon.json (region cn sets public Chinese ones)' },
  { name: 'proxy', value: 'URL', option: 'proxy', help: 'HTTP(S) proxy for the Docker daemon (daemon.json) and the build' },
  { name: 'policy', value: 'FILE', help: 'Organisation policy (YAML): values it fixes override the answers (else $CREATE_GO_DOCKER_POLICY, else the one .go-docker.yaml records)' },
  { name: 'out', value: 'DIR', help: 'Write the files here instead of the project directory' },
  { name: 'dry-run', help: 'Show what would be written; write nothing' },
  { name: 'force', help: 'Overwrite files that create-go-docker did not write or that were edited by hand' },
  { name: 'json', help: 'Print the summary as JSON (implies --yes)' },
  { name: 'no-daemon-json', help: 'Do not write docker/daemon.json' },
  { name: 'compose', option: 'compose', help: 'Also write compose.yaml: the service built the same way, its port, a restart policy' },
  { name: 'ci', value: 'github|gitlab|none', option: 'ci', help: 'Write the CI that builds and pushes the images with a registry cache, and the drift gate' },
  { name: 'ci-cache', value: 'registry|gha', option: 'ciCache', help: "CI's BuildKit cache: <image>:buildcache in the registry (default) or GitHub's cache (gha)" },
  { name: 'ci-registry', value: 'PREFIX', option: 'ciRegistry', help: "Where CI pushes the images (default: ghcr.io/<owner>/<repo> or GitLab's $CI_REGISTRY_IMAGE)" },
  { name: 'ci-rollout', value: 'SOURCE', option: 'ciRollout', help: 'Also a scheduled job that regenerates with the policy at owner/repo:path (or an https URL) and opens a PR/MR' },
  { name: 'version', short: 'v', help: 'Print the version' },
  { name: 'help', short: 'h', help: 'Print this help' },
];

export interface ParsedArgs {
  dir?: string;
  flagOptions: PartialOptions;
  yes: boolean;
  policy?: string;
  out?: string;
  dryRun: boolean;
  force: boolean;
  json: boolean;
  version: boolean;
  help: boolean;
}

function parseStrict(argv: readonly string[], table: readonly FlagSpec[]): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const spec: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const flag of table) {
    spec[flag.name] = flag.short ? { type: flag.value ? 'string' : 'boolean', short: flag.short } : { type: flag.value ? 'string' : 'boolean' };
  }
  try {
    const parsed = parseArgs({ args: [...argv], options: spec, allowPositionals: true, strict: true });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(explainParseError(error, table));
  }
}

export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  const parsed = parseStrict(argv, FLAGS);
  const values = parsed.values;
  if (parsed.positionals.length > 1) {
    throw new UsageError(`too many arguments (${abbreviate(parsed.positionals.join(' '), 120)}); give at most one project directory.`);
  }
  const flagOptions: PartialOptions = {};
  for (const flag of FLAGS) {
    const raw = values[flag.name];
    if (flag.option === undefined || raw === undefined) continue;
    // A switch that sets an option (--bundle) is true when given.
    setOption(flagOptions, flag.option, parseField(flag.option, `--${flag.name}`, raw));
  }
  if (values['no-daemon-json']) flagOptions.daemonJson = false;
  const json = values.json === true;
  const result: ParsedArgs = {
    flagOptions,
    yes: values.yes === true || json,
    dryRun: values['dry-run'] === true,
    force: values.force === true,
    json,
    version: values.version === true,
    help: values.help === true,
  };
  if (parsed.positionals[0] !== undefined) result.dir = parsePath('the project directory', parsed.positionals[0]);
  if (typeof values.policy === 'string') result.policy = nonEmpty('--policy', values.policy);
  if (typeof values.out === 'string') result.out = nonEmpty('--out', values.out);
  return result;
}

function setOption<K extends OptionKey>(target: PartialOptions, key: K, value: PartialOptions[K]): void {
  target[key] = value;
}

function nonEmpty(flag: string, value: string): string {
  return parsePath(flag, value);
}

function explainParseError(error: unknown, table: readonly FlagSpec[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) {
    const name = unknown[1]!;
    const guess = closestFlag(name.replace(/^-+/, ''), table);
    return `unknown option ${abbreviate(name, 60)}${guess ? `; did you mean --${guess}?` : ''} (see --help).`;
  }
  const missing = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value (see --help).`;
  const ambiguous = /Option '(?:-\w, )?(--[\w-]+)' argument is ambiguous/.exec(message);
  if (ambiguous) return `${ambiguous[1]} needs a value, and the next argument starts with "-"; if that is the value, write ${ambiguous[1]}=VALUE (see --help).`;
  const noValue = /Option '(--[\w-]+)' does not take an argument/.exec(message);
  if (noValue) return `${noValue[1]} takes no value; remove "=..." (see --help).`;
  return `${abbreviate(message.split('\n')[0]!, 200)} (see --help).`;
}

function closestFlag(name: string, table: readonly FlagSpec[]): string | undefined {
  if (name.length > 40) return undefined;
  let best: { name: string; distance: number } | undefined;
  for (const flag of table) {
    const distance = editDistance(name, flag.name);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: flag.name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function flagRows(table: readonly FlagSpec[]): string[] {
  const rows = table.map((flag) => {
    const names = `${flag.short ? `-${flag.short}, ` : '    '}--${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
    return [names, flag.help] as const;
  });
  const width = Math.max(...rows.map(([names]) => names.length)) + 2;
  return rows.map(([names, help]) => `  ${names.padEnd(width)}${help}`);
}

export function helpText(version: string): string {
  return [
    `create-go-docker ${version}: a fast, private-module-aware Docker setup for a Go module`,
    '',
    'Usage: create-go-docker [dir] [options]',
    '       create-go-docker regenerate [dir] [--check|--diff] [--force] [--recursive] [--policy FILE]',
    '       create-go-docker doctor [dir] [--json] [--offline] [--dockerfile PATH] [--daemon-json PATH]',
    '',
    'Detects the Go module in dir (default: the current directory), asks a few questions on a',
    'terminal (never with --yes; without a terminal it says it took the defaults) and writes',
    'Dockerfile, .dockerignore, docker/daemon.json and .go-docker.yaml (your answers, so a rerun',
    'gives the same files).',
    '',
    'Options:',
    ...flagRows(FLAGS),
    '',
    'Examples:',
    '  npx create-go-docker                          # ask, then write the files',
    '  npx create-go-docker --yes --region cn        # mainland China: goproxy.cn, mirrors',
    '  npx create-go-docker --yes --region custom --goproxy https://athens.corp.example,direct \\',
    '      --private "git.corp.example/*" --auth token',
    '',
    'Exit codes: 0 done, 1 the project or file system stopped it, 2 bad usage, 130 cancelled.',
    'create-go-docker regenerate --help: re-render the files from .go-docker.yaml and the policy.',
    'create-go-docker doctor --help: diagnose why go mod download fails in an existing Docker setup.',
  ].join('\n');
}

const REGENERATE_FLAGS: readonly FlagSpec[] = [
  { name: 'check', help: 'Change nothing; exit 1 and show the diff when a managed file is not what it should be' },
  { name: 'diff', help: 'Change nothing; print what regenerate would change, as a unified diff' },
  { name: 'force', help: 'Overwrite hand-edited and foreign files (custom block lines are kept; a file whose blocks cannot be read is never overwritten)' },
  { name: 'recursive', help: 'Regenerate every project below dir that has a .go-docker.yaml' },
  { name: 'policy', value: 'FILE', help: 'Policy file (else $CREATE_GO_DOCKER_POLICY, else the one .go-docker.yaml records)' },
  { name: 'help', short: 'h', help: 'Print this help' },
];

export interface RegenerateArgs {
  dir?: string;
  check: boolean;
  diff: boolean;
  force: boolean;
  recursive: boolean;
  policy?: string;
  help: boolean;
}

export function parseRegenerateLine(argv: readonly string[]): RegenerateArgs {
  const values = parseStrict(argv, REGENERATE_FLAGS);
  if (values.positionals.length > 1) {
    throw new UsageError(`regenerate: too many arguments (${abbreviate(values.positionals.join(' '), 120)}); give at most one directory.`);
  }
  const flags = values.values;
  if (flags.check === true && flags.diff === true) throw new UsageError('regenerate: --check and --diff both only show; give one of them.');
  const result: RegenerateArgs = {
    check: flags.check === true,
    diff: flags.diff === true,
    force: flags.force === true,
    recursive: flags.recursive === true,
    help: flags.help === true,
  };
  if (values.positionals[0] !== undefined) result.dir = parsePath('the directory', values.positionals[0]);
  if (typeof flags.policy === 'string') result.policy = nonEmpty('--policy', flags.policy);
  return result;
}

export function regenerateHelpText(version: string): string {
  return [
    `create-go-docker ${version} regenerate: re-render every managed file, never prompting`,
    '',
    'Usage: create-go-docker regenerate [dir] [options]',
    '',
    'Reads dir/.go-docker.yaml (default: the current directory), the policy and the Go module',
    'again, and rewrites the files create-go-docker manages. Lines inside custom:begin/custom:end',
    'blocks are kept. A file edited elsewhere is not overwritten: regenerate stops with exit 1',
    'and prints the diff of generated vs current (--force overwrites it).',
    '',
    'Options:',
    ...flagRows(REGENERATE_FLAGS),
    '',
    'Exit codes: 0 up to date or rewritten, 1 drift (--check), a hand edit, or a failed project',
    '(--recursive), 2 bad usage.',
  ].join('\n');
}

const DOCTOR_FLAGS: readonly FlagSpec[] = [
  { name: 'json', help: 'Print the findings as JSON' },
  { name: 'offline', help: 'Skip the network checks (DNS and HTTPS to each GOPROXY entry and the checksum database)' },
  { name: 'dockerfile', value: 'PATH', help: 'The Dockerfile to check (default: dir/Dockerfile)' },
  { name: 'daemon-json', value: 'PATH', help: 'The daemon.json to check (default: dir/docker/daemon.json, else /etc/docker/daemon.json)' },
  { name: 'timeout', value: 'SECONDS', help: 'Time limit of each network probe (default 5)' },
  { name: 'help', short: 'h', help: 'Print this help' },
];

export interface DoctorArgs {
  dir?: string;
  json: boolean;
  offline: boolean;
  dockerfile?: string;
  daemonJson?: string;
  timeoutSeconds?: number;
  help: boolean;
}

export function parseDoctorLine(argv: readonly string[]): DoctorArgs {
  const { values, positionals } = parseStrict(argv, DOCTOR_FLAGS);
  if (positionals.length > 1) throw new UsageError(`doctor: too many arguments (${abbreviate(positionals.join(' '), 120)}); give at most one directory.`);
  const result: DoctorArgs = { json: values.json === true, offline: values.offline === true, help: values.help === true };
  if (positionals[0] !== undefined) result.dir = parsePath('the directory', positionals[0]);
  if (typeof values.dockerfile === 'string') result.dockerfile = nonEmpty('--dockerfile', values.dockerfile);
  if (typeof values['daemon-json'] === 'string') result.daemonJson = nonEmpty('--daemon-json', values['daemon-json']);
  if (typeof values.timeout === 'string') {
    const seconds = Number(values.timeout);
    if (!/^\d+(\.\d+)?$/.test(values.timeout.trim()) || !(seconds > 0) || seconds > 120) {
      throw new UsageError(`--timeout ${quoted(values.timeout)}: not a number of seconds; give one from 0.1 to 120, e.g. --timeout 3.`);
    }
    result.timeoutSeconds = seconds;
  }
  return result;
}

export function doctorHelpText(version: string): string {
  return [
    `create-go-docker ${version} doctor: why does go mod download fail in Docker?`,
    '',
    'Usage: create-go-docker doctor [dir] [options]',
    '',
    'Reads the Go module in dir (default: the current directory), its Dockerfile, .dockerignore',
    'and daemon.json, and reports each problem with an id (GCD0xx), file and line, and the fix.',
    '',
    'Options:',
    ...flagRows(DOCTOR_FLAGS),
    '',
    'Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 bad usage.',
  ].join('\n');
}

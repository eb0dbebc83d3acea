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
  /** A second one-letter name, accepted as a word of its own (-v for -V); not shown in --help. */
  alias?: string;
  /** Placeholder shown in --help; absent for boolean switches. */
  value?: string;
  /** The option this flag sets, when it sets one. */
  option?: OptionKey;
  help: string;
}

export const FLAGS: readonly FlagSpec[] = [
  { name: 'yes', short: 'y', help: 'Never prompt: use flags, policy, .go-docker.yaml and detection' },
  {
    name: 'region',
    value: 'global|cn|custom',
    option: 'region',
    help: 'Network region: proxy.golang.org, goproxy.cn + mirrors, or your own --goproxy',
  },
  { name: 'goproxy', value: 'LIST', option: 'goProxy', help: 'GOPROXY default, entries joined by , or | (http(s) URLs, direct, off)' },
  {
    name: 'gosumdb',
    value: 'VALUE',
    option: 'goSumDb',
    help: 'GOSUMDB default (e.g. sum.golang.google.cn); off is allowed but not advised',
  },
  {
    name: 'private',
    value: 'PATTERNS',
    option: 'privatePatterns',
    help: "GOPRIVATE module path globs, comma-separated (git.corp.com/*); default: go.mod's hosts that are private by name",
  },
  {
    name: 'auth',
    value: 'none|ssh|token',
    option: 'auth',
    help:
      'How the build reaches private modules: BuildKit SSH agent or a .netrc secret (default: token when GOPRIVATE ' +
      'covers a required module)',
  },
  {
    name: 'ssh-keyscan',
    option: 'sshKeyscan',
    help:
      'With --auth ssh: scan a git host without a known key (recorded, published or in ~/.ssh/known_hosts) in every ' +
      'build, trusting the first key it shows (default: refuse)',
  },
  { name: 'base', value: 'distroless|alpine|scratch|debian', option: 'base', help: 'Runtime base image family (default distroless)' },
  { name: 'base-image', value: 'REF', option: 'baseImage', help: 'Exact runtime image, overriding the one --base implies' },
  { name: 'registry', value: 'PREFIX', option: 'registry', help: 'Pull every FROM image through this registry/mirror prefix' },
  { name: 'go', value: 'VERSION', option: 'goVersion', help: "Go version of the builder image (default: go.mod's toolchain/go line)" },
  { name: 'main', value: 'PKG', option: 'mainPackage', help: 'Main package of the default image, e.g. ./cmd/api' },
  { name: 'port', value: 'N', option: 'port', help: 'Port the service listens on (EXPOSE); default: detected' },
  { name: 'args', value: 'ARGS', option: 'args', help: "Default arguments of the image (CMD), e.g. --args='serve --http=0.0.0.0:8090'" },
  {
    name: 'tags',
    value: 'LIST',
    option: 'tags',
    help: 'Go build tags (default: per binary, from .goreleaser.yml, .promu.yml, its Dockerfiles, Makefile or build.sh)',
  },
  { name: 'bundle', option: 'bundle', help: 'Put every binary in the default image (tools that call each other)' },
  { name: 'cgo', value: 'auto|on|off', option: 'cgo', help: 'Build with cgo (auto: when the code or a dependency needs it)' },
  { name: 'ca-cert', value: 'FILE', option: 'caCert', help: 'Corporate root CA (PEM) to trust in the build and the runtime image' },
  { name: 'platforms', value: 'LIST', option: 'platforms', help: 'Target platforms for docker buildx, e.g. linux/amd64,linux/arm64' },
  {
    name: 'registry-mirror',
    value: 'LIST',
    option: 'registryMirrors',
    help: "Docker Hub mirrors, in order, for docker/daemon.json, buildkitd.toml and CI images (default: the region's)",
  },
  {
    name: 'pins',
    value: 'LIST',
    option: 'pins',
    help: 'Image pins, name:tag@sha256:..., comma-separated; `regenerate --refresh-pins` resolves them from the registries',
  },
  {
    name: 'renovate',
    option: 'renovate',
    help: 'Write renovate.json: Renovate bumps the pins in .go-docker.yaml and the files together (passes the drift check)',
  },
  { name: 'dns', value: 'LIST', option: 'dns', help: 'DNS servers for docker/daemon.json (region cn sets public Chinese ones)' },
  { name: 'proxy', value: 'URL', option: 'proxy', help: 'HTTP(S) proxy for the Docker daemon (docker/http-proxy.conf) and the build' },
  {
    name: 'policy',
    value: 'SOURCE',
    help:
      'Organisation policy (YAML): a file, an https URL or npm:PACKAGE[@RANGE]; values it fixes override the ' +
      'answers (else $CREATE_GO_DOCKER_POLICY, else the one .go-docker.yaml records)',
  },
  { name: 'out', value: 'DIR', help: 'Write the files here instead of the project directory' },
  { name: 'dry-run', help: 'Show what would be written; write nothing' },
  {
    name: 'force',
    help:
      'Overwrite files that create-go-docker did not write or that were edited by hand (kept as .orig; ' +
      "another Dockerfile's GOPROXY, GOPRIVATE, proxy and base are carried over)",
  },
  { name: 'json', help: 'Print the summary as JSON (implies --yes)' },
  { name: 'no-daemon-json', help: 'Do not write docker/daemon.json' },
  { name: 'compose', option: 'compose', help: 'Also write compose.yaml: the service built the same way, its port, a restart policy' },
  {
    name: 'ci',
    value: 'github|gitlab|none',
    option: 'ci',
    help: 'Write the CI that builds and pushes the images with a registry cache, and the drift gate',
  },
  {
    name: 'ci-cache',
    value: 'registry|gha',
    option: 'ciCache',
    help: "CI's BuildKit cache: <image>:buildcache in the registry (default) or GitHub's cache (gha)",
  },
  {
    name: 'ci-registry',
    value: 'PREFIX',
    option: 'ciRegistry',
    help: "Where CI pushes the images (default: ghcr.io/<owner>/<repo> or GitLab's $CI_REGISTRY_IMAGE)",
  },
  {
    name: 'ci-rollout',
    value: 'SOURCE',
    option: 'ciRollout',
    help: 'Also a scheduled job that regenerates with the policy at owner/repo:path (or an https URL) and opens a PR/MR',
  },
  // -V as cargo, python and commander-based CLIs have it; -v, which 0.1 documented, still works.
  { name: 'version', short: 'V', alias: 'v', help: 'Print the version (-v works too)' },
  { name: 'help', short: 'h', help: "Print this help (create-go-docker help COMMAND: that command's)" },
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

function parseStrict(
  argv: readonly string[],
  table: readonly FlagSpec[],
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const spec: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const flag of table) {
    spec[flag.name] = flag.short
      ? { type: flag.value ? 'string' : 'boolean', short: flag.short }
      : { type: flag.value ? 'string' : 'boolean' };
  }
  // An alias is rewritten only as a whole word before "--": every short flag is a switch, so
  // "-v" can be nothing else there, and a value such as --args=-v is never touched.
  const end = argv.indexOf('--');
  const args = argv.map((word, index) => {
    const flag =
      (end === -1 || index < end) && word.length === 2 && word.startsWith('-')
        ? table.find((candidate) => candidate.alias === word[1])
        : undefined;
    return flag?.short ? `-${flag.short}` : word;
  });
  try {
    const parsed = parseArgs({ args, options: spec, allowPositionals: true, strict: true });
    return { values: parsed.values, positionals: parsed.positionals };
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
    const guess = /^-[^-]$/.test(name) ? closestShort(name[1]!, table) : closestFlag(name.replace(/^-+/, ''), table);
    return `unknown option ${abbreviate(name, 60)}${guess ? `; did you mean ${guess}?` : ''} (see --help).`;
  }
  const missing = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value (see --help).`;
  const ambiguous = /Option '(?:-\w, )?(--[\w-]+)' argument is ambiguous/.exec(message);
  if (ambiguous)
    return (
      `${ambiguous[1]} needs a value, and the next argument starts with "-"; if that is the value, write ` +
      `${ambiguous[1]}=VALUE (see --help).`
    );
  const noValue = /Option '(--[\w-]+)' does not take an argument/.exec(message);
  if (noValue) return `${noValue[1]} takes no value; remove "=..." (see --help).`;
  return `${abbreviate(message.split('\n')[0]!, 200)} (see --help).`;
}

function closestFlag(name: string, table: readonly FlagSpec[]): string | undefined {
  const guess = closestName(
    name,
    table.map((flag) => flag.name),
  );
  return guess === undefined ? undefined : `--${guess}`;
}

/**
 * A one-letter option is only ever a short flag in the other case (-Y for -y): by edit distance
 * every letter is within 2 of --go, which is how -V came to suggest it.
 */
function closestShort(letter: string, table: readonly FlagSpec[]): string | undefined {
  const flag = table.find(
    (candidate) => candidate.short?.toLowerCase() === letter.toLowerCase() || candidate.alias?.toLowerCase() === letter.toLowerCase(),
  );
  return flag ? `-${flag.short ?? flag.alias}` : undefined;
}

/** The known name nearest to a typed one (at most 2 edits), for "did you mean". */
function closestName(name: string, names: readonly string[]): string | undefined {
  if (name.length > 40) return undefined;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of names) {
    const distance = editDistance(name, candidate);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: candidate, distance };
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

function helpText(version: string): string {
  const [generateCommand, ...others] = COMMANDS;
  return [
    `create-go-docker ${version}: a fast, private-module-aware Docker setup for a Go module`,
    '',
    `Usage: create-go-docker ${generateCommand.synopsis}`,
    ...others.map((command) => `       create-go-docker ${command.name} ${command.synopsis}`),
    '',
    'Detects the Go module in dir (default: the current directory), asks a few questions on a',
    'terminal (never with --yes; without a terminal it says it took the defaults) and writes',
    'Dockerfile, .dockerignore, docker/daemon.json and .go-docker.yaml (your answers, so a rerun',
    'gives the same files).',
    '',
    'Commands:',
    ...rows(COMMANDS.map((command) => [command.name, command.summary])),
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
    'Exit codes: 0 done, 1 needs attention (the project or the file system stopped it), 2 bad usage,',
    '3 nothing to do (no Go module here), 130 cancelled.',
    'create-go-docker help regenerate: re-render the files from .go-docker.yaml and the policy.',
    'create-go-docker help doctor: diagnose why go mod download fails in an existing Docker setup.',
  ].join('\n');
}

/** Two columns, the first padded to its widest entry. */
function rows(pairs: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...pairs.map(([left]) => left.length)) + 2;
  return pairs.map(([left, right]) => `  ${left.padEnd(width)}${right}`);
}

const REGENERATE_FLAGS: readonly FlagSpec[] = [
  { name: 'check', help: 'Change nothing; exit 1 and show the diff when a managed file is not what it should be' },
  { name: 'diff', help: 'Change nothing; print what regenerate would change, as a unified diff' },
  {
    name: 'force',
    help: 'Overwrite hand-edited and foreign files (custom block lines are kept; a file whose blocks cannot be read is never overwritten)',
  },
  {
    name: 'recursive',
    help: 'Every project below dir that has a .go-docker.yaml, one line each, then the count of Go modules, managed or not',
  },
  { name: 'include-unmanaged', help: 'With --recursive: also list each Go module (go.mod or go.work) no .go-docker.yaml manages' },
  {
    name: 'refresh-pins',
    help:
      'Pin every image the files name to the digest its registry serves now (Docker Hub through the mirrors), recorded ' +
      'as pins in .go-docker.yaml',
  },
  {
    name: 'policy',
    value: 'SOURCE',
    help: 'Policy: a file, an https URL or npm:PACKAGE[@RANGE] (else $CREATE_GO_DOCKER_POLICY, else the one .go-docker.yaml records)',
  },
  { name: 'json', help: 'Print the result as JSON (see the README, "JSON output"), failures included' },
  { name: 'help', short: 'h', help: 'Print this help' },
];

export interface RegenerateArgs {
  dir?: string;
  check: boolean;
  diff: boolean;
  force: boolean;
  recursive: boolean;
  includeUnmanaged: boolean;
  refreshPins: boolean;
  json: boolean;
  policy?: string;
  help: boolean;
}

function parseRegenerateLine(argv: readonly string[]): RegenerateArgs {
  const values = parseStrict(argv, REGENERATE_FLAGS);
  if (values.positionals.length > 1) {
    throw new UsageError(`regenerate: too many arguments (${abbreviate(values.positionals.join(' '), 120)}); give at most one directory.`);
  }
  const flags = values.values;
  if (flags.check === true && flags.diff === true) throw new UsageError('regenerate: --check and --diff both only show; give one of them.');
  if (flags['include-unmanaged'] === true && flags.recursive !== true) {
    throw new UsageError('regenerate: --include-unmanaged lists the Go modules a --recursive walk finds; add --recursive.');
  }
  const result: RegenerateArgs = {
    check: flags.check === true,
    diff: flags.diff === true,
    force: flags.force === true,
    recursive: flags.recursive === true,
    includeUnmanaged: flags['include-unmanaged'] === true,
    refreshPins: flags['refresh-pins'] === true,
    json: flags.json === true,
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
    `Usage: create-go-docker regenerate ${commandSpec('regenerate').synopsis}`,
    '',
    'Reads dir/.go-docker.yaml (default: the current directory), the policy and the Go module',
    'again, and rewrites the files create-go-docker manages. Lines inside custom:begin/custom:end',
    'blocks are kept. A file edited elsewhere is not overwritten: regenerate stops with exit 1',
    'and prints the diff of generated vs current (--force overwrites it).',
    '',
    'With --recursive, one line per project: up-to-date, would-update (--check, --diff), updated,',
    'hand-edit (a file regenerate refuses to overwrite), unreadable (.go-docker.yaml cannot be',
    'read), failed, or unmanaged (a Go module without .go-docker.yaml; listed with',
    '--include-unmanaged, always counted in the last line).',
    '',
    'Options:',
    ...flagRows(REGENERATE_FLAGS),
    '',
    'Exit codes: 0 up to date or rewritten, 1 needs attention (drift with --check, a hand edit, an',
    'unreadable or failed project), 2 bad usage, 3 nothing to do (no .go-docker.yaml here, or none',
    'below dir with --recursive).',
  ].join('\n');
}

const DOCTOR_FLAGS: readonly FlagSpec[] = [
  { name: 'json', help: 'Print the findings as JSON' },
  { name: 'offline', help: 'Skip the network checks (DNS and HTTPS to each GOPROXY entry and the checksum database)' },
  { name: 'dockerfile', value: 'PATH', help: 'The Dockerfile to check (default: dir/Dockerfile)' },
  { name: 'daemon-json', value: 'PATH', help: 'The daemon.json to check (default: dir/docker/daemon.json, else /etc/docker/daemon.json)' },
  { name: 'timeout', value: 'SECONDS', help: 'Time limit of each network probe (default 5)' },
  {
    name: 'fix',
    help:
      'Then run the command the report ends with: ours generated over another Dockerfile (kept as Dockerfile.orig, ' +
      'its network and base carried over), or regenerate for ours',
  },
  { name: 'help', short: 'h', help: 'Print this help' },
];

export interface DoctorArgs {
  dir?: string;
  json: boolean;
  /** Run the way forward after the report (generate --yes --force, or regenerate). */
  fix: boolean;
  offline: boolean;
  dockerfile?: string;
  daemonJson?: string;
  timeoutSeconds?: number;
  help: boolean;
}

function parseDoctorLine(argv: readonly string[]): DoctorArgs {
  const { values, positionals } = parseStrict(argv, DOCTOR_FLAGS);
  if (positionals.length > 1)
    throw new UsageError(`doctor: too many arguments (${abbreviate(positionals.join(' '), 120)}); give at most one directory.`);
  if (values.fix === true && values.json === true)
    throw new UsageError('doctor: --fix writes files and prints what it wrote, --json only reports; give one of them.');
  const result: DoctorArgs = {
    json: values.json === true,
    offline: values.offline === true,
    fix: values.fix === true,
    help: values.help === true,
  };
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

function doctorHelpText(version: string): string {
  return [
    `create-go-docker ${version} doctor: why does go mod download fail in Docker?`,
    '',
    `Usage: create-go-docker doctor ${commandSpec('doctor').synopsis}`,
    '',
    'Reads the Go module in dir (default: the current directory), its Dockerfile, .dockerignore',
    'and daemon.json, and reports each problem with an id (GCD0xx), file and line, and the fix.',
    '',
    'Options:',
    ...flagRows(DOCTOR_FLAGS),
    '',
    'Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 bad usage. With --fix: the exit code',
    'of the command it ran (0 when the files were written), or 0 when there was nothing to fix.',
  ].join('\n');
}

const HELP_FLAGS: readonly FlagSpec[] = [{ name: 'help', short: 'h', help: 'Print this help' }];

interface HelpArgs {
  /** The command whose help to print (generate's is the overview). */
  topic: CommandName;
}

function parseHelpLine(argv: readonly string[]): HelpArgs {
  const { positionals } = parseStrict(argv, HELP_FLAGS);
  if (positionals.length > 1)
    throw new UsageError(
      `help: too many arguments (${abbreviate(positionals.join(' '), 120)}); give one command, e.g. create-go-docker help regenerate.`,
    );
  const word = positionals[0];
  if (word === undefined) return { topic: 'generate' };
  const topic = COMMANDS.find((command) => command.name === word);
  if (topic) return { topic: topic.name };
  const guess = closestCommand(word);
  throw new UsageError(
    `help: unknown command ${quoted(abbreviate(word, 60))}; ` +
      (guess ? `did you mean "${guess}"?` : `the commands are ${COMMANDS.map((command) => command.name).join(', ')}.`),
  );
}

/**
 * The subcommand table: dispatch (main.ts), the usage lines and command list of --help, help
 * COMMAND and "did you mean" all read it, as parsing and --help read FLAGS. generate is the
 * default: it runs when the first argument is no command's word.
 */
export const COMMANDS = [
  {
    name: 'generate',
    synopsis: '[dir] [options]',
    summary: 'detect the Go module, ask on a terminal, write the files (the default: the word can be left out)',
    parse: parseCommandLine,
    help: helpText,
  },
  {
    name: 'regenerate',
    synopsis: '[dir] [--check|--diff] [--recursive [--include-unmanaged]] [--force] [--policy SOURCE] [--json]',
    summary: 're-render the files from .go-docker.yaml and the policy; --check is the drift gate',
    parse: parseRegenerateLine,
    help: regenerateHelpText,
  },
  {
    name: 'doctor',
    synopsis: '[dir] [--json] [--offline] [--dockerfile PATH] [--daemon-json PATH] [--timeout SECONDS] [--fix]',
    summary: 'diagnose why go mod download fails in an existing Docker setup; changes nothing unless --fix',
    parse: parseDoctorLine,
    help: doctorHelpText,
  },
  { name: 'help', synopsis: '[command]', summary: 'print the help of a command', parse: parseHelpLine, help: helpText },
] as const satisfies readonly {
  name: string;
  synopsis: string;
  summary: string;
  parse: (argv: readonly string[]) => unknown;
  help: (version: string) => string;
}[];

export type CommandName = (typeof COMMANDS)[number]['name'];
type CommandSpec<K extends CommandName = CommandName> = Extract<(typeof COMMANDS)[number], { name: K }>;
export type ArgsOf<K extends CommandName> = ReturnType<CommandSpec<K>['parse']>;
/** A parsed command line: the command and its arguments, typed together. */
export type Invocation = { [K in CommandName]: { command: K; args: ArgsOf<K> } }[CommandName];

export function commandSpec<K extends CommandName>(name: K): CommandSpec<K> {
  return COMMANDS.find((command): command is CommandSpec<K> => command.name === name)!;
}

/** The command a word names exactly, if any. */
export function commandNamed(word: string | undefined): CommandName | undefined {
  return COMMANDS.find((command) => command.name === word)?.name;
}

/**
 * The command a mistyped word was meant to be: a few edits away (one per three letters, so
 * "doctr" is doctor but "hello" is not help) or the start of one ("regen").
 */
function closestCommand(word: string): CommandName | undefined {
  const lower = word.toLowerCase();
  if (lower.length >= 3) {
    const started = COMMANDS.find((command) => command.name.startsWith(lower));
    if (started) return started.name;
  }
  let best: { name: CommandName; distance: number } | undefined;
  for (const command of COMMANDS) {
    const distance = editDistance(lower, command.name);
    if (distance <= Math.max(1, Math.floor(lower.length / 3)) && (!best || distance < best.distance))
      best = { name: command.name, distance };
  }
  return best?.name;
}

/** A first word that names no command (so --json output names none either). */
export class UnknownCommandError extends UsageError {}

/**
 * Splits argv into a command and its arguments. The first argument may be a project directory
 * as well as a command's word: a command's word wins (write ./doctor for a directory of that
 * name), except generate's, which was not a word before and so yields to a directory named
 * generate. A word that is neither a command nor an existing path, but close to a command's
 * name, is a typo ("doctr"): an error that names the command, not "no such directory".
 */
export function parseInvocation(argv: readonly string[], exists: (path: string) => boolean): Invocation {
  const named = commandNamed(argv[0]);
  const rest = argv.slice(1);
  switch (named) {
    case 'regenerate':
      return { command: named, args: parseRegenerateLine(rest) };
    case 'doctor':
      return { command: named, args: parseDoctorLine(rest) };
    case 'help':
      return { command: named, args: parseHelpLine(rest) };
    case 'generate':
      if (!exists(argv[0]!)) return { command: named, args: parseCommandLine(rest) };
      break;
    case undefined:
      break;
  }
  const typo = (word: string) => {
    const guess = exists(word) ? undefined : closestCommand(word);
    if (guess) throw new UnknownCommandError(`unknown command ${quoted(abbreviate(word, 60))}; did you mean "${guess}"?`);
  };
  // Before the flags are parsed: "regen --check" is a mistyped command, not an unknown --check.
  if (argv[0] !== undefined && !argv[0].startsWith('-')) typo(argv[0]);
  const args = parseCommandLine(argv);
  if (args.dir !== undefined && !args.help && !args.version) typo(args.dir);
  return { command: 'generate', args };
}

// A health probe the binary offers itself: a subcommand (`app healthcheck`) or a flag (`app
// --health`) that checks the running service and exits 0 or 1. Distroless and scratch images
// have no shell, curl or wget, so the binary probing itself is the only healthcheck compose can
// run in them. Read from the main package's own built files (no _test.go; comments blanked),
// one named recognizer per idiom, each bounded to a window of the file. A word that only looks
// like one (a Bool flag that enables a health endpoint, a subcommand of a subcommand, a root
// command named healthcheck) is not a probe. An HTTP route (/healthz) is none either: nothing in
// the image can request it; it is found only to say so. Pure.
import type { SourceText } from './ports.js';
import { argumentsAt, bodyAt, splitArguments, stripComments, topLevel } from './source.js';

export interface HealthProbe {
  kind: 'subcommand' | 'flag';
  /** What the image runs after the binary: "healthcheck", or "--health" (two dashes: the flag package, pflag and kingpin all read them). */
  argument: string;
  /** file:line, for messages. */
  where: string;
  /** The recognizer that found it. */
  how: string;
}

/** An HTTP route that reports health (/healthz), which no client in the image can request. */
export interface HealthRoute {
  route: string;
  where: string;
}

/** One idiom that offers a probe, by name: each has unit tests with a Go fixture of its shape. */
export interface HealthRecognizer {
  name: string;
  shape: string;
  kind: HealthProbe['kind'];
  /** The probe names it finds in one file's code (comments blanked), with their offsets. */
  find(code: string): { name: string; index: number }[];
}

/** The names a probe goes by: health, healthcheck, health-check, health_check. */
const PROBE_NAME = /^health(?:[-_]?check)?$/i;

/** How far a literal or an argument list is read from its start: a hostile file cannot make a scan quadratic. */
const WINDOW = 20_000;

/** A usage text that says the flag turns a feature on, not that it probes and exits. */
const ENABLES = /^\s*(?:enables?|disables?|whether|starts?|exposes?|serves?|turns?|listens?|adds?|registers?|mounts?|use)\b/i;
/** A usage text that says the flag probes: "probe the local server and exit", "run healthcheck". */
const PROBES = /\b(?:exits?|probes?|checks?|healthcheck|pings?)\b/i;

function literalBody(code: string, open: number): string {
  return bodyAt(code.slice(open, open + WINDOW), 0);
}

function callArguments(code: string, open: number): string {
  return argumentsAt(code.slice(open, open + WINDOW), 0);
}

/** The identifier an expression starts with: `healthCmd`, `&healthCmd`, `newHealthCmd(x)`. */
function leadingName(expression: string): string | undefined {
  return /^&?(\w+)/.exec(expression.trim())?.[1];
}

/** The variable assigned on the line before `index`: `hc := flag.Bool(`, `healthCmd = &cobra.Command{`. */
function assignedTo(code: string, index: number): string | undefined {
  const line = code.slice(code.lastIndexOf('\n', index - 1) + 1, index);
  return /(\w+)\s*(?::=|=)\s*$/.exec(line)?.[1];
}

/** The function whose body holds `index` (its name), for a constructor: `func newHealthCmd() *cobra.Command {`. */
function enclosingFunction(code: string, index: number): string | undefined {
  const start = code.lastIndexOf('\nfunc ', index);
  return start < 0 ? undefined : /^func\s+(\w+)\s*\(/.exec(code.slice(start + 1, index))?.[1];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A string literal's text: "..." or `...`; undefined for anything else. */
function literalText(expression: string | undefined): string | undefined {
  const found = /^(?:"((?:[^"\\\n]|\\.)*)"|`([^`]*)`)$/.exec((expression ?? '').trim());
  return found ? (found[1] ?? found[2]!) : undefined;
}

/** A command that cannot run without arguments or a required flag: run bare, it fails whatever the service's health. */
function requiresInput(body: string): boolean {
  return /\bArgs:\s*cobra\.(?:ExactArgs|MinimumNArgs|RangeArgs)\(\s*[1-9]/.test(body) || /\bRequired:\s*true\b/.test(body);
}

/**
 * cobra: `healthCmd := &cobra.Command{Use: "healthcheck", ...}` registered on a root command
 * (`rootCmd.AddCommand(healthCmd)`, inline, or through a constructor `newHealthCmd()`). A root
 * is a command no AddCommand takes: `admin health` is no `health` of the binary.
 */
function cobraSubcommands(code: string): { name: string; index: number }[] {
  const calls = [...code.matchAll(/\b(\w+)\.AddCommand\(/g)].map((match) => {
    const open = match.index + match[0].length - 1;
    const list = callArguments(code, open);
    return { receiver: match[1]!, entries: splitArguments(list), start: open, end: open + list.length + 1 };
  });
  const children = new Set(calls.flatMap((call) => call.entries.map(leadingName)));
  const onRoot = calls.filter((call) => !children.has(call.receiver));
  const found: { name: string; index: number }[] = [];
  for (const match of code.matchAll(/&cobra\.Command\s*\{/g)) {
    const body = literalBody(code, match.index + match[0].length - 1);
    const use = /\bUse:\s*"([\w-]+)/.exec(topLevel(body))?.[1];
    if (use === undefined || !PROBE_NAME.test(use) || requiresInput(body)) continue;
    const names = [assignedTo(code, match.index), enclosingFunction(code, match.index)].filter((name) => name !== undefined);
    const registered = onRoot.some(
      (call) =>
        (match.index > call.start && match.index < call.end) || call.entries.some((entry) => names.includes(leadingName(entry) ?? '')),
    );
    if (registered) found.push({ name: use, index: match.index });
  }
  return found;
}

/** A urfave/cli command an entry of a Commands list names: inline `{Name: "healthcheck"}`, a variable, or a constructor. */
function urfaveCommand(code: string, entry: string): { name: string; body: string } | undefined {
  const brace = entry.indexOf('{');
  if (brace >= 0 && /^&?(?:cli\.Command\s*)?\{/.test(entry.trim())) {
    const body = bodyAt(entry, brace);
    const name = /\bName:\s*"([\w-]+)"/.exec(topLevel(body))?.[1];
    return name === undefined ? undefined : { name, body };
  }
  const reference = leadingName(entry);
  if (reference === undefined) return undefined;
  const escaped = escapeRegExp(reference);
  const declared = new RegExp(
    String.raw`(?:\b${escaped}\s*:?=\s*&?cli\.Command\s*\{|` +
      String.raw`^func\s+${escaped}\s*\([^)]*\)\s*\*?cli\.Command\s*\{[\s\S]{0,400}?&?cli\.Command\s*\{)`,
    'm',
  ).exec(code);
  if (!declared) return undefined;
  const body = literalBody(code, declared.index + declared[0].length - 1);
  const name = /\bName:\s*"([\w-]+)"/.exec(topLevel(body))?.[1];
  return name === undefined ? undefined : { name, body };
}

/**
 * urfave/cli: an entry of the root's Commands list (`Commands: []*cli.Command{...}` or v1's
 * `app.Commands = []cli.Command{...}`) named healthcheck. A list inside another list's entry
 * is a subcommand's, never the root's.
 */
function urfaveSubcommands(code: string): { name: string; index: number }[] {
  const lists = [...code.matchAll(/\bCommands\s*(?::|=)\s*\[\]\*?cli\.Command\s*\{/g)].map((match) => {
    const open = match.index + match[0].length - 1;
    const body = literalBody(code, open);
    return { open, body, end: open + body.length + 1 };
  });
  const found: { name: string; index: number }[] = [];
  for (const list of lists) {
    if (lists.some((other) => other !== list && list.open > other.open && list.open < other.end)) continue;
    for (const entry of splitArguments(list.body)) {
      const command = urfaveCommand(code, entry);
      if (command && PROBE_NAME.test(command.name) && !requiresInput(command.body))
        found.push({ name: command.name, index: list.open + 1 + Math.max(0, list.body.indexOf(entry)) });
    }
  }
  return found;
}

/** The first argument of the program: os.Args[1], flag.Arg(0), or args[0] of `args := os.Args[1:]` (or flag.Args()). */
function firstArgument(code: string): string {
  const sliced = [...code.matchAll(/\b(\w+)\s*:?=\s*(?:os\.Args\[1:\]|flag\.Args\(\))/g)].map((match) => `${match[1]!}\\[0\\]`);
  return `(?:os\\.Args\\[1\\]|flag\\.Arg\\(0\\)${sliced.map((name) => `|\\b${name}`).join('')})`;
}

function firstArgumentSwitch(code: string): { name: string; index: number }[] {
  const found: { name: string; index: number }[] = [];
  for (const match of code.matchAll(new RegExp(String.raw`\bswitch\s+${firstArgument(code)}\s*\{`, 'g'))) {
    const body = literalBody(code, match.index + match[0].length - 1);
    for (const branch of body.matchAll(/^\s*case\s+("[\w-]*"(?:\s*,\s*"[\w-]*")*)\s*:/gm))
      for (const word of branch[1]!.matchAll(/"([\w-]*)"/g))
        if (PROBE_NAME.test(word[1]!))
          found.push({ name: word[1]!, index: match.index + match[0].length + branch.index + branch[0].indexOf('case') });
  }
  return found;
}

function firstArgumentComparison(code: string): { name: string; index: number }[] {
  const argument = firstArgument(code);
  const compared = new RegExp(String.raw`\b${argument}\s*==\s*"([\w-]+)"|"([\w-]+)"\s*==\s*${argument}`, 'g');
  return [...code.matchAll(compared)]
    .map((match) => ({ name: match[1] ?? match[2]!, index: match.index }))
    .filter((found) => PROBE_NAME.test(found.name));
}

/** kingpin: `app.Command("healthcheck", ...)` on the application (or kingpin's own), not on a command. */
function kingpinSubcommands(code: string): { name: string; index: number }[] {
  const app = /\b(\w+)\s*:?=\s*kingpin\.New\(/.exec(code)?.[1];
  const receiver = app === undefined ? 'kingpin' : `(?:${escapeRegExp(app)}|kingpin)`;
  return [...code.matchAll(new RegExp(String.raw`\b${receiver}\.Command\(\s*"([\w-]+)"`, 'g'))]
    .map((match) => ({ name: match[1]!, index: match.index }))
    .filter((found) => PROBE_NAME.test(found.name));
}

/**
 * A Bool flag that probes: off by default, and its usage says it checks and exits ("probe the
 * local server and exit"), or the `if *health {` it guards exits. A usage that enables something
 * ("Whether to start the health check endpoint") is a feature switch, never a probe.
 */
function probes(code: string, usage: string, variable: string | undefined): boolean {
  if (ENABLES.test(usage)) return false;
  if (PROBES.test(usage)) return true;
  if (variable === undefined) return false;
  const guard = new RegExp(String.raw`\bif\s+\*?${escapeRegExp(variable)}\s*\{`).exec(code);
  return guard !== null && /\bos\.Exit\(|\breturn\b|\blog\.Fatal/.test(literalBody(code, guard.index + guard[0].length - 1));
}

/** The flag package's (or pflag's) own set: flag.Bool("healthcheck", false, ...), BoolVar(&h, ...), BoolP/BoolVarP. */
function flagPackageFlags(code: string): { name: string; index: number }[] {
  if (!/\b(?:flag|pflag)\.Parse\(\)/.test(code)) return [];
  const found: { name: string; index: number }[] = [];
  for (const match of code.matchAll(/\b(?:flag|pflag)\.Bool(Var)?(P)?\(/g)) {
    const values = splitArguments(callArguments(code, match.index + match[0].length - 1));
    const at = match[1] ? 1 : 0;
    const name = literalText(values[at]);
    const fallback = values[at + 1 + (match[2] ? 1 : 0)];
    if (name === undefined || !PROBE_NAME.test(name) || fallback !== 'false') continue;
    const usage = literalText(values[at + 2 + (match[2] ? 1 : 0)]) ?? '';
    const variable = match[1] ? leadingName(values[0] ?? '') : assignedTo(code, match.index);
    if (probes(code, usage, variable)) found.push({ name, index: match.index });
  }
  return found;
}

/** kingpin: `app.Flag("health", "probe the server and exit").Bool()` on the application, not true by default. */
function kingpinFlags(code: string): { name: string; index: number }[] {
  const app = /\b(\w+)\s*:?=\s*kingpin\.New\(/.exec(code)?.[1];
  const receiver = app === undefined ? 'kingpin' : `(?:${escapeRegExp(app)}|kingpin)`;
  const flag = new RegExp(
    String.raw`\b${receiver}\.Flag\(\s*"([\w-]+)"\s*,\s*"([^"\n]*)"\s*\)((?:\s*\.\s*\w+\([^()\n]*\))*?)\s*\.\s*Bool(?:Var)?\(([^()\n]*)\)`,
    'g',
  );
  const found: { name: string; index: number }[] = [];
  for (const match of code.matchAll(flag)) {
    const [, name, usage, chain, target] = match;
    if (!PROBE_NAME.test(name!) || /\.\s*Default\(\s*"true"|\.\s*Required\(/.test(chain!)) continue;
    const variable = target ? leadingName(target) : assignedTo(code, match.index);
    if (probes(code, usage!, variable)) found.push({ name: name!, index: match.index });
  }
  return found;
}

export const HEALTH_RECOGNIZERS: readonly HealthRecognizer[] = [
  {
    name: 'cobra subcommand',
    shape: 'healthCmd := &cobra.Command{Use: "healthcheck", RunE: ...}; rootCmd.AddCommand(healthCmd)',
    kind: 'subcommand',
    find: cobraSubcommands,
  },
  {
    name: 'urfave/cli subcommand',
    shape: '&cli.Command{Name: "app", Commands: []*cli.Command{{Name: "healthcheck", Action: ...}}}',
    kind: 'subcommand',
    find: urfaveSubcommands,
  },
  {
    name: 'kingpin subcommand',
    shape: 'app := kingpin.New("app", ""); app.Command("healthcheck", "probe the server")',
    kind: 'subcommand',
    find: kingpinSubcommands,
  },
  {
    name: 'switch on the first argument',
    shape: 'switch os.Args[1] { case "healthcheck": os.Exit(probe()) }',
    kind: 'subcommand',
    find: firstArgumentSwitch,
  },
  {
    name: 'first argument compared',
    shape: 'if len(os.Args) > 1 && os.Args[1] == "health" { os.Exit(probe()) }',
    kind: 'subcommand',
    find: firstArgumentComparison,
  },
  {
    name: 'flag package Bool',
    shape: 'hc := flag.Bool("healthcheck", false, "probe the local server and exit"); flag.Parse(); if *hc { os.Exit(probe()) }',
    kind: 'flag',
    find: flagPackageFlags,
  },
  {
    name: 'kingpin Bool flag',
    shape: 'health := app.Flag("health", "check the running server and exit").Bool()',
    kind: 'flag',
    find: kingpinFlags,
  },
];

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** The probe the main package's own files offer: the first found, file by file in the table's order. */
export function findHealthProbe(own: readonly SourceText[]): HealthProbe | undefined {
  for (const source of own) {
    const code = source.code ?? stripComments(source.text);
    for (const recognizer of HEALTH_RECOGNIZERS) {
      const [found] = recognizer.find(code);
      if (found === undefined) continue;
      return {
        kind: recognizer.kind,
        argument: recognizer.kind === 'flag' ? `--${found.name}` : found.name,
        where: `${source.path}:${lineOf(code, found.index)}`,
        how: recognizer.name,
      };
    }
  }
  return undefined;
}

/** A health route handed to a router: HandleFunc("/healthz", ...), r.GET("/health", ...), mux.Handle("GET /livez", ...). */
const HEALTH_ROUTE = new RegExp(
  String.raw`\b(?:Handle|HandleFunc|GET|Get|HEAD|Head|Any|Path)\(\s*` +
    String.raw`"((?:GET |HEAD )?\/(?:api\/)?(?:v\d+\/)?(?:health|healthz|healthcheck|livez|readyz)\/?)"`,
);

/** The first health route the main package's own files serve, to say why compose has no healthcheck for it. */
export function findHealthRoute(own: readonly SourceText[]): HealthRoute | undefined {
  for (const source of own) {
    const code = source.code ?? stripComments(source.text);
    const match = HEALTH_ROUTE.exec(code);
    if (match) return { route: match[1]!.replace(/^(?:GET|HEAD) /, ''), where: `${source.path}:${lineOf(code, match.index)}` };
  }
  return undefined;
}

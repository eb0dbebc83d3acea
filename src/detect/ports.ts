// Where a service listens, read from its source: flag defaults (flag, pflag, cobra, urfave/cli,
// kingpin), environment fallbacks (getEnv("PORT", "80"), os.Getenv then a default, a settings
// table keyed by the variable), struct tags (default:"8081", envDefault:"3000"), configuration
// defaults (viper's SetDefault("port", 4533), a default config literal's Port: 80) and listen
// calls (ListenAndServe(":8080")). Each finding keeps the flag or environment variable that sets
// it and whether the default binds loopback only, so the plan can bind all interfaces. Dial-side
// names (endpoint, upstream, database...) and flags whose help says they connect somewhere are
// not listens.
// Pure functions over the source texts of a main package and the packages it imports.
import { addressRole, DIAL_NAME, inFlagSet, LISTEN_NAME, namesAround } from './listen-dial.js';
import { stripComments } from './source.js';

type BindHost = 'all' | 'loopback' | 'unknown';

export interface PortFinding {
  port?: number;
  host: BindHost;
  /** How the value is given: host:port, a bare host, a bare port, or a URL. */
  form: 'hostport' | 'host' | 'port' | 'url';
  /** The flag that sets it, when it is a flag default. */
  flag?: string;
  /** A flag the program requires whenever this one is given, with where it says so. */
  requires?: { flag: string; where: string };
  /** The environment variable that sets it, when the default is read from one. */
  env?: string;
  kind: 'flag' | 'tag' | 'env' | 'config' | 'call' | 'literal';
  /** file:line, for messages. */
  where: string;
  /** The flag's default text, e.g. "127.0.0.1:8090". */
  value: string;
  /** The flag is defined in a file that declares a cobra subcommand (Use: "serve"). */
  subcommand?: string;
}

export interface SourceText {
  /** Path shown in messages (module-relative). */
  path: string;
  text: string;
  /** The text with comments blanked, when the caller has it already (stripComments otherwise). */
  code?: string;
}

/**
 * flag/pflag/cobra definitions: String("name", def), StringVar(&x, "name", def), StringP("name", "s", def)...
 * Groups: 1 Var, 2 P, 3 the name, 4 the default (an expression), 5 the usage text.
 */
const FLAG_DEFINITION = new RegExp(
  [
    String.raw`\b(?:String|Int|Uint|Int64|Uint64)(Var)?(P)?\(\s*`,
    String.raw`(?:&[\w.[\]]+\s*,\s*)?`, // the variable (…Var)
    String.raw`"([\w.-]+)"\s*,\s*`, // the name
    String.raw`(?:"\w?"\s*,\s*)?`, // the shorthand (…P)
    String.raw`([^,\n]+?(?:\([^()\n]*\))?)\s*,\s*`, // the default
    String.raw`(?:"([^"\n]*)")?`, // the usage
  ].join(''),
  'g',
);

/** `port := os.Getenv("PORT")` followed by `if port == "" { port = "8080" }`: groups 2 the variable, 3 the fallback. */
const ENV_WITH_FALLBACK = new RegExp(
  String.raw`(\w+)\s*:?=\s*os\.Getenv\(\s*"([A-Z0-9_]*(?:PORT|ADDR|LISTEN)[A-Z0-9_]*)"\s*\)` +
    String.raw`[\s\S]{0,200}?if\s+\1\s*==\s*""\s*\{\s*\1\s*=\s*"([^"]*)"`,
  'g',
);

/** An environment variable that sets a listen address or port (PORT, LISTEN_ADDR, HTTP_BIND...). */
const LISTEN_ENV = /^[A-Z][A-Z0-9_]*$/;
const LISTEN_ENV_WORD = /(^|_)(PORT|ADDR|ADDRESS|LISTEN|LISTEN_ADDR|BIND|HOST)(_|$)/;
/** Blocks of a default configuration whose Port is not the service's main listener. */
const SECONDARY_BLOCK = /ssl|tls|https|metric|pprof|debug|admin|grpc|health|prometheus|client/i;
/** A default configuration block that describes the service's own server (Server{Port: 80}). */
const SERVER_BLOCK = /server|http|web|listen/i;

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < index; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/** What a default value says: "127.0.0.1:8090", ":8080", "8080", "localhost", "http://localhost:2379", 8080. */
export function readAddress(value: string): Pick<PortFinding, 'port' | 'host' | 'form'> | undefined {
  const text = value.trim().split(',')[0]!.trim();
  const url = /^(?:https?|grpc|tcp):\/\/([^/:]+|\[[^\]]+\])(?::(\d{1,5}))?/i.exec(text);
  if (url) return { host: hostKind(url[1]!), form: 'url', ...portOf(url[2]) };
  const hostPort = /^([^\s:]*|\[[^\]]*\]):(\d{1,5})$/.exec(text);
  if (hostPort) return { host: hostKind(hostPort[1]!), form: 'hostport', ...portOf(hostPort[2]) };
  if (/^\d{1,5}$/.test(text)) return { host: 'unknown', form: 'port', ...portOf(text) };
  if (/^(localhost|127\.0\.0\.1|::1|\[::1\]|0\.0\.0\.0|::|\[::\])$/.test(text)) return { host: hostKind(text), form: 'host' };
  return undefined;
}

function hostKind(host: string): BindHost {
  if (host === '' || host === '0.0.0.0' || host === '::' || host === '[::]') return 'all';
  if (/^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/.test(host)) return 'loopback';
  return 'unknown';
}

function portOf(text: string | undefined): { port?: number } {
  const port = Number(text);
  return text !== undefined && Number.isInteger(port) && port > 0 && port <= 65535 ? { port } : {};
}

/** Resolves an identifier to its literal value through const/var declarations (two hops at most). */
function resolveIdentifier(name: string, sources: readonly SourceText[], depth = 0): string | undefined {
  const bare = name.split('.').pop()!;
  if (depth > 2 || !/^[A-Za-z_]\w*$/.test(bare)) return undefined;
  for (const source of sources) {
    const match = new RegExp(`(?:^|[\\s(])${bare}\\s*(?:[\\w.]+\\s*)?=\\s*("[^"\\n]*"|\\d+|[A-Za-z_][\\w.]*)`, 'm').exec(source.text);
    if (!match) continue;
    const value = match[1]!;
    if (value.startsWith('"')) return value.slice(1, -1);
    if (/^\d+$/.test(value)) return value;
    return resolveIdentifier(value, sources, depth + 1);
  }
  return undefined;
}

/** A default given as a literal, a constant, or an env helper with a fallback (getEnv("PORT", "80")). */
function defaultText(expression: string, sources: readonly SourceText[]): string | undefined {
  const trimmed = expression.trim();
  if (/^"[^"]*"$/.test(trimmed)) return trimmed.slice(1, -1);
  if (/^\d+$/.test(trimmed)) return trimmed;
  const helper = /^[\w.]+\(\s*"[A-Za-z0-9_]+"\s*,\s*("[^"]*"|\d+)\s*\)$/.exec(trimmed);
  if (helper) return defaultText(helper[1]!, sources);
  if (/^[A-Za-z_][\w.]*$/.test(trimmed)) return resolveIdentifier(trimmed, sources);
  return undefined;
}

/** A cobra command declared in a file: its variable (when named), its Use word, where it starts. */
interface CobraCommand {
  variable?: string;
  use: string;
  index: number;
}

function cobraCommands(text: string): CobraCommand[] {
  return [...text.matchAll(/(?:\b(\w+)\s*:?=\s*)?&?cobra\.Command\s*\{[\s\S]{0,400}?Use:\s*"([\w-]+)/g)].map((match) => ({
    ...(match[1] ? { variable: match[1] } : {}),
    use: match[2]!,
    index: match.index,
  }));
}

/**
 * The cobra subcommand a flag defined at `index` belongs to: the command whose variable the
 * flag is defined on (serveCmd.Flags()), else the nearest one declared before it, else the
 * file's only one. None for the root command (a variable named root..., or a Use that is the
 * binary's own name): its flags need no subcommand word (filebrowser's Use: "filebrowser").
 */
function subcommandAt(text: string, index: number, commands: readonly CobraCommand[], rootNames: readonly string[]): string | undefined {
  const lineStart = text.lastIndexOf('\n', index) + 1;
  const receiver = /(\w+)\s*\.\s*(?:Persistent)?Flags\(\)/.exec(text.slice(lineStart, index + 1))?.[1];
  const command =
    commands.find((item) => receiver !== undefined && item.variable === receiver) ??
    [...commands].reverse().find((item) => item.index < index) ??
    (commands.length === 1 ? commands[0] : undefined);
  const use = command?.use ?? commandTypeAt(text, index);
  if (use === undefined || /^root/i.test(command?.variable ?? use) || rootNames.some((name) => name.toLowerCase() === use.toLowerCase()))
    return undefined;
  return use;
}

/**
 * The subcommand a command type's method registers flags for, when no cobra.Command literal says
 * it: `func (c *serverCommand) Init(...)` (hugo's simplecobra) -> "server".
 */
function commandTypeAt(text: string, index: number): string | undefined {
  const before = text.slice(Math.max(0, index - 4000), index);
  const methods = [...before.matchAll(/^func\s*\(\s*\w+\s+\*?([a-z][A-Za-z0-9]*?)(?:Command|Cmd)\s*\)/gm)];
  const last = methods[methods.length - 1];
  // Only when no other function starts between that method and the flag.
  if (!last || /^func\s/m.test(before.slice(last.index + 1))) return undefined;
  return last[1]!.toLowerCase();
}

/** `rootNames`: the binary's own names, which a root cobra command's Use repeats. */
export function findPorts(own: readonly SourceText[], imported: readonly SourceText[], rootNames: readonly string[] = []): PortFinding[] {
  const all = [...own, ...imported];
  const findings: PortFinding[] = [];
  const add = (finding: PortFinding | undefined) => {
    if (finding && (finding.port !== undefined || finding.form === 'host')) findings.push(finding);
  };
  for (const source of all) {
    const text = source.code ?? stripComments(source.text);
    const where = (index: number) => `${source.path}:${lineOf(text, index)}`;
    const commands = cobraCommands(text);
    /** A listen name that the listen/dial recognizers (listen-dial.ts) take for a listen. */
    const listens = (name: string, index: number, help?: string) =>
      LISTEN_NAME.test(name) &&
      addressRole({ name, neighbours: namesAround(text, index, name), ...(help === undefined ? {} : { help }) }).says === 'listen';
    /** A bare number is a port only when the name or the help says so (--port, --listen "HTTP server listen port"). */
    const portNamed = (name: string, help?: string) => /port/i.test(name) || /\bport\b/i.test(help ?? '');
    const fromFlag = (name: string, expression: string, index: number, help?: string) => {
      if (!listens(name, index, help) || !inFlagSet(text, index, all)) return;
      const value = defaultText(expression, all);
      if (value === undefined) return;
      const address = readAddress(value);
      if (!address) return;
      if (address.form === 'port' && !portNamed(name, help)) return;
      const subcommand = subcommandAt(text, index, commands, rootNames);
      add({ ...address, flag: name, kind: 'flag', where: where(index), value, ...(subcommand ? { subcommand } : {}) });
    };
    // flag/pflag/cobra: String("name", def), StringVar(&x, "name", def), StringP("name", "s", def), IntVarP(&x, "name", "s", def)...
    for (const match of text.matchAll(FLAG_DEFINITION)) {
      fromFlag(match[3]!, match[4]!, match.index, match[5]);
    }
    // A flag value type around the default: fs.Var(flags.NewUniqueURLs(DefaultListenClientURLs, ""), "listen-client-urls", "...").
    for (const match of text.matchAll(
      /\bVar\(\s*[\w.]+\(\s*("[^"\n]*"|[A-Za-z_][\w.]*)\s*(?:,[^()]*)?\)\s*,\s*"([\w.-]+)"\s*(?:,\s*"([^"\n]*)")?/g,
    )) {
      fromFlag(match[2]!, match[1]!, match.index, match[3]);
    }
    // urfave/cli: &cli.StringFlag{Name: "addr", Value: ":8080"}
    for (const match of text.matchAll(/(?:String|Int|Uint)Flag\s*\{([^}]*)\}/g)) {
      const name = /Name:\s*"([\w.-]+)"/.exec(match[1]!)?.[1];
      const value = /Value:\s*([^,\n}]+)/.exec(match[1]!)?.[1];
      if (name && value) fromFlag(name, value, match.index, /Usage:\s*"([^"\n]*)"/.exec(match[1]!)?.[1]);
    }
    // kingpin: .Flag("web.listen-address", "...").Default("0.0.0.0:9090")
    for (const match of text.matchAll(/\.Flag\(\s*"([\w.-]+)"\s*(?:,\s*"([^"\n]*)")?[^)]*\)\s*\.\s*Default\(\s*("[^"]*"|\d+)\s*\)/g))
      fromFlag(match[1]!, match[3]!, match.index, match[2]);
    // Struct tags: `long:"port" env:"PORT" default:"8080"`, `env:"PORT" envDefault:"3000"`.
    for (const match of text.matchAll(/`([^`\n]*\b(?:default|envDefault):"([^"]*)"[^`\n]*)`/g)) {
      const tag = match[1]!;
      const name = /\b(?:long|name|flag|env|json|yaml|mapstructure|koanf):"([^"]+)"/.exec(tag)?.[1] ?? '';
      const help = /\b(?:description|desc|usage|help):"([^"]*)"/.exec(tag)?.[1];
      if (!listens(name.toLowerCase(), match.index, help)) continue;
      const address = readAddress(match[2]!);
      if (!address || (address.form === 'port' && !portNamed(name, help))) continue;
      const flagName = /\blong:"([\w.-]+)"/.exec(tag)?.[1];
      add({ ...address, ...(flagName ? { flag: flagName } : {}), kind: 'tag', where: where(match.index), value: match[2]! });
    }
    const fromEnv = (env: string, value: string, index: number) => {
      if (!LISTEN_ENV.test(env) || !LISTEN_ENV_WORD.test(env) || DIAL_NAME.test(env)) return;
      const address = readAddress(value);
      if (address && (address.form !== 'port' || /PORT/.test(env))) add({ ...address, env, kind: 'env', where: where(index), value });
    };
    // os.Getenv("PORT") followed by a fallback: if port == "" { port = "8080" }.
    for (const match of text.matchAll(ENV_WITH_FALLBACK)) {
      fromEnv(match[2]!, match[3]!, match.index);
    }
    // An env helper with a fallback on its own: addr := getEnv("LISTEN_ADDR", "127.0.0.1:8080").
    for (const match of text.matchAll(/\b\w+\(\s*"([A-Z][A-Z0-9_]*)"\s*,\s*"([^"\n]*)"\s*\)/g)) fromEnv(match[1]!, match[2]!, match.index);
    // A settings table keyed by the variable: "LISTEN_ADDR": {..., rawValue: "127.0.0.1:8080"}.
    for (const match of text.matchAll(/"([A-Z][A-Z0-9_]*)"\s*:\s*\{[^}]*?"([^"\n]*:\d{1,5})"/g)) fromEnv(match[1]!, match[2]!, match.index);
    // Configuration defaults: viper.SetDefault("port", 4533), v.SetDefault("server.address", "0.0.0.0").
    for (const match of text.matchAll(/\.SetDefault\(\s*"([\w.-]+)"\s*,\s*("[^"\n]*"|\d+)\s*\)/g)) {
      const key = match[1]!;
      const name = key.split('.').pop()!;
      if (!LISTEN_NAME.test(name) || DIAL_NAME.test(key) || SECONDARY_BLOCK.test(key)) continue;
      const value = match[2]!.replace(/^"|"$/g, '');
      const address = readAddress(value);
      if (address && (address.form !== 'port' || /port/i.test(name))) add({ ...address, kind: 'config', where: where(match.index), value });
    }
    // A default configuration literal: Server: Server{Port: 80, ...} (not inside SSL{...}, Database{...} or a client's block).
    for (const match of text.matchAll(
      /[{,\s](Port|HTTPPort|ListenPort|ListenAddr|ListenAddress|Listen|BindAddr|BindAddress)\s*:\s*("[^"\n]*"|\d{2,5})\s*[,}\n]/g,
    )) {
      const block = enclosingBlockName(text, match.index);
      // Only a server's block: a Port in EC2SDConfig{...} or Database{...} is somewhere to connect to.
      if (block === undefined || !SERVER_BLOCK.test(block) || DIAL_NAME.test(block) || SECONDARY_BLOCK.test(block)) continue;
      const value = match[2]!.replace(/^"|"$/g, '');
      const address = readAddress(value);
      if (address && (address.form !== 'port' || /port/i.test(match[1]!)))
        add({ ...address, kind: 'config', where: where(match.index + 1), value });
    }
    // Listen calls with a literal address.
    for (const match of text.matchAll(
      /(?:ListenAndServe(?:TLS)?|net\.Listen|\.Run|\.Start|\.Listen|\.Serve)\(\s*(?:"tcp[46]?"\s*,\s*)?"([^"\n]*:\d{1,5})"/g,
    )) {
      add(addressFinding(match[1]!, 'call', where(match.index)));
    }
    for (const match of text.matchAll(/\bAddr:\s*"([^"\n]*:\d{1,5})"/g)) add(addressFinding(match[1]!, 'call', where(match.index)));
    // The weakest hint: a ":8080"-style literal anywhere in the main package's own files.
    if (own.includes(source))
      for (const match of text.matchAll(/"((?:0\.0\.0\.0|\[::\])?:\d{2,5})"/g))
        add(addressFinding(match[1]!, 'literal', where(match.index)));
  }
  for (const finding of findings) if (finding.flag) finding.requires = requiredWith(finding.flag, all);
  return findings;
}

/**
 * Another flag the code says must come with this one ("--advertise-client-urls is required when
 * --listen-client-urls is set explicitly"): setting the listen flag alone would stop the program.
 */
function requiredWith(flag: string, sources: readonly SourceText[]): PortFinding['requires'] {
  const escaped = flag.replace(/[.-]/g, '\\$&');
  const pattern = new RegExp(`"([^"\\n]*\\brequired\\b[^"\\n]*)"`, 'g');
  const mentions = new RegExp(`--${escaped}(?![\\w.-])`);
  for (const source of sources) {
    for (const match of source.text.matchAll(pattern)) {
      if (!mentions.test(match[1]!)) continue;
      const other = [...match[1]!.matchAll(/--([\w][\w.-]*)/g)].map((item) => item[1]!).find((name) => name !== flag);
      if (other) return { flag: other, where: `${source.path}:${lineOf(source.text, match.index)}` };
    }
  }
  return undefined;
}

/**
 * What stands before the brace that opens the composite literal holding `index`: "Server: Server"
 * for `Server: Server{ Port: 80`, "c := &Config" for `c := &Config{`. Undefined outside any braces.
 */
function enclosingBlockName(text: string, index: number): string | undefined {
  let depth = 0;
  for (let at = index; at >= 0 && index - at < 4000; at--) {
    const char = text[at];
    if (char === '}') depth++;
    else if (char === '{') {
      if (depth === 0)
        return text
          .slice(Math.max(0, at - 80), at)
          .split(/[\n{}(;]/)
          .pop()!
          .trim();
      depth--;
    }
  }
  return undefined;
}

function addressFinding(value: string, kind: PortFinding['kind'], where: string): PortFinding | undefined {
  const address = readAddress(value);
  return address ? { ...address, kind, where, value } : undefined;
}

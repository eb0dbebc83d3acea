// Where a service listens, read from its source: flag defaults (flag, pflag, cobra, urfave/cli,
// kingpin), environment fallbacks (getEnv("PORT", "80"), os.Getenv then a default, a settings
// table keyed by the variable), struct tags (default:"8081", envDefault:"3000"), configuration
// defaults (viper's SetDefault("port", 4533), a default config literal's Port: 80) and listen
// calls (ListenAndServe(":8080")). Each finding keeps the flag or environment variable that sets
// it and whether the default binds loopback only, so the plan can bind all interfaces. Dial-side
// names (endpoint, upstream, database...) and flags whose help says they connect somewhere are
// not listens.
// Pure functions over the source texts of a main package and the packages it imports.
import { configEntries, filesReadAtStart, type ConfigFile } from './config-files.js';
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
    String.raw`(?:&([\w.[\]]+)\s*,\s*)?`, // the variable (…Var)
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
  // A selector (opts.TCPAddress) may also be a field of a defaults literal: Options{TCPAddress: "0.0.0.0:4150"}.
  const field = name.includes('.') ? new RegExp(`[{,\\s]${bare}\\s*:\\s*("[^"\\n]*"|\\d+)\\s*[,}\\n]`) : undefined;
  for (const source of sources) {
    const match =
      new RegExp(`(?:^|[\\s(])${bare}\\s*(?:[\\w.]+\\s*)?=\\s*("[^"\\n]*"|\\d+|[A-Za-z_][\\w.]*)`, 'm').exec(source.text) ??
      field?.exec(source.text);
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

/** What a recognizer sees: one source file of the main's closure, and how to turn what it matched into findings. */
interface PortScan {
  /** The file's text with comments blanked. */
  text: string;
  /** One of the main package's own files (the weakest hints count only there). */
  own: boolean;
  /** Every source of the closure, to resolve constants and find the flag behind a variable. */
  all: readonly SourceText[];
  where(index: number): string;
  add(finding: PortFinding | undefined): void;
  /** A flag's default: kept when its name listens, its help does not dial and the default is an address. */
  /** `variable`: the one it is bound to (IntVar(&port, "p", ...)), which names a one-letter flag's meaning. */
  flag(name: string, expression: string, index: number, help?: string, variable?: string): void;
  /** Whether a listen name is a listen by the listen/dial recognizers (listen-dial.ts), at `index` in this file. */
  listens(name: string, index: number, help?: string): boolean;
  /** An environment variable's default: PORT, LISTEN_ADDR... */
  env(name: string, value: string, index: number): void;
  /** A configuration key's default: "port", "server.addr", "httpport" (not "database.port"). */
  key(key: string, value: string, index: number): void;
}

/** One idiom that gives a listen default, by name: each has unit tests with a Go fixture of its shape. */
export interface PortRecognizer {
  name: string;
  /** The shape it reads, for the reader of this table. */
  shape: string;
  scan(scan: PortScan): void;
}

/** A configuration key that names the service's own listener: port, addr, httpport, http_port, server.listen... */
const LISTEN_KEY = /^(?:http|web|server|app|listen)[._-]?(?:port|addr|address)$/i;
/** An idiomatic config or options type, whose literal holds the program's defaults. */
const DEFAULTS_BLOCK = /(?:^|[^a-z])(?:config|conf|cfg|options|opts|settings)\b|Config\b|Options\b|Opts\b|Settings\b/i;

/** The type of the program's own configuration literal, e.g. `return &Config{` or `cfg := ServerOptions{`. */
const PROGRAM_CONFIG_TYPE =
  /(?:^|[^\w.])(?:\w+\.)?(?:App|Server|Service|HTTP|Http|Web)?(?:Config|Configuration|Conf|Cfg|Options|Opts|Settings)$/;

/** A bare number is a port only when the name or the help says so (--port, --listen "HTTP server listen port"). */
function portNamed(name: string, help?: string): boolean {
  return /port/i.test(name) || /\bport\b/i.test(help ?? '');
}

function listenKeyName(name: string): boolean {
  return LISTEN_NAME.test(name) || LISTEN_KEY.test(name);
}

/** A configuration key's default as a finding (Go code or a config file in the repository), undefined when it does not listen. */
function keyFinding(key: string, value: string, where: string, env?: string): PortFinding | undefined {
  const name = key.split(/[.:]/).pop()!;
  if (!listenKeyName(name) || DIAL_NAME.test(key) || SECONDARY_BLOCK.test(key)) return undefined;
  const address = readAddress(value);
  if (!address || (address.form === 'port' && !/port/i.test(name))) return undefined;
  return { ...address, kind: 'config', where, value, ...(env ? { env } : {}) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The flag a variable is bound to: `port := flag.String("port", ...)` or `flag.StringVar(&port, "port", ...)`. */
function flagBoundTo(variable: string, text: string): string | undefined {
  const name = escapeRegExp(variable);
  return (
    new RegExp(String.raw`\b${name}\s*:?=\s*[\w.()]*\.(?:String|Int|Uint)\w*\(\s*"([\w.-]+)"`).exec(text)?.[1] ??
    new RegExp(String.raw`\.(?:String|Int|Uint)\w*Var\w*\(\s*&${name}\s*,\s*"([\w.-]+)"`).exec(text)?.[1]
  );
}

/** Ports of the servers programs dial (PostgreSQL, MySQL, Redis, MongoDB, Elasticsearch, memcached, AMQP, ZooKeeper, Kafka). */
const DIAL_PORTS = new Set([5432, 3306, 6379, 27017, 9200, 11211, 5672, 2181, 9092]);

/** The signature of the function around `index` ("func (c *RedisConfig) setDefaults()"), or "". */
function enclosingFunction(text: string, index: number): string {
  const start = text.lastIndexOf('\nfunc ', index);
  if (start < 0) return '';
  const brace = text.indexOf('{', start);
  return text.slice(start + 1, brace < 0 ? index : brace);
}

/** The struct literals around `index`, innermost first ("Scheme: Scheme", "return &Config"). */
function enclosingBlockNames(text: string, index: number): string[] {
  const names: string[] = [];
  let at = index;
  for (let name = enclosingBlockName(text, at); name !== undefined && names.length < 4; name = enclosingBlockName(text, at)) {
    names.push(name);
    at = text.lastIndexOf(name, at) - 1;
    if (at < 0) break;
  }
  return names;
}

/**
 * Where listen defaults are written, one entry per library or idiom. Order matters only between
 * findings of one kind in one file (listen.ts takes flags, tags, env, config, calls, literals).
 */
export const PORT_RECOGNIZERS: readonly PortRecognizer[] = [
  {
    name: 'flag definition',
    shape:
      'flag.String("addr", ":9090", ...), StringVarP(&a, "port", "p", "8080", ...), IntVar(&p, "port", 4222, ...), ' +
      'IntVar(&port, "p", 9851, ...) (a one-letter flag named by its variable)',
    scan: (scan) => {
      for (const match of scan.text.matchAll(FLAG_DEFINITION)) scan.flag(match[4]!, match[5]!, match.index, match[6], match[3]);
    },
  },
  {
    name: 'flag value type',
    shape: 'fs.Var(flags.NewUniqueURLs(DefaultListenClientURLs, ""), "listen-client-urls", ...)',
    scan: (scan) => {
      const pattern = /\bVar\(\s*[\w.]+\(\s*("[^"\n]*"|[A-Za-z_][\w.]*)\s*(?:,[^()]*)?\)\s*,\s*"([\w.-]+)"\s*(?:,\s*"([^"\n]*)")?/g;
      for (const match of scan.text.matchAll(pattern)) scan.flag(match[2]!, match[1]!, match.index, match[3]);
    },
  },
  {
    name: 'urfave/cli flag',
    shape: '&cli.IntFlag{Name: "port", Aliases: []string{"p"}, Value: DefaultPort} with const DefaultPort = 8080',
    scan: (scan) => {
      // One level of nested braces: Aliases: []string{"p"}, EnvVars: []string{"PORT"}.
      for (const match of scan.text.matchAll(/(?:String|Int|Uint|Int64|Uint64)Flag\s*\{((?:[^{}]|\{[^{}]*\})*)\}/g)) {
        const body = match[1]!;
        // v1 lists aliases in the name: Name: "port, p".
        const name = /Name:\s*"([\w.-]+)[",]/.exec(body)?.[1];
        const value = /Value:\s*([^,\n}]+)/.exec(body)?.[1];
        if (name && value) scan.flag(name, value, match.index, /Usage:\s*"([^"\n]*)"/.exec(body)?.[1]);
      }
    },
  },
  {
    name: 'kingpin default',
    shape: '.Flag("web.listen-address", "...").Default("0.0.0.0:9090")',
    scan: (scan) => {
      const pattern = /\.Flag\(\s*"([\w.-]+)"\s*(?:,\s*"([^"\n]*)")?[^)]*\)\s*\.\s*Default\(\s*("[^"]*"|\d+)\s*\)/g;
      for (const match of scan.text.matchAll(pattern)) scan.flag(match[1]!, match[3]!, match.index, match[2]);
    },
  },
  {
    name: 'struct tag default',
    shape: '`long:"port" env:"PORT" default:"8080"`, `env:"PORT" envDefault:"3000"`',
    scan: (scan) => {
      for (const match of scan.text.matchAll(/`([^`\n]*\b(?:default|envDefault):"([^"]*)"[^`\n]*)`/g)) {
        const tag = match[1]!;
        const name = /\b(?:long|name|flag|env|json|yaml|mapstructure|koanf):"([^"]+)"/.exec(tag)?.[1] ?? '';
        const help = /\b(?:description|desc|usage|help):"([^"]*)"/.exec(tag)?.[1];
        if (!scan.listens(name.toLowerCase(), match.index, help)) continue;
        const address = readAddress(match[2]!);
        if (!address || (address.form === 'port' && !portNamed(name, help))) continue;
        const flagName = /\blong:"([\w.-]+)"/.exec(tag)?.[1];
        scan.add({ ...address, ...(flagName ? { flag: flagName } : {}), kind: 'tag', where: scan.where(match.index), value: match[2]! });
      }
    },
  },
  {
    name: 'env with fallback',
    shape: 'port := os.Getenv("PORT"); if port == "" { port = "8080" }',
    scan: (scan) => {
      for (const match of scan.text.matchAll(ENV_WITH_FALLBACK)) scan.env(match[2]!, match[3]!, match.index);
    },
  },
  {
    name: 'env helper',
    shape: 'addr := getEnv("LISTEN_ADDR", "127.0.0.1:8080")',
    scan: (scan) => {
      for (const match of scan.text.matchAll(/\b\w+\(\s*"([A-Z][A-Z0-9_]*)"\s*,\s*"([^"\n]*)"\s*\)/g))
        scan.env(match[1]!, match[2]!, match.index);
    },
  },
  {
    name: 'settings table keyed by the variable',
    shape: '"LISTEN_ADDR": {..., rawValue: "127.0.0.1:8080"}',
    scan: (scan) => {
      for (const match of scan.text.matchAll(/"([A-Z][A-Z0-9_]*)"\s*:\s*\{[^}]*?"([^"\n]*:\d{1,5})"/g))
        scan.env(match[1]!, match[2]!, match.index);
    },
  },
  {
    name: 'fallback after a flag',
    shape: 'port := flag.String("port", "", ...); if *port == "" { *port = os.Getenv("PORT") }; if *port == "" { *port = "8080" }',
    scan: (scan) => {
      const pattern = /\bif\s+\*?([A-Za-z_][\w.]*)\s*==\s*(?:""|0)\s*\{\s*\*?([A-Za-z_][\w.]*)\s*=\s*("[^"\n]*"|\d{2,5})\s*\}/g;
      for (const match of scan.text.matchAll(pattern)) {
        const variable = match[1]!;
        if (match[2] !== variable) continue;
        const value = match[3]!.replace(/^"|"$/g, '');
        const flag = flagBoundTo(variable, scan.text);
        const env = new RegExp(String.raw`\*?${escapeRegExp(variable)}\s*:?=\s*os\.Getenv\(\s*"([A-Z][A-Z0-9_]*)"`).exec(scan.text)?.[1];
        if (flag !== undefined) scan.flag(flag, JSON.stringify(value), match.index);
        else if (env !== undefined) scan.env(env, value, match.index);
        // A bare variable: not in a client's setup (func (c *RedisConfig) defaults(), a database's 5432).
        else if (!DIAL_NAME.test(enclosingFunction(scan.text, match.index)) && !DIAL_PORTS.has(Number(/\d+$/.exec(value)?.[0])))
          scan.key(variable, value, match.index);
      }
    },
  },
  {
    name: 'viper default',
    shape: 'viper.SetDefault("port", 8080), v.SetDefault("server.addr", ":8080")',
    scan: (scan) => {
      for (const match of scan.text.matchAll(/\.SetDefault\(\s*"([\w.-]+)"\s*,\s*("[^"\n]*"|\d+)\s*\)/g))
        scan.key(match[1]!, match[2]!.replace(/^"|"$/g, ''), match.index);
    },
  },
  {
    name: 'beego config default',
    shape: 'beego.AppConfig.DefaultInt("httpport", 8000), web.AppConfig.DefaultString("httpaddr", ...)',
    scan: (scan) => {
      const pattern = /\bAppConfig\.Default(?:Int|Int64|String)\(\s*"([\w.:-]+)"\s*,\s*("[^"\n]*"|\d+)\s*\)/g;
      for (const match of scan.text.matchAll(pattern)) scan.key(match[1]!, match[2]!.replace(/^"|"$/g, ''), match.index);
    },
  },
  {
    name: 'server block of a default config literal',
    shape: 'Server: Server{Port: 80} (not its SSL{...}, Database{...} or a client block)',
    scan: (scan) => {
      const pattern =
        /[{,\s](Port|HTTPPort|ListenPort|ListenAddr|ListenAddress|Listen|BindAddr|BindAddress)\s*:\s*("[^"\n]*"|\d{2,5})\s*[,}\n]/g;
      for (const match of scan.text.matchAll(pattern)) {
        const block = enclosingBlockName(scan.text, match.index);
        // Only a server's block: a Port in EC2SDConfig{...} or Database{...} is somewhere to connect to.
        if (block === undefined || !SERVER_BLOCK.test(block) || DIAL_NAME.test(block) || SECONDARY_BLOCK.test(block)) continue;
        const value = match[2]!.replace(/^"|"$/g, '');
        const address = readAddress(value);
        if (address && (address.form !== 'port' || /port/i.test(match[1]!)))
          scan.add({ ...address, kind: 'config', where: scan.where(match.index + 1), value });
      }
    },
  },
  {
    name: 'options struct address',
    shape: 'return &Options{TCPAddress: "0.0.0.0:4150", HTTPAddress: "0.0.0.0:4151"} (nsq)',
    scan: (scan) => {
      for (const match of scan.text.matchAll(/[{,\s]([A-Z]\w*(?:Address|Addr))\s*:\s*"([^"\n]*:\d{1,5})"\s*[,}\n]/g)) {
        const field = match[1]!;
        const blocks = enclosingBlockNames(scan.text, match.index);
        const inner = blocks[0] ?? '';
        if (!DEFAULTS_BLOCK.test(inner) || DIAL_NAME.test(field + inner) || SECONDARY_BLOCK.test(field)) continue;
        scan.add(addressFinding(match[2]!, 'config', scan.where(match.index + 1)));
      }
    },
  },
  {
    name: 'config struct port field',
    shape: 'return &Config{Scheme: Scheme{Address: "0.0.0.0", HttpPort: 5244}} (alist), &Config{Port: 8080}',
    scan: (scan) => {
      for (const match of scan.text.matchAll(/[{,\s]((?:Http|HTTP|Web|Server|Listen|App)?Port)\s*:\s*(\d{2,5})\s*[,}\n]/g)) {
        const blocks = enclosingBlockNames(scan.text, match.index);
        const inner = blocks[0] ?? '';
        if (DIAL_NAME.test(inner) || SECONDARY_BLOCK.test(inner)) continue;
        // A bare Port only in the config type itself; HttpPort anywhere inside one.
        // (EC2SDConfig{Port: 80} is the port of the targets prometheus scrapes: a type with its own prefix is no program config.)
        const inConfig = match[1] === 'Port' ? PROGRAM_CONFIG_TYPE.test(inner) : blocks.some((name) => DEFAULTS_BLOCK.test(name));
        if (!inConfig) continue;
        scan.add(addressFinding(match[2]!, 'config', scan.where(match.index + 1)));
      }
    },
  },
  {
    name: 'listen call',
    shape: 'http.ListenAndServe(":8080", mux), r.Run(":8080"), net.Listen("tcp", ":9000")',
    scan: (scan) => {
      const pattern =
        /(?:ListenAndServe(?:TLS)?|net\.Listen|\.Run|\.Start|\.Listen|\.Serve)\(\s*(?:"tcp[46]?"\s*,\s*)?"([^"\n]*:\d{1,5})"/g;
      for (const match of scan.text.matchAll(pattern)) scan.add(addressFinding(match[1]!, 'call', scan.where(match.index)));
    },
  },
  {
    name: 'server Addr field',
    shape: '&http.Server{Addr: ":8080"}',
    scan: (scan) => {
      for (const match of scan.text.matchAll(/\bAddr:\s*"([^"\n]*:\d{1,5})"/g)) {
        // A client's options (redis.Options{Addr: "redis:6379"}) name where it connects.
        if (DIAL_NAME.test(enclosingBlockName(scan.text, match.index) ?? '')) continue;
        scan.add(addressFinding(match[1]!, 'call', scan.where(match.index)));
      }
    },
  },
  {
    name: 'framework default port',
    shape: 'beego.Run() (8080 unless conf/app.conf says), r := gin.Default(); r.Run() ($PORT, else 8080)',
    scan: (scan) => {
      for (const match of scan.text.matchAll(/\b(?:beego|web)\.Run\(\s*\)/g))
        if (/"github\.com\/(?:beego\/beego|astaxie\/beego)/.test(scan.text))
          scan.add(addressFinding(':8080', 'call', scan.where(match.index)));
      for (const engine of scan.text.matchAll(/\b(\w+)\s*:?=\s*gin\.(?:Default|New)\(\s*\)/g)) {
        const run = new RegExp(String.raw`\b${engine[1]!}\.Run\(\s*\)`).exec(scan.text);
        if (run) scan.add({ ...addressFinding(':8080', 'call', scan.where(run.index))!, env: 'PORT' });
      }
    },
  },
  {
    name: 'address literal',
    shape: 'a ":8080"-style literal anywhere in the main package (the weakest hint)',
    scan: (scan) => {
      if (!scan.own) return;
      for (const match of scan.text.matchAll(/"((?:0\.0\.0\.0|\[::\])?:\d{2,5})"/g))
        scan.add(addressFinding(match[1]!, 'literal', scan.where(match.index)));
    },
  },
];

/**
 * `rootNames`: the binary's own names, which a root cobra command's Use repeats. `files`: the
 * repository's configuration files; those the closure reads by a relative default path count.
 */
export function findPorts(
  own: readonly SourceText[],
  imported: readonly SourceText[],
  rootNames: readonly string[] = [],
  files: readonly SourceText[] = [],
): PortFinding[] {
  const all = [...own, ...imported];
  const findings: PortFinding[] = [];
  const add = (finding: PortFinding | undefined) => {
    if (finding && (finding.port !== undefined || finding.form === 'host')) findings.push(finding);
  };
  // A config file the program reads says what it does, before the code's own defaults.
  for (const finding of configFilePorts(all, files)) add(finding);
  for (const source of all) {
    const text = source.code ?? stripComments(source.text);
    const where = (index: number) => `${source.path}:${lineOf(text, index)}`;
    const commands = cobraCommands(text);
    /** A listen name that the listen/dial recognizers (listen-dial.ts) take for a listen. */
    const listens = (name: string, index: number, help?: string) =>
      LISTEN_NAME.test(name) &&
      addressRole({ name, neighbours: namesAround(text, index, name), ...(help === undefined ? {} : { help }) }).says === 'listen';
    const scan: PortScan = {
      text,
      own: own.includes(source),
      all,
      where,
      add,
      listens,
      flag: (name, expression, index, help, variable) => {
        // A one-letter flag says nothing; the variable it is bound to does: IntVar(&port, "p", 9851, ...).
        const meaning = name.length === 1 && variable !== undefined ? (variable.split('.').pop() ?? name) : name;
        if (!listens(meaning, index, help) || !inFlagSet(text, index, all)) return;
        const value = defaultText(expression, all);
        if (value === undefined) return;
        const address = readAddress(value);
        if (!address) return;
        if (address.form === 'port' && !portNamed(meaning, help)) return;
        const subcommand = subcommandAt(text, index, commands, rootNames);
        add({ ...address, flag: name, kind: 'flag', where: where(index), value, ...(subcommand ? { subcommand } : {}) });
      },
      env: (name, value, index) => {
        if (!LISTEN_ENV.test(name) || !LISTEN_ENV_WORD.test(name) || DIAL_NAME.test(name)) return;
        const address = readAddress(value);
        if (address && (address.form !== 'port' || /PORT/.test(name)))
          add({ ...address, env: name, kind: 'env', where: where(index), value });
      },
      key: (key, value, index) => add(keyFinding(key, value, where(index))),
    };
    for (const recognizer of PORT_RECOGNIZERS) recognizer.scan(scan);
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

/** Listen defaults from the config files the closure reads by a relative default path (conf/app.conf: httpport = 8080). */
function configFilePorts(sources: readonly SourceText[], files: readonly ConfigFile[]): (PortFinding | undefined)[] {
  const read = new Set(
    filesReadAtStart(
      sources.map((source) => source.code ?? stripComments(source.text)),
      files,
    ).map((item) => item.file),
  );
  return files
    .filter((file) => read.has(file.path))
    .flatMap((file) => configEntries(file).map((entry) => keyFinding(entry.key, entry.value, `${file.path}:${entry.line}`, entry.env)));
}

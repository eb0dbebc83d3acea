// Whether an address a flag, struct tag or setting names is one the program listens on or one
// it dials: a table of named recognizers, the first that speaks decides. Each reads the name, the
// help text and the definitions around it, as a person reading the flag list would. Pure.

/** Words in a name for an address the program dials, not one it listens on. */
const DIAL_WORDS = [
  ...['endpoint', 'upstream', 'backend', 'target', 'remote', 'connect', 'dial', 'proxy', 'registry', 'database', 'db'],
  ...['redis', 'postgres', 'mysql', 'mongo', 'kafka', 'amqp', 'nats', 'smtp', 'mail', 'consul', 'etcd', 'peer'],
  ...['advertise', 'callback', 'webhook', 'origin', 'dsn'],
  ...['broadcast', 'lookup', 'sentinel', 'memcache', 'rabbit', 'zookeeper', 'elastic', 'clickhouse', 'influx', 'minio', 'ldap'],
  ...['sql', 'cache', 'jaeger', 'otel', 'collector', 'storage'],
];
export const DIAL_NAME = new RegExp(DIAL_WORDS.join('|'), 'i');
export const LISTEN_NAME = /(^|[._-])(port|addr|address|listen|listen[._-]?addr(ess)?|http|https|bind|host|web)$|listen/i;

/** Names of the flags that come with a connection's host and port: user, password, database name. */
const CREDENTIAL_NAME = /^(?:user|username|pass|password|passfile|db|dbname|database|sslmode)$/i;

export interface AddressContext {
  /** The flag, tag or setting name. */
  name: string;
  /** Its help or description text, when it has one. */
  help?: string;
  /** The names defined on the lines around it (the same flag group or options struct), its own excluded. */
  neighbours: readonly string[];
}

export interface AddressRecognizer {
  name: string;
  says: 'listen' | 'dial';
  test: (context: AddressContext) => boolean;
}

/** Help that says the program listens, binds or serves there, or that clients connect to it. */
const LISTEN_HELP = /\bclients? (?:to |will |can |may )?connect|\blisten|\bserv(?:e[ds]?|ing)\b|\bbind/i;

/** In order: the first recognizer that matches decides. */
export const ADDRESS_RECOGNIZERS: readonly AddressRecognizer[] = [
  // --upstream, --db-addr, --redis-port: the name says where it connects.
  { name: 'dial word in the name', says: 'dial', test: ({ name }) => DIAL_NAME.test(name) },
  // "UDP port number to connect to on NTP server", "upstream to forward to".
  {
    name: 'help says it connects',
    says: 'dial',
    test: ({ help }) => help !== undefined && /\b(?:to|will) (?:connect|dial)\b|\bupstream\b/i.test(help) && !LISTEN_HELP.test(help),
  },
  // "HTTP server listen port", "bind address", "Port for clients to connect to."
  { name: 'help says it listens', says: 'listen', test: ({ help }) => help !== undefined && LISTEN_HELP.test(help) },
  // "frp server's address", "address of the server": another program's server.
  {
    name: "help names another program's server",
    says: 'dial',
    test: ({ help }) => help !== undefined && /\bserver's\b|\b(?:address|port|host(?:name)?) of the (?:\w+ )?server\b/i.test(help),
  },
  // A plain --host/--port beside --user, --pass, --db: where a database client connects (pgweb), not --bind or --listen.
  {
    name: 'connection credentials beside it',
    says: 'dial',
    test: ({ name, neighbours }) =>
      /^(?:host|hostname|port|addr|address)$/i.test(name) &&
      new Set(neighbours.filter((item) => CREDENTIAL_NAME.test(item)).map((item) => item.toLowerCase())).size >= 2,
  },
  { name: 'listen word in the name', says: 'listen', test: ({ name }) => LISTEN_NAME.test(name) },
];

/** What the address is, and the recognizer that said so; "unknown" when none did. */
export function addressRole(context: AddressContext): { says: 'listen' | 'dial' | 'unknown'; by?: string } {
  const recognizer = ADDRESS_RECOGNIZERS.find((item) => item.test(context));
  return recognizer ? { says: recognizer.says, by: recognizer.name } : { says: 'unknown' };
}

/** Flag and tag names defined within `radius` lines of `index` (its own group), `own` excluded. */
export function namesAround(text: string, index: number, own: string, radius = 5): string[] {
  let start = index;
  for (let line = 0; line <= radius && start > 0; line++) start = text.lastIndexOf('\n', start - 1);
  let end = index;
  for (let line = 0; line <= radius && end >= 0; line++) end = text.indexOf('\n', end + 1);
  const window = text.slice(Math.max(0, start), end < 0 ? undefined : end);
  const names = [
    ...window.matchAll(/\b(?:long|name|flag):"([\w.-]+)"/g),
    ...window.matchAll(/\b(?:String|Int|Uint|Int64|Uint64|Bool|Duration)(?:Var)?P?\(\s*(?:&[\w.[\]]+\s*,\s*)?"([\w.-]+)"/g),
    ...window.matchAll(/\bName:\s*"([\w.-]+)"|\.Flag\(\s*"([\w.-]+)"/g),
  ].map((match) => match[1] ?? match[2] ?? '');
  return names.filter((name) => name !== '' && name !== own);
}

/**
 * Whether a flag defined at `index` is in the program's flag set: defined at package level, in
 * init or main, or in a function that some file calls (frp's RegisterServerConfigFlags is called
 * by frps, its client twin by frpc). A registration function nothing mentions defines no flag; a
 * method may be called through an interface, so it counts.
 */
export function inFlagSet(text: string, index: number, sources: readonly { text: string; code?: string }[]): boolean {
  const before = text.slice(0, index);
  const functions = [...before.matchAll(/^func\s+(\([^)]*\)\s*)?(\w+)\s*[([]/gm)];
  const last = functions[functions.length - 1];
  // Package level: no function starts before it, or the last one ended (a closing brace at the line start).
  if (!last || /^\}/m.test(before.slice(last.index))) return true;
  // A method may be called through an interface (simplecobra's Init): only a plain function is checked.
  const name = last[2]!;
  if (last[1] !== undefined || name === 'init' || name === 'main') return true;
  const definition = new RegExp(String.raw`^func\s+${name}\b`, 'gm');
  const mention = new RegExp(String.raw`\b${name}\b`);
  return sources.some((source) => mention.test((source.code ?? source.text).replace(definition, '')));
}

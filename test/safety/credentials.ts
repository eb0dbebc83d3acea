// Generated credentials for the secrets property (issue 18): user names and passwords or tokens
// made of letters, digits and the characters that break naive parsers (/ # ? @ : %), in every
// shape a value can carry them: with a scheme, scheme-relative (//), without a scheme, a token
// alone before "@", inside a GOPROXY list, in quotes, after "=". Seeded, so a failure replays.
//
// A secret is built from chunks of six upper-case letters and digits joined by one or two of
// those characters. Nothing else we print has such a chunk, so "no chunk of the secret appears"
// is a strict test: masking that stops at a "/" or "#" inside the password leaves a whole chunk.

/** Characters a password may hold unencoded that end a URL's authority for a naive parser. */
const UNSAFE_IN_PASSWORD = ['/', '#', '?', '@', ':', '%'] as const;
const SAFE = ['-', '.', '_', '~'] as const;
const CHUNK_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function chunk(random: () => number): string {
  return Array.from({ length: 6 }, () => pick(random, CHUNK_ALPHABET.split(''))).join('');
}

export interface Credential {
  /** The text holding the credential, as a user would type it. */
  text: string;
  /** The chunks of the secret: none may appear in anything printed or written. */
  chunks: string[];
  /** Which shape it is, for a failure message. */
  shape: string;
}

/** A password or token: 1-3 chunks joined by unsafe (and sometimes safe) characters. */
function secret(random: () => number): { value: string; chunks: string[] } {
  const chunks = Array.from({ length: 1 + Math.floor(random() * 3) }, () => chunk(random));
  let value = random() < 0.3 ? pick(random, UNSAFE_IN_PASSWORD) : '';
  chunks.forEach((part, index) => {
    // Safe characters too: a "." cuts a token into host labels, which a message may quote alone.
    if (index > 0)
      value += Array.from({ length: 1 + Math.floor(random() * 2) }, () => pick(random, random() < 0.6 ? UNSAFE_IN_PASSWORD : SAFE)).join(
        '',
      );
    value += part;
  });
  if (random() < 0.3) value += pick(random, UNSAFE_IN_PASSWORD);
  return { value, chunks };
}

/** A user name: lower case (never a secret chunk), sometimes with an unsafe character. */
function userName(random: () => number): string {
  const name = pick(random, ['me', 'deploy', 'ci-bot', 'x', 'user.name', 'gitlab-ci-token']);
  return random() < 0.2 ? `${name}${pick(random, ['%40corp', '/team', '#1', '?'])}` : name;
}

const HOSTS = ['proxy.corp:3128', 'athens.corp', '10.0.0.1:8080', 'git.corp.example', '[::1]:3128', 'ghcr.io', 'localhost:5000'] as const;

/** The bare credential: user:password@host, token@host, with or without a scheme or //. */
function credentialUrl(random: () => number, value: string): { text: string; shape: string } {
  const host = pick(random, HOSTS);
  const tokenOnly = random() < 0.35;
  const userinfo = tokenOnly ? value : `${userName(random)}:${value}`;
  const path = random() < 0.3 ? pick(random, ['/', '/team', '/a/b', '/?x=1', '/github.com/x/@v/list']) : '';
  const roll = random();
  const [prefix, kind] =
    roll < 0.4
      ? [pick(random, ['http://', 'https://', 'socks5://', 'HTTPS://', 'git+ssh://']), 'scheme']
      : roll < 0.55
        ? ['//', 'scheme-relative']
        : ['', 'no scheme'];
  return { text: `${prefix}${userinfo}@${host}${path}`, shape: `${kind}, ${tokenOnly ? 'token only' : 'user:password'}` };
}

/** A credential in one of the contexts a message or a file shows it in. */
export function credential(random: () => number): Credential {
  const { value, chunks } = secret(random);
  const url = credentialUrl(random, value);
  const roll = random();
  let text = url.text;
  let context = 'alone';
  if (roll < 0.2) {
    const others = ['https://proxy.golang.org', 'direct', 'off', 'https://goproxy.cn'];
    const before = Array.from({ length: Math.floor(random() * 3) }, () => pick(random, others));
    const after = Array.from({ length: Math.floor(random() * 3) }, () => pick(random, others));
    text = [...before, url.text, ...after].map((entry, index) => (index === 0 ? entry : `${pick(random, [',', '|'])}${entry}`)).join('');
    context = 'in a GOPROXY list';
  } else if (roll < 0.35) {
    const quote = pick(random, ['"', "'"]);
    text = `${quote}${url.text}${quote}`;
    context = 'quoted';
  } else if (roll < 0.5) {
    text = `${pick(random, ['GOPROXY', 'HTTPS_PROXY', '--proxy', 'url'])}=${url.text}`;
    context = 'after =';
  } else if (roll < 0.6) {
    text = `--goproxy: entry (${url.text}) is not a URL;`;
    context = 'in a sentence';
  }
  return { text, chunks, shape: `${url.shape}, ${context}` };
}

/**
 * A token whose pieces are joined by "." as well: a validator that splits the value into host
 * labels or path elements and quotes the first bad one shows a piece with no "@" beside it.
 */
export function dottedToken(random: () => number): Credential {
  const chunks = [chunk(random), chunk(random), chunk(random)];
  const [first, second, third] = chunks as [string, string, string];
  const value = pick(random, [
    `${first}/${second}.${third}`,
    `${first}.${second}%${third}`,
    `${first}#${second}.${third}`,
    `${first}.${second}/${third}`,
  ]);
  return { text: `${value}@${pick(random, HOSTS)}`, chunks, shape: 'no scheme, token with "." inside' };
}

/** Things that look a little like credentials and are not: they must come out unchanged. */
export function notCredential(random: () => number): string {
  const version = pick(random, ['v1.2.3', 'v0.0.0-20240101120000-abcdef123456', 'v2.0.0+incompatible', 'latest', 'v6', 'upgrade', 'none']);
  const module = pick(random, ['golang.org/x/tools', 'github.com/google/uuid', 'module/path', 'example.com/a/b/v2', 'actions/checkout']);
  const digest = `sha256:${Array.from({ length: 64 }, () => pick(random, '0123456789abcdef'.split(''))).join('')}`;
  const shapes = [
    `${module}@${version}`,
    `go install ${module}/cmd/x@${version}`,
    `${pick(random, ['debian', 'golang', 'gcr.io/distroless/static'])}:${pick(random, ['bookworm-slim', '1.26', 'nonroot'])}@${digest}`,
    `${pick(random, ['registry:5000', 'localhost:5000', 'harbor.corp'])}/img@${digest}`,
    `git@${pick(random, ['github.com', 'git.corp.example'])}:org/repo.git`,
    `ssh://git@${pick(random, ['github.com', 'git.corp.example'])}/org/repo`,
    `https://proxy.golang.org/${module}/@v/list`,
    `https://proxy.golang.org/${module}/@latest`,
    `https://goproxy.cn,direct`,
    `print $1 "@" $2`,
  ];
  return pick(random, shapes);
}

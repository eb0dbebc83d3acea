// Text safety shared by every output: what counts as a control character, how a value is shown
// in a one-line message without letting it steer the terminal, and how secrets are masked.
// Pure functions.

/**
 * C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional
 * overrides: anything that can end a line, move the cursor or reorder what a reader sees.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this matches
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/u;
const CONTROL_GLOBAL = new RegExp(CONTROL.source, 'gu');

export function hasControlCharacter(value: string): boolean {
  return CONTROL.test(value);
}

/** The value with every control character written as \u{..}, so it prints on one line, inertly. */
export function printable(value: string): string {
  return value.replace(CONTROL_GLOBAL, (char) => `\\u{${char.codePointAt(0)!.toString(16)}}`);
}

/** Shortens a very long value for a message, keeping its start. */
export function abbreviate(value: string, max = 120): string {
  return value.length <= max ? value : `${value.slice(0, max)}... (${value.length} characters)`;
}

/** A user's value as a message quotes it: secrets masked, control characters escaped, length capped. */
export function quoted(value: string): string {
  return `"${shown(value)}"`;
}

/** A path or value as a message shows it without quotes (first in a line, after a flag): as quoted() does. */
export function shown(value: string): string {
  return abbreviate(printable(redactSecrets(value)));
}

/** The longest value any flag or file key may hold: longer is an error before any other check. */
export const MAX_VALUE_LENGTH = 4096;

/**
 * Masks credentials wherever a message or a file's text shows them: the userinfo of a URL
 * (https://user:password@host), the same without a scheme (user:password@host:3128, as curl and
 * HTTP_PROXY take it) or scheme-relative (//user:password@host), a token alone before "@"
 * (ghp_x@proxy.corp), and a URL's query string (?token=...). A password may hold unencoded
 * "/", "#", "?", "@" or ":", so the userinfo runs to the last "@" of the value, not to the first
 * "/". The one function every output goes through (quoted, safeLine, safeText, safeJson).
 *
 * It masks too much rather than too little: any word before "@" is a secret unless it is one of
 * the shapes that are not (module@version, an image digest, the SSH user git, a GOPROXY
 * protocol path /@v/). Linear in the text's length (a regular expression here was quadratic on
 * long hostile values), and idempotent ("***@host" stays as it is).
 */
export function redactSecrets(text: string): string {
  if (!text.includes('@') && !text.includes('//')) return text;
  // A credential never spans white space or a quote, and a JSON string's quotes must survive.
  return text
    .split(/([\s"'`]+)/)
    .map((word, index) => (index % 2 === 1 ? word : redactWord(word)))
    .join('');
}

/** Where one value ends and the next begins inside a word, for values without a scheme: a=b, a,b|c, (a), <a>. */
const VALUE_DELIMITERS = '=,|;()<>[]{}';
/** Characters of an import path and a module@version's path (golang.org/x/tools@latest). */
const MODULE_PATH_CHAR = /[A-Za-z0-9._~+/-]/;
const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
/**
 * An image digest after the "@" of name:tag@sha256:...: no password before it. Only the
 * algorithms registries use: a host such as "git.corp.example56" before a ":" and hex digits
 * would otherwise pass for one, and the password before it be shown.
 */
const DIGEST_AFTER = /(?:sha256|sha384|sha512|blake3):[0-9a-fA-F]{32}/y;
/** The version after module@: v1.2.3 (with pre-release or build), a query word, a commit. */
const MODULE_VERSION_AFTER =
  /(?:v\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?|latest|upgrade|patch|none|[0-9a-f]{7,40})(?![\w.])/y;
/** The GOPROXY protocol after "/@": $module/@v/list, $module/@latest. */
const GOPROXY_PATH_AFTER = /(?:v\/|latest(?![\w.]))/y;

function matchesAt(pattern: RegExp, text: string, index: number): boolean {
  pattern.lastIndex = index;
  return pattern.test(text);
}

/** One "@" of a word, with where its userinfo would begin. */
interface AtSign {
  at: number;
  start: number;
  /** Everything from start to the "@" is an import path with a "/" (golang.org/x/tools@...). */
  modulePath: boolean;
  /** Only "@" from start to this one: a diff's hunk header (@@ -1,3 +1,3 @@), which regenerate --check prints. */
  onlyAts: boolean;
}

/** Whether the text from the sign's start to its "@" is a credential, not one of the look-alikes. */
function endsCredential(word: string, sign: AtSign): boolean {
  const { at, start } = sign;
  // Nothing before the "@" ("@" alone, print $1 "@" $2): nothing to hide.
  if (at === start) return false;
  if (sign.onlyAts) return false;
  // git@github.com:org/repo.git: the SSH user every forge uses, public by design.
  if (at - start === 3 && word.startsWith('git', start)) return false;
  if (matchesAt(DIGEST_AFTER, word, at + 1)) return false;
  if (word[at - 1] === '/' && matchesAt(GOPROXY_PATH_AFTER, word, at + 1)) return false;
  return !(sign.modulePath && matchesAt(MODULE_VERSION_AFTER, word, at + 1));
}

/**
 * "scheme://" starts a new URL when the scheme begins the word or follows a value delimiter
 * (a GOPROXY list's "," or "|"); inside a password ("u:a://b@h") it does not.
 */
function startsUrl(word: string, colon: number): boolean {
  let begin = colon;
  while (begin > 0 && SCHEME_CHAR.test(word[begin - 1]!)) begin--;
  return begin < colon && /[A-Za-z]/.test(word[begin]!) && (begin === 0 || VALUE_DELIMITERS.includes(word[begin - 1]!));
}

function redactWord(word: string): string {
  const masks: [number, number][] = [];
  let signs: AtSign[] = [];
  // The last "@" of a value that is not a look-alike ends its userinfo: a password may hold "@".
  const endValue = (): void => {
    for (let index = signs.length - 1; index >= 0; index--) {
      if (endsCredential(word, signs[index]!)) {
        masks.push([signs[index]!.start, signs[index]!.at]);
        break;
      }
    }
    signs = [];
  };
  let inUrl = false;
  let hasUrl = false;
  let lastNonModuleChar = -1;
  let lastSlash = -1;
  // Kept as the walk goes, so that each sign's test is constant time (the redaction stays linear).
  let lastNonAt = -1;
  // Scheme-relative (//user:password@host): the userinfo starts after the two slashes.
  const valueStart = (index: number): number => {
    if (!word.startsWith('//', index)) return index;
    hasUrl = true;
    return index + 2;
  };
  // Where the userinfo of the next "@" would begin: the value's start, or just after "://".
  let start = valueStart(0);
  for (let index = 0; index < word.length; index++) {
    const char = word[index]!;
    if (char === ':' && word.startsWith('//', index + 1)) {
      // Any "://" makes the word's query a URL's, even where it starts no new value.
      hasUrl = true;
      if (startsUrl(word, index)) {
        endValue();
        start = index + 3;
        inUrl = true;
        lastNonModuleChar = index;
        lastSlash = index + 2;
        index += 2;
        continue;
      }
    }
    // Inside a URL, "," "=" ";" and parentheses may be part of a password (RFC 3986 sub-delims).
    if (!inUrl && VALUE_DELIMITERS.includes(char)) {
      endValue();
      start = valueStart(index + 1);
      lastNonModuleChar = index;
      continue;
    }
    if (char === '@')
      signs.push({ at: index, start, modulePath: lastNonModuleChar < start && lastSlash >= start, onlyAts: lastNonAt < start });
    else lastNonAt = index;
    if (char === '/') lastSlash = index;
    if (!MODULE_PATH_CHAR.test(char)) lastNonModuleChar = index;
  }
  endValue();
  let result = '';
  let emitted = 0;
  for (const [from, to] of masks) {
    result += `${word.slice(emitted, from)}***`;
    emitted = to;
  }
  result += word.slice(emitted);
  return hasUrl ? redactQuery(result) : result;
}

/** A URL's query, up to its fragment: it may hold a token (?token=...). */
function redactQuery(word: string): string {
  const query = word.indexOf('?', word.indexOf('//'));
  // Already masked (a message quoting a value that was redacted before): keep what follows.
  if (query < 0 || word.startsWith('***', query + 1)) return word;
  const fragment = word.indexOf('#', query);
  if (fragment >= 0) return `${word.slice(0, query + 1)}***${word.slice(fragment)}`;
  // A trailing backslash escapes the quote after the word (JSON's \"): keep it.
  let end = word.length;
  while (end > query + 1 && word[end - 1] === '\\') end--;
  return `${word.slice(0, query + 1)}***${word.slice(end)}`;
}

/** A URL's host and path alone, for a suggestion: no scheme, credentials, query or fragment. */
export function hostAndPath(url: string): string {
  const rest = url.replace(/^(?:[a-z][a-z0-9+.-]*:)?\/\//i, '');
  // Masked first, so a password with "/" or "#" is gone before the path is cut at "/?#".
  return redactSecrets(rest)
    .replace(/^[^/?#]*@/, '')
    .replace(/[?#][\s\S]*$/, '');
}

/** One line for the terminal: secrets masked, controls escaped (a message may hold user values). */
export function safeLine(text: string): string {
  return printable(redactSecrets(text));
}

/** Several lines for the terminal, each made safe (line breaks kept, every other control escaped). */
export function safeText(text: string): string {
  return text
    .split('\n')
    .map((line) => safeLine(line))
    .join('\n');
}

/**
 * JSON text made safe for a terminal and a log: secrets masked, and the characters JSON.stringify
 * leaves raw (DEL, C1 controls, line separators, bidi overrides) written as \u escapes.
 */
export function safeJson(text: string): string {
  return redactSecrets(text).replace(
    /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/gu,
    (char) => `\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
}

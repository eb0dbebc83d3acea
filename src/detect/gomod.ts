// A go.mod reader for the directives that matter to a Docker build. Pure: text in, data out.

interface Requirement {
  path: string;
  version: string;
  indirect: boolean;
  line: number;
}

interface Replacement {
  from: string;
  /** A module path, or a directory when `isLocal`. */
  to: string;
  toVersion?: string;
  isLocal: boolean;
  line: number;
}

export interface GoMod {
  modulePath: string;
  goVersion?: string;
  /** The toolchain line without its "go" prefix, e.g. "1.23.4". */
  toolchain?: string;
  requires: Requirement[];
  replaces: Replacement[];
  /** Line of the module, go and toolchain directives, for messages. */
  lines: { module: number; go?: number; toolchain?: number };
}

export class GoModSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Go's strconv.Unquote for an interpreted string body; throws on an invalid escape. */
function unquoteGo(body: string): string {
  let result = '';
  for (let index = 0; index < body.length; index++) {
    const char = body[index]!;
    if (char !== '\\') {
      result += char;
      continue;
    }
    const next = body[++index];
    const simple: Record<string, string> = {
      a: '\x07',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
      '\\': '\\',
      '"': '"',
      "'": "'",
    };
    if (next !== undefined && next in simple) {
      result += simple[next] ?? next;
      continue;
    }
    const hexLength = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const digits = body.slice(index + 1, index + 1 + hexLength);
      if (!new RegExp(`^[0-9A-Fa-f]{${hexLength}}$`).test(digits)) throw new Error(`invalid \\${next} escape`);
      const code = parseInt(digits, 16);
      if (code > 0x10ffff || (next !== 'x' && code >= 0xd800 && code <= 0xdfff)) throw new Error(`invalid \\${next} escape`);
      result += next === 'x' ? String.fromCharCode(code) : String.fromCodePoint(code);
      index += hexLength;
      continue;
    }
    const octal = body.slice(index, index + 3);
    if (/^[0-7]{3}$/.test(octal) && parseInt(octal, 8) <= 255) {
      result += String.fromCharCode(parseInt(octal, 8));
      index += 2;
      continue;
    }
    throw new Error(`invalid escape \\${next ?? ''}`);
  }
  return result;
}

/** Where a // comment starts outside "quoted" and `raw` strings, or -1. */
function commentStart(line: string): number {
  let quote: string | undefined;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quote) {
      if (char === '\\' && quote === '"') index++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === '`') quote = char;
    else if (char === '/' && line[index + 1] === '/') return index;
  }
  return -1;
}

/** Splits a line into tokens, honouring Go's "quoted" and `raw` strings. */
function tokenize(line: string, lineNumber: number): string[] {
  const tokens: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g;
  for (const match of line.matchAll(pattern)) {
    if (match[1] !== undefined) {
      try {
        tokens.push(unquoteGo(match[1]));
      } catch (error) {
        throw new GoModSyntaxError(`malformed quoted string (${(error as Error).message})`, lineNumber);
      }
    } else if (match[2] !== undefined) tokens.push(match[2]);
    else tokens.push(match[3]!);
  }
  return tokens;
}

export function parseGoMod(text: string): GoMod {
  const mod: GoMod = { modulePath: '', requires: [], replaces: [], lines: { module: 1 } };
  let block: string | undefined;
  let blockLine = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((rawLine, index) => {
    const lineNumber = index + 1;
    const commentAt = commentStart(rawLine);
    const comment = commentAt >= 0 ? rawLine.slice(commentAt + 2).trim() : '';
    const line = (commentAt >= 0 ? rawLine.slice(0, commentAt) : rawLine).trim();
    if (line === '') return;
    if (block !== undefined) {
      if (line === ')') {
        block = undefined;
        return;
      }
      directive(block, tokenize(line, lineNumber), comment, lineNumber);
      return;
    }
    const tokens = tokenize(line, lineNumber);
    const verb = tokens[0]!;
    if (tokens[1] === '(' && tokens.length === 2) {
      block = verb;
      blockLine = lineNumber;
      return;
    }
    directive(verb, tokens.slice(1), comment, lineNumber);
  });
  if (block !== undefined) throw new GoModSyntaxError(`unclosed "${block} (" block`, blockLine);
  if (mod.modulePath === '') throw new GoModSyntaxError('no module directive', 1);
  return mod;

  function directive(verb: string, args: string[], comment: string, lineNumber: number): void {
    switch (verb) {
      case 'module':
        mod.modulePath = args[0] ?? '';
        mod.lines.module = lineNumber;
        break;
      case 'go':
        if (args[0] !== undefined) {
          mod.goVersion = args[0];
          mod.lines.go = lineNumber;
        }
        break;
      case 'toolchain':
        // "default" means the go line's version; "go1.23.4-custom" builds with go1.23.4.
        if (args[0] !== undefined && args[0] !== 'default') {
          mod.toolchain = args[0].replace(/^go/, '').replace(/-.*$/s, '');
          mod.lines.toolchain = lineNumber;
        }
        break;
      case 'require':
        if (args.length < 2) throw new GoModSyntaxError('require needs a module path and a version', lineNumber);
        mod.requires.push({ path: args[0]!, version: args[1]!, indirect: /(^|;)\s*indirect\s*(;|$)/.test(comment), line: lineNumber });
        break;
      case 'replace': {
        const arrow = args.indexOf('=>');
        if (arrow < 1 || arrow === args.length - 1) throw new GoModSyntaxError('replace needs "old => new"', lineNumber);
        const to = args[arrow + 1]!;
        const isLocal = to.startsWith('./') || to.startsWith('../') || to.startsWith('/') || to === '.' || to === '..';
        const replacement: Replacement = { from: args[0]!, to, isLocal, line: lineNumber };
        if (args[arrow + 2] !== undefined) replacement.toVersion = args[arrow + 2]!;
        mod.replaces.push(replacement);
        break;
      }
      default:
        // exclude, retract, godebug, tool, ignore: nothing a Dockerfile needs.
        break;
    }
  }
}

/** Compares Go versions such as 1.21, 1.21.3, 1.22rc1. */
export function compareGoVersions(a: string, b: string): number {
  const parse = (version: string): number[] => {
    const match = /^(\d+)\.(\d+)(?:\.(\d+))?(?:(rc|beta)(\d+))?/.exec(version.replace(/^go/, ''));
    if (!match) return [0, 0, 0, 0];
    // A pre-release sorts before the .0 release; "1.21" (language version) is 1.21.0.
    const preRelease = match[4] ? (match[4] === 'beta' ? -2000 : -1000) + Number(match[5]) : 0;
    return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0), preRelease];
  };
  const left = parse(a);
  const right = parse(b);
  for (let index = 0; index < left.length; index++) {
    const difference = left[index]! - right[index]!;
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

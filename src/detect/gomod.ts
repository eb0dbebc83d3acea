// A go.mod reader for the directives that matter to a Docker build. Pure: text in, data out.

export interface Requirement {
  path: string;
  version: string;
  indirect: boolean;
}

export interface Replacement {
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
}

export class GoModSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Splits a line into tokens, honouring Go's "quoted" and `raw` strings. */
function tokenize(line: string): string[] {
  const tokens: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g;
  for (const match of line.matchAll(pattern)) {
    if (match[1] !== undefined) tokens.push(JSON.parse(`"${match[1]}"`) as string);
    else if (match[2] !== undefined) tokens.push(match[2]);
    else tokens.push(match[3]!);
  }
  return tokens;
}

export function parseGoMod(text: string): GoMod {
  const mod: GoMod = { modulePath: '', requires: [], replaces: [] };
  let block: string | undefined;
  let blockLine = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((rawLine, index) => {
    const lineNumber = index + 1;
    const commentAt = rawLine.indexOf('//');
    const comment = commentAt >= 0 ? rawLine.slice(commentAt + 2).trim() : '';
    const line = (commentAt >= 0 ? rawLine.slice(0, commentAt) : rawLine).trim();
    if (line === '') return;
    if (block !== undefined) {
      if (line === ')') {
        block = undefined;
        return;
      }
      directive(block, tokenize(line), comment, lineNumber);
      return;
    }
    const tokens = tokenize(line);
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
        break;
      case 'go':
        if (args[0]) mod.goVersion = args[0];
        break;
      case 'toolchain':
        if (args[0]) mod.toolchain = args[0].replace(/^go/, '').replace(/-.*$/, '');
        break;
      case 'require':
        if (args.length < 2) throw new GoModSyntaxError('require needs a module path and a version', lineNumber);
        mod.requires.push({ path: args[0]!, version: args[1]!, indirect: /(^|;)\s*indirect\s*(;|$)/.test(comment) });
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

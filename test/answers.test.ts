// .go-docker.yaml is written without the YAML library when every value is a simple word
// (src/options/answers.ts): what it writes must be what the library's stringify writes, byte for
// byte, and anything it cannot promise that for must go to the library.
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderAnswers, stringifySimple } from '../src/options/answers.js';

// Words create-go-docker writes, and the ones YAML reads as something else or must quote.
const WORDS = [
  'global',
  'distroless',
  '1.26.8',
  '1.26',
  '1',
  '8080',
  '0',
  '-1',
  '+1',
  '1e3',
  '1.0e-3',
  '.5',
  '5.',
  '0o17',
  '0x1F',
  '0xZZ',
  '.inf',
  '-.Inf',
  '.nan',
  '.NaN',
  'true',
  'True',
  'TRUE',
  'tRue',
  'false',
  'no',
  'yes',
  'on',
  'off',
  'null',
  'Null',
  'NULL',
  '~',
  '',
  'y',
  'n',
  './cmd/api',
  '.',
  '..',
  '...',
  '...x',
  '.x',
  '/abs/path',
  'cmd/api',
  '_x',
  'a_b',
  'sha256:3ca0b797e88a0b7adab110db3e044f995abc9d14dd1194c03c8a6b1f2ba80842',
  'a:b',
  'a:',
  ':a',
  'a: b',
  'a #b',
  'a#b',
  '#a',
  'https://proxy.golang.org,direct',
  'https://goproxy.cn|https://proxy.golang.org,direct',
  'off',
  'direct',
  'http://127.0.0.1:3000',
  'git.corp.example/*',
  '*.corp.example',
  '*',
  'a*',
  '@scope/pkg',
  'npm:@acme/policy',
  'a@b',
  '=x',
  'a=b',
  '+x',
  'a+b',
  '-x',
  'a-b',
  '-',
  '?',
  '?x',
  'a?',
  '|x',
  'a|b',
  '>x',
  '%x',
  'a%b',
  '!x',
  '&x',
  'a&b',
  'linux/amd64',
  'linux/arm/v7',
  '10.0.0.1',
  '2001:db8::1',
  '::1',
  'registry.corp:5000/mirror',
  'ghcr.io/acme',
  'docker/ca-certificates/corp-ca.crt',
  '.github/workflows/docker.yml',
  '.dockerignore',
  'Dockerfile.dockerignore',
  'a b',
  ' a',
  'a ',
  'a\tb',
  'a\nb',
  'a"b',
  "a'b",
  'a\\b',
  'a,b',
  '[a]',
  '{a}',
  'a[0]',
  'é',
  'a\u0000b',
  '---',
  '--- x',
  '%YAML',
  'a\u2028b',
  '--listen',
  '--listen=:8080',
  ':8080',
  'create-go-docker 0.1.0',
  'a  b',
  'a :b',
  'a b ',
  'a b:',
  'a, b',
  '1 2',
  'true x',
  'x true',
  '. x',
  '... x',
];
const VALUES: unknown[] = [...WORDS, 0, 1, 8080, -3, 1.5, -0, Number.NaN, true, false, null, undefined, 2 ** 60];

function check(document: Record<string, unknown>): void {
  for (const style of ['block', 'flow'] as const) {
    const simple = stringifySimple(document, style);
    if (simple !== undefined)
      expect(simple, `${style} ${JSON.stringify(document)}`).toBe(
        stringify(document, style === 'flow' ? { lineWidth: 0, collectionStyle: 'flow' } : { lineWidth: 0 }),
      );
  }
}

describe('stringifySimple writes what the YAML library writes, or declines', () => {
  it.each(VALUES.map((value) => [String(value), value]))('a value: %j', (_name, value) => {
    check({ key: value });
    check({ schemaVersion: 2, key: value, other: 'x' });
  });
  it.each(WORDS)('a key: %j', (key) => {
    check({ [key]: 'x' });
    check({ files: { [key]: 'sha256:ab', Dockerfile: 'sha256:cd' } });
  });
  it.each(VALUES.map((value) => [String(value), value]))('in a list and a mapping: %j', (_name, value) => {
    check({ tags: [value] });
    check({ tags: ['netgo', value, 'osusergo'] });
    check({ files: { Dockerfile: value } });
    check({ policy: { npm: '@acme/policy', range: '^1.2.0', version: value } });
  });
  it('empty lists and mappings, nested ones, and no keys at all', () => {
    check({});
    check({ tags: [] });
    check({ files: {} });
    check({ files: { nested: { a: 'b' } } });
    check({ tags: [['a']] });
    check({ region: 'cn', files: { Dockerfile: 'sha256:ab' }, tags: ['netgo'] });
  });
});

describe('the answers file', () => {
  const input = {
    toolVersion: '0.1.0',
    answersDir: '/work/svc',
    answers: { region: 'cn' as const, goVersion: '1.26' as never, privatePatterns: ['git.corp.example/*'] as never, port: 8080 },
    inEffect: {
      region: 'cn' as const,
      auth: 'none' as const,
      base: 'distroless' as const,
      goVersion: '1.26' as never,
      bundle: false,
      tags: ['netgo'] as never,
      platforms: ['linux/amd64', 'linux/arm64'] as never,
    },
    projectDir: '/work/svc',
    files: { Dockerfile: `sha256:${'a'.repeat(64)}`, '.dockerignore': `sha256:${'b'.repeat(64)}` },
  };

  it('of a usual project is written without the YAML library', () => {
    expect(stringifySimple({ schemaVersion: 2, generator: 'create-go-docker 0.1.0' }, 'block')).toBe(
      'schemaVersion: 2\ngenerator: create-go-docker 0.1.0\n',
    );
    expect(
      stringifySimple({ region: 'cn', go: '1.26', private: ['git.corp.example/*'], port: 8080, files: input.files }, 'block'),
    ).toBeDefined();
    expect(
      stringifySimple({ region: 'cn', auth: 'none', go: '1.26', bundle: false, tags: ['netgo'], platforms: ['linux/amd64'] }, 'flow'),
    ).toBeDefined();
  });

  it('is the same text whichever writes it', async () => {
    const text = await renderAnswers(input);
    expect(text).toContain('go: "1.26"\n');
    expect(text).toContain(
      '#   { auth: none, base: distroless, tags: [ netgo ], bundle: false, platforms: [ linux/amd64, linux/arm64 ] }\n',
    );
    // A value only the library writes (an argument with a space) changes nothing else.
    const withArgs = await renderAnswers({ ...input, answers: { ...input.answers, args: ['--listen', ':8080 x'] as never } });
    expect(withArgs.replace(/args:\n(?: {2}- .*\n)+/, '')).toBe(text);
  });
});

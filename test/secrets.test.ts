// The secrets property (issue 18): generated credentials, in every shape and context, never come
// out of the one masking function (redactSecrets, behind quoted, safeLine and safeJson), nor out
// of the real CLI through any flag or file that can carry one, while module@version, digests,
// git@host:path and GOPROXY protocol paths stay readable.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { hostAndPath, quoted, redactSecrets, safeJson, safeLine } from '../src/values/text.js';
import { makeProject, runCli, SIMPLE_SERVICE, snapshotTree } from './helpers.js';
import { credential, dottedToken, notCredential, type Credential } from './safety/credentials.js';
import { seededRandom } from './safety/hostile.js';

const SEED = Number(process.env.CGD_SAFETY_SEED ?? 20261125);

/** The chunks of the secret that `text` still shows. */
function leaked(text: string, item: Credential): string[] {
  return item.chunks.filter((chunk) => text.includes(chunk));
}

describe('redactSecrets on generated credentials', () => {
  it('no chunk of a secret survives, in any shape or context (3000 cases)', () => {
    const random = seededRandom(SEED);
    const failures: string[] = [];
    for (let index = 0; index < 3000; index++) {
      const item = credential(random);
      const outputs = {
        redactSecrets: redactSecrets(item.text),
        quoted: quoted(item.text),
        safeLine: safeLine(`create-go-docker: --proxy: ${item.text} is not valid`),
        safeJson: safeJson(JSON.stringify({ goproxy: item.text, note: `x ${item.text}` }, null, 2)),
        hostAndPath: hostAndPath(item.text),
      };
      for (const [name, output] of Object.entries(outputs)) {
        const chunks = leaked(output, item);
        if (chunks.length > 0) failures.push(`${name}(${JSON.stringify(item.text)}) [${item.shape}] -> ${JSON.stringify(output)}`);
      }
      // Masking twice changes nothing: a message quoting an already masked value stays as it is.
      if (redactSecrets(outputs.redactSecrets) !== outputs.redactSecrets)
        failures.push(`not idempotent on ${JSON.stringify(outputs.redactSecrets)}`);
      expect(() => JSON.parse(outputs.safeJson)).not.toThrow();
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });

  it('leaves what is not a credential readable (1000 cases)', () => {
    const random = seededRandom(SEED + 1);
    for (let index = 0; index < 1000; index++) {
      const text = notCredential(random);
      expect(redactSecrets(text), text).toBe(text);
      expect(redactSecrets(`"${text}" and ${text}`)).toBe(`"${text}" and ${text}`);
    }
  });
});

// ---- The real CLI: every flag and file that can carry a credential, with generated ones.

/** The options a credential can be typed into: flag name = key of .go-docker.yaml and the policy. */
const CREDENTIAL_OPTIONS = ['proxy', 'goproxy', 'gosumdb', 'registry', 'ci-registry', 'private', 'base-image'] as const;
/** What an option needs beside it to be read at all (--ci-registry is only read with --ci). */
const COMPANIONS: Partial<Record<(typeof CREDENTIAL_OPTIONS)[number], Record<string, string>>> = { 'ci-registry': { ci: 'github' } };

type Source = 'flag' | '.go-docker.yaml' | 'policy';

function setupFor(
  option: (typeof CREDENTIAL_OPTIONS)[number],
  source: Source,
  value: string,
): { files: Record<string, string>; argv: string[] } {
  const companions = COMPANIONS[option] ?? {};
  if (source === 'flag')
    return {
      files: SIMPLE_SERVICE,
      argv: ['--yes', ...Object.entries(companions).flatMap(([key, item]) => [`--${key}`, item]), `--${option}=${value}`],
    };
  const document = stringify({ schemaVersion: '2', ...companions, [option]: value }, { lineWidth: 0 });
  return source === '.go-docker.yaml'
    ? { files: { ...SIMPLE_SERVICE, '.go-docker.yaml': document }, argv: ['--yes'] }
    : { files: { ...SIMPLE_SERVICE, 'policy.yaml': document }, argv: ['--yes', '--policy', 'policy.yaml'] };
}

/** The text of every file a run created or changed (the input file holds the secret, of course). */
function writtenText(before: Record<string, string>, after: Record<string, string>): string {
  return Object.entries(after)
    .filter(
      ([path, content]) => before[path] !== content && !path.endsWith('/') && !content.startsWith('link') && !content.startsWith('special'),
    )
    .map(([, content]) => Buffer.from(content, 'base64').toString('utf8'))
    .join('\n');
}

describe('the CLI never prints or writes a generated credential', () => {
  const random = seededRandom(SEED + 2);
  const cases: [string, Source, string, Credential][] = [];
  for (const option of CREDENTIAL_OPTIONS) {
    for (const source of ['flag', '.go-docker.yaml', 'policy'] as const) {
      for (let index = 0; index < 10; index++) {
        const item = index < 2 ? dottedToken(random) : credential(random);
        cases.push([`${source} ${option} #${index}`, source, option, item]);
      }
    }
  }

  it.each(cases)('%s', async (_name, source, option, item) => {
    const setup = setupFor(option as (typeof CREDENTIAL_OPTIONS)[number], source, item.text);
    const dir = makeProject(setup.files);
    const before = snapshotTree(dir);
    const result = await runCli(setup.argv, { cwd: dir });
    const context = `${item.text} [${item.shape}]: exit ${result.code}, ${result.stderr}`;
    expect(leaked(result.stdout + result.stderr, item), context).toEqual([]);
    expect(leaked(writtenText(before, snapshotTree(dir)), item), context).toEqual([]);
    // Every one is a bad value: one line naming the input, exit 2, nothing written.
    expect(result.code, context).toBe(2);
    expect(result.stderr, context).toMatch(/^create-go-docker: [^\n]+\n$/);
    expect(snapshotTree(dir)).toEqual(before);
  });

  const dockerfileLines = [
    'ARG GOPROXY=%s',
    'ENV HTTPS_PROXY=%s',
    'ARG GOPRIVATE=%s',
    'ARG GOSUMDB="sum.golang.org %s"',
    'FROM %s AS base',
  ];
  const doctorCases = Array.from(
    { length: 30 },
    (_, index) =>
      [
        `doctor, ${dockerfileLines[index % dockerfileLines.length]!.replace('%s', '...')} #${index}`,
        dockerfileLines[index % dockerfileLines.length]!,
        credential(random),
        index % 2 === 0,
      ] as const,
  );
  it.each(doctorCases)('%s', async (_name, line, item, json) => {
    const dockerfile = `FROM golang:1.26 AS build\n${line.replace('%s', item.text)}\nRUN go mod download\n`;
    const dir = makeProject({ ...SIMPLE_SERVICE, Dockerfile: dockerfile });
    const result = await runCli(['doctor', '--offline', ...(json ? ['--json'] : [])], { cwd: dir });
    const context = `${item.text} [${item.shape}]: exit ${result.code}`;
    expect(leaked(result.stdout + result.stderr, item), `${context}\n${result.stdout}${result.stderr}`).toEqual([]);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(dockerfile);
    expect(result.stdout).not.toBe('');
  });
});

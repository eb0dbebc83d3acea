// The --json output of every command, failures included, checked against the one documented
// schema (docs/json-output.schema.json) with a small validator written here (no dependency),
// and the schema's enums against the code's tables and the README, so none of the three drifts.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli/flags.js';
import { ACTION_WORDS, ERROR_CODES, PROJECT_STATUSES } from '../src/cli/report.js';
import { generatedProject, makeProject, REPO_ROOT, runCli, SIMPLE_SERVICE } from './helpers.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Schema {
  $ref?: string;
  oneOf?: Schema[];
  type?: 'object' | 'array' | 'string' | 'integer' | 'boolean';
  const?: Json;
  enum?: Json[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: false;
  items?: Schema;
  $defs?: Record<string, Schema>;
}

const SCHEMA = JSON.parse(readFileSync(join(REPO_ROOT, 'docs/json-output.schema.json'), 'utf8')) as Schema;

/**
 * The subset of JSON Schema the document uses, strictly: a keyword this validator does not
 * know is an error, so the schema cannot say more than is checked. Returns the problems, each
 * with its JSON path.
 */
function validate(value: Json | undefined, schema: Schema, path = '$'): string[] {
  const known = new Set([
    '$schema',
    '$id',
    'title',
    'description',
    '$defs',
    '$ref',
    'oneOf',
    'type',
    'const',
    'enum',
    'required',
    'properties',
    'additionalProperties',
    'items',
  ]);
  const unknown = Object.keys(schema).filter((key) => !known.has(key));
  if (unknown.length > 0) return [`${path}: the schema uses ${unknown.join(', ')}, which this validator does not check`];
  if (schema.$ref) {
    const name = /^#\/\$defs\/(.+)$/.exec(schema.$ref)?.[1];
    const target = name === undefined ? undefined : SCHEMA.$defs?.[name];
    return target ? validate(value, target, path) : [`${path}: unresolved $ref ${schema.$ref}`];
  }
  if (schema.oneOf) {
    const results = schema.oneOf.map((option) => validate(value, option, path));
    const matching = results.filter((problems) => problems.length === 0).length;
    if (matching === 1) return [];
    if (matching > 1) return [`${path}: matches ${matching} of oneOf`];
    // The closest option's problems say most about what is wrong.
    return results.reduce((best, problems) => (problems.length < best.length ? problems : best));
  }
  const problems: string[] = [];
  if ('const' in schema && JSON.stringify(value) !== JSON.stringify(schema.const))
    problems.push(`${path}: ${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value)))
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (schema.type) {
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
    if (actual !== schema.type) return [...problems, `${path}: a ${actual}, not a ${schema.type}`];
  }
  if (Array.isArray(value) && schema.items)
    value.forEach((item, index) => problems.push(...validate(item, schema.items!, `${path}[${index}]`)));
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const key of schema.required ?? []) if (!(key in value)) problems.push(`${path}: no ${key}`);
    for (const [key, item] of Object.entries(value)) {
      const property = schema.properties?.[key];
      if (property) problems.push(...validate(item, property, `${path}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${path}: ${key} is not in the schema`);
    }
  }
  return problems;
}

describe('the validator', () => {
  it('rejects what the schema does not allow (it is not vacuous)', () => {
    const ok = { schemaVersion: 1, command: 'doctor', version: '1', ok: false, exitCode: 2, error: { code: 'usage', message: 'x' } };
    expect(validate(ok, SCHEMA)).toEqual([]);
    expect(validate({ ...ok, schemaVersion: 2 }, SCHEMA).join()).toMatch(/schemaVersion/);
    expect(validate({ ...ok, extra: 1 }, SCHEMA).join()).toMatch(/extra is not in the schema/);
    expect(validate({ ...ok, error: { code: 'oops', message: 'x' } }, SCHEMA).join()).toMatch(/error\.code/);
    expect(validate({ ...ok, command: 'deploy' }, SCHEMA).join()).toMatch(/command/);
  });
});

describe('the schema agrees with the code and the README', () => {
  const defs = SCHEMA.$defs!;
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## JSON output'), readme.indexOf('\n## ', readme.indexOf('## JSON output') + 1));

  it('its enums are the tables the code uses', () => {
    expect(defs.projectStatus!.enum).toEqual([...PROJECT_STATUSES]);
    expect(defs.error!.properties!.code!.enum).toEqual([...ERROR_CODES]);
    expect(defs.fileAction!.enum).toEqual(Object.keys(ACTION_WORDS));
    expect(defs.failure!.properties!.command!.enum).toEqual([...COMMANDS.map((command) => command.name), null]);
  });

  it('the README names every status, error code and command of it', () => {
    expect(section).toContain('docs/json-output.schema.json');
    for (const word of [...PROJECT_STATUSES, ...ERROR_CODES, 'schemaVersion']) expect(section).toContain(`\`${word}\``);
  });
});

describe('every command prints one JSON document that the schema allows, failures included', () => {
  /** A monorepo: up to date, drifted, hand-edited, an unreadable .go-docker.yaml, an unmanaged module. */
  async function fleet(): Promise<string> {
    const root = makeProject({ '.git/HEAD': 'ref: refs/heads/main\n' });
    for (const name of ['up', 'drift', 'edited', 'broken', 'plain']) {
      mkdirSync(join(root, name));
      for (const [path, content] of Object.entries(SIMPLE_SERVICE)) writeFileSync(join(root, name, path), content);
      if (name !== 'plain') expect((await runCli(['--yes'], { cwd: join(root, name) })).code).toBe(0);
    }
    writeFileSync(join(root, 'drift/go.mod'), SIMPLE_SERVICE['go.mod']!.replace('go 1.26', 'go 1.27'));
    writeFileSync(join(root, 'edited/Dockerfile'), `${readFileSync(join(root, 'edited/Dockerfile'), 'utf8')}RUN echo mine\n`);
    writeFileSync(join(root, 'broken/.go-docker.yaml'), 'schemaVersion: 2\nbsae: x\n');
    return root;
  }

  type Case = [
    name: string,
    setup: () => Promise<string>,
    argv: string[],
    exitCode: number,
    check?: (document: Record<string, Json>) => void,
  ];
  const project = () => generatedProject();
  const edited = async () => {
    const dir = await generatedProject();
    writeFileSync(join(dir, 'Dockerfile'), `${readFileSync(join(dir, 'Dockerfile'), 'utf8')}RUN echo mine\n`);
    return dir;
  };
  const cases: Case[] = [
    ['generate', async () => makeProject(SIMPLE_SERVICE), ['--json'], 0],
    ['generate --dry-run --compose', async () => makeProject(SIMPLE_SERVICE), ['--json', '--dry-run', '--compose'], 0],
    [
      'generate: bad usage',
      async () => makeProject(SIMPLE_SERVICE),
      ['--json', '--bass', 'alpine'],
      2,
      (doc) => expect(doc.error).toEqual({ code: 'usage', message: 'unknown option --bass; did you mean --base? (see --help).' }),
    ],
    [
      'generate: no Go module',
      async () => makeProject({ 'README.md': 'x\n' }),
      ['--json'],
      3,
      (doc) => expect(doc.error).toMatchObject({ code: 'not-applicable' }),
    ],
    [
      'generate: a Dockerfile it did not write',
      async () => makeProject({ ...SIMPLE_SERVICE, Dockerfile: 'FROM golang\n' }),
      ['--json'],
      1,
      (doc) => expect(doc.error).toMatchObject({ code: 'failed' }),
    ],
    [
      'generate: a secret in a message is masked',
      async () => makeProject(SIMPLE_SERVICE),
      ['--json', '--proxy', 'user:s3cret@proxy.corp:3128'],
      2,
      (doc) => expect(JSON.stringify(doc)).not.toContain('s3cret'),
    ],
    [
      'a mistyped command',
      async () => makeProject({}),
      ['doctr', '--json'],
      2,
      (doc) =>
        expect(doc).toMatchObject({ command: null, error: { code: 'usage', message: 'unknown command "doctr"; did you mean "doctor"?' } }),
    ],
    ['help with --json', async () => makeProject({}), ['help', '--json'], 2, (doc) => expect(doc.command).toBe('help')],
    [
      'regenerate',
      project,
      ['regenerate', '--json'],
      0,
      (doc) => expect(doc).toMatchObject({ mode: 'write', recursive: false, projects: [{ path: '.', status: 'up-to-date' }] }),
    ],
    [
      'regenerate: a hand edit',
      edited,
      ['regenerate', '--json'],
      1,
      (doc) =>
        expect(doc).toMatchObject({
          error: { code: 'needs-attention' },
          projects: [
            {
              status: 'hand-edit',
              files: expect.arrayContaining([
                expect.objectContaining({ path: 'Dockerfile', action: 'edited', diff: expect.arrayContaining(['-RUN echo mine']) }),
              ]),
            },
          ],
        }),
    ],
    [
      'regenerate --check: a hand edit',
      edited,
      ['regenerate', '--check', '--json'],
      1,
      (doc) => expect(doc).toMatchObject({ mode: 'check', projects: [{ status: 'hand-edit' }] }),
    ],
    [
      'regenerate --diff: a hand edit',
      edited,
      ['regenerate', '--diff', '--json'],
      0,
      (doc) => expect(doc).toMatchObject({ mode: 'diff', projects: [{ status: 'hand-edit' }] }),
    ],
    [
      'regenerate: no .go-docker.yaml',
      async () => makeProject(SIMPLE_SERVICE),
      ['regenerate', '--json'],
      3,
      (doc) => expect(doc.error).toMatchObject({ code: 'not-applicable' }),
    ],
    ['regenerate: bad usage', async () => makeProject({}), ['regenerate', '--json', '--check', '--diff'], 2],
    [
      'regenerate: an invalid .go-docker.yaml',
      async () => makeProject({ ...SIMPLE_SERVICE, '.go-docker.yaml': 'schemaVersion: 2\nregoin: cn\n' }),
      ['regenerate', '--json'],
      2,
    ],
    [
      'regenerate --check --recursive --include-unmanaged',
      fleet,
      ['regenerate', '--check', '--recursive', '--include-unmanaged', '--json'],
      1,
      (doc) => {
        expect((doc.projects as { path: string; status: string }[]).map(({ path, status }) => `${status} ${path}`)).toEqual([
          'unreadable broken',
          'would-update drift',
          'hand-edit edited',
          'up-to-date up',
          'unmanaged plain',
        ]);
        expect(doc.summary).toEqual({
          modules: 5,
          managed: 4,
          unmanaged: 1,
          unlistedDirectories: 0,
          statuses: { 'up-to-date': 1, 'would-update': 1, updated: 0, 'hand-edit': 1, unreadable: 1, failed: 0, unmanaged: 1 },
        });
      },
    ],
    [
      'regenerate --recursive: nothing managed',
      async () => makeProject({ 'a/go.mod': 'module a\n\ngo 1.26\n' }),
      ['regenerate', '--recursive', '--json'],
      3,
      (doc) => expect(doc).toMatchObject({ error: { code: 'not-applicable' }, projects: [], summary: { modules: 1, unmanaged: 1 } }),
    ],
    [
      'regenerate --recursive: a directory that does not exist',
      async () => makeProject({}),
      ['regenerate', '--recursive', '--json', 'nope'],
      1,
      (doc) => expect(doc.error).toMatchObject({ code: 'failed' }),
    ],
    [
      'doctor',
      async () => makeProject(SIMPLE_SERVICE),
      ['doctor', '--offline', '--json'],
      1,
      (doc) => expect(doc.error).toMatchObject({ code: 'needs-attention' }),
    ],
    ['doctor: a clean project', project, ['doctor', '--offline', '--json'], 0],
    [
      'doctor: a --dockerfile that is missing',
      async () => makeProject(SIMPLE_SERVICE),
      ['doctor', '--offline', '--json', '--dockerfile', 'nope'],
      2,
    ],
  ];

  it.each(cases)('%s', async (_name, setup, argv, exitCode, check) => {
    const dir = await setup();
    const result = await runCli(argv, { cwd: dir });
    expect(result.code, result.stderr).toBe(exitCode);
    const document = JSON.parse(result.stdout) as Record<string, Json>;
    expect(validate(document, SCHEMA)).toEqual([]);
    // What the schema cannot say: ok, exitCode and error agree with each other and the process.
    expect(document.exitCode).toBe(exitCode);
    expect(document.ok).toBe(exitCode === 0);
    expect('error' in document).toBe(exitCode !== 0);
    const error = document.error as { code: string; message: string } | undefined;
    // A run stopped by an error says it on stderr too, in one line.
    if (error && error.code !== 'needs-attention') expect(result.stderr).toBe(`create-go-docker: ${error.message}\n`);
    check?.(document);
  });
});

// Reading the two YAML files: the project's answers (.go-docker.yaml) and an organisation's
// policy. Both share the option vocabulary of the flags (FILE_KEYS). Writing the answers is
// answers.ts's, which needs no YAML parser.
import { realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Pair } from 'yaml';
import { RuntimeError, UsageError } from '../errors.js';
import { entryKind, InputFileError, MIB, readInputFile } from '../io/read.js';
import { hasControlCharacter, quoted, shown } from '../values/text.js';
import { describe, parseField } from './fields.js';
import { BASES, FILE_KEYS, type Base, type OptionKey, type PartialOptions } from './model.js';
import { parseEnum, parseGoVersion } from './validate.js';
import { NPM_VERSION, parsePolicySpec, type PolicyRecord } from './policy-spec.js';
import { isWithin } from './repository.js';
import { ANSWERS_FILE } from '../plan/paths.js';
import { KNOWN_HOSTS_KEY, SCHEMA_VERSION } from './answers.js';
import { brandOr, type GoVersion, type KnownHostLine } from '../values/kinds.js';
import { knownHostLineProblem } from '../values/known-hosts.js';

const KEY_BY_FILE_NAME = new Map<string, OptionKey>(
  (Object.entries(FILE_KEYS) as [OptionKey, string][]).map(([key, fileName]) => [fileName, key]),
);

export interface AnswersFile {
  options: PartialOptions;
  /** The policy that made the files, as recorded (a path in it is absolute), its line, and a path as written. */
  policy?: { record: PolicyRecord; line: number; written?: string };
  /** ca-cert: as written, and its line (options.caCert holds it resolved). */
  caCertEntry?: { value: string; line: number };
  /** The Go module's directory, absolute, when it is not the answers file's own (--out); unchecked: see recordedProjectDir. */
  project?: string;
  /** project: as written, and its line. */
  projectEntry?: { value: string; line: number };
  /** Content hashes of the files an earlier run wrote, by path relative to the answers file. */
  files: Record<string, string>;
  /** known-hosts: the SSH host keys recorded for the private git hosts. */
  knownHosts?: KnownHostLine[];
  /** Line of each key in the file, for messages. */
  lines?: Record<string, number>;
}

type FileKind = 'answers' | 'policy';

/** Extra top-level keys each file may hold besides the options. */
const EXTRA_KEYS: Record<FileKind, readonly string[]> = {
  answers: ['schemaVersion', 'generator', 'policy', 'project', KNOWN_HOSTS_KEY, 'files'],
  policy: ['schemaVersion', 'allowed-bases', 'min-go'],
};

/**
 * An organisation's policy. Every option it names is fixed: it overrides the project's
 * answers (a flag that contradicts it is an error). allowed-bases and min-go constrain.
 */
export interface Policy {
  /** How messages name the policy's file: a path, a URL, a package's file. */
  path: string;
  fixed: PartialOptions;
  allowedBases?: Base[];
  /** The oldest Go release the builder may use. */
  minGo?: GoVersion;
  /** Line of each key in the file, for messages. */
  lines: Record<string, number>;
}

type YamlValues = Map<string, { value: unknown; line: number }>;

const YAML_MAX_BYTES = 1 * MIB;

/** A scalar's text: the failsafe schema reads every scalar as a string; none (null) is empty. */
function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value) : '';
}

/**
 * A YAML value as plain data, every scalar a string: the failsafe schema, so "go: 1.20" stays
 * "1.20" (the core schema reads the number 1.2) and each field's parser decides its own type.
 */
function plainValue(node: unknown): unknown {
  if (isScalar(node)) return scalarText(node.value);
  if (isSeq(node)) return node.items.map((item) => plainValue(item));
  if (isMap(node)) {
    const record: Record<string, unknown> = {};
    for (const pair of node.items) record[isScalar(pair.key) ? scalarText(pair.key.value) : String(pair.key)] = plainValue(pair.value);
    return record;
  }
  return node === null || node === undefined ? '' : node;
}

function loadYaml(path: string, kind: FileKind, missingIsUsage: boolean): YamlValues {
  let text: string;
  try {
    // .go-docker.yaml is one of our own files, read through no link as write.ts writes it; a
    // policy is a file the user or CI names, wherever it is.
    text = readInputFile(path, { maxBytes: YAML_MAX_BYTES, noFollow: kind === 'answers' });
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    const detail = error.code === 'ENOENT' ? 'ENOENT' : error.reason;
    const fix =
      kind === 'answers' && error.code === 'ELOOP'
        ? 'replace it with a regular file (create-go-docker reads its answers through no link)'
        : 'check the path';
    const message = `${shown(path)}: cannot read the ${kind === 'policy' ? 'policy' : 'answers'} file (${detail}); ${fix}.`;
    throw missingIsUsage ? new UsageError(message) : new RuntimeError(message);
  }
  return parseYaml(text, path);
}

/** The top-level keys of a YAML document with their lines; `shown` names it in messages. */
function parseYaml(text: string, shown: string): YamlValues {
  const path = shown;
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, schema: 'failsafe' });
  const firstError = document.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0]?.line ?? lineCounter.linePos(firstError.pos[0]).line;
    throw new UsageError(`${path}:${line}: invalid YAML (${firstError.message.split('\n')[0]}); fix the syntax.`);
  }
  const values: YamlValues = new Map();
  if (document.contents === null) return values;
  if (!isMap(document.contents)) {
    throw new UsageError(`${path}:1: expected a mapping of keys such as "region: cn"; rewrite the file as key: value lines.`);
  }
  for (const pair of document.contents.items as Pair[]) {
    const keyNode = pair.key;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const line = isScalar(keyNode) && keyNode.range ? lineCounter.linePos(keyNode.range[0]).line : 1;
    values.set(key, { value: plainValue(pair.value), line });
  }
  return values;
}

/** baseDir: where the file's relative paths start; undefined for a policy that is no file here (a URL, a package). */
function readOptions(path: string, kind: FileKind, values: YamlValues, baseDir: string | undefined): PartialOptions {
  const version = values.get('schemaVersion');
  if (!version) {
    throw new UsageError(`${path}:1: missing "schemaVersion: ${SCHEMA_VERSION}"; add it as the first line.`);
  }
  const schemaVersion = typeof version.value === 'string' && /^[1-9]\d{0,3}$/.test(version.value) ? Number(version.value) : NaN;
  if (Number.isNaN(schemaVersion)) {
    throw new UsageError(
      `${path}:${version.line}: schemaVersion must be a whole number, got ${describe(version.value)}; write ` +
        `schemaVersion: ${SCHEMA_VERSION}.`,
    );
  }
  if (schemaVersion > SCHEMA_VERSION) {
    throw new UsageError(
      `${path}:${version.line}: schemaVersion ${schemaVersion} is newer than this create-go-docker understands ` +
        `(${SCHEMA_VERSION}); upgrade create-go-docker.`,
    );
  }
  const options: PartialOptions = {};
  for (const [fileKey, { value, line }] of values) {
    if (EXTRA_KEYS[kind].includes(fileKey)) continue;
    const key = KEY_BY_FILE_NAME.get(fileKey);
    if (key === undefined) {
      const known = [...KEY_BY_FILE_NAME.keys(), ...EXTRA_KEYS[kind]].join(', ');
      throw new UsageError(`${path}:${line}: unknown key ${quoted(fileKey)}; known keys are ${known}.`);
    }
    if (kind === 'policy' && key === 'args') {
      throw new UsageError(
        `${path}:${line}: args are each project's own (an image's default arguments); a policy cannot set them, remove the key.`,
      );
    }
    const parsed = parseField(key, `${path}:${line}: ${fileKey}`, value);
    // Paths in a file are relative to that file, wherever the command runs.
    if (key === 'caCert' && typeof parsed === 'string') {
      if (baseDir === undefined)
        throw new UsageError(
          `${path}:${line}: ca-cert names a file, and a policy fetched from a URL or a package has no directory it ` +
            `could be in; remove the key, and give each repository its CA with --ca-cert (create-go-docker records its copy).`,
        );
      options.caCert = resolve(baseDir, parsed);
    } else (options as Record<string, unknown>)[key] = parsed;
  }
  return options;
}

/** A policy file on disk, named in messages as given. */
export function loadPolicy(path: string): Policy {
  const absolute = resolve(path);
  return policyFromValues(loadYaml(absolute, 'policy', true), path, dirname(absolute));
}

/**
 * A policy's text, wherever it came from, read with the same schema and the same parsers as a
 * file: `shown` names it in messages; baseDir is where its relative paths start (none for a URL
 * or a package, which then may not name a file).
 */
export function parsePolicy(text: string, shown: string, baseDir: string | undefined): Policy {
  return policyFromValues(parseYaml(text, shown), shown, baseDir);
}

function policyFromValues(values: YamlValues, path: string, baseDir: string | undefined): Policy {
  const policy: Policy = {
    path,
    fixed: readOptions(path, 'policy', values, baseDir),
    lines: Object.fromEntries([...values].map(([key, { line }]) => [key, line])),
  };
  const allowed = values.get('allowed-bases');
  if (allowed !== undefined) {
    const input = `${path}:${allowed.line}: allowed-bases`;
    const items = Array.isArray(allowed.value) ? allowed.value : typeof allowed.value === 'string' ? allowed.value.split(',') : undefined;
    if (!items || items.length === 0)
      throw new UsageError(
        `${input}: expected a list of base families (${BASES.join(', ')}); write e.g. allowed-bases: [distroless, scratch].`,
      );
    policy.allowedBases = items.map((item) => parseEnum(input, String(item).trim(), BASES));
  }
  const minGo = values.get('min-go');
  if (minGo !== undefined) {
    if (typeof minGo.value !== 'string')
      throw new UsageError(`${path}:${minGo.line}: min-go must be a Go version, got ${describe(minGo.value)}; write e.g. min-go: "1.24".`);
    policy.minGo = parseGoVersion(`${path}:${minGo.line}: min-go`, minGo.value);
  }
  return policy;
}

export function loadAnswers(path: string): AnswersFile | undefined {
  if (entryMissing(path)) return undefined;
  const values = loadYaml(path, 'answers', false);
  const options = readOptions(path, 'answers', values, dirname(path));
  const answers: AnswersFile = { options, files: {}, lines: Object.fromEntries([...values].map(([key, { line }]) => [key, line])) };
  const policy = values.get('policy');
  if (policy !== undefined) answers.policy = { ...readPolicyRecord(path, policy.line, policy.value), line: policy.line };
  const caCert = values.get('ca-cert');
  if (caCert !== undefined && typeof caCert.value === 'string') answers.caCertEntry = { value: caCert.value.trim(), line: caCert.line };
  const project = values.get('project');
  if (project !== undefined) {
    if (typeof project.value !== 'string' || project.value === '' || hasControlCharacter(project.value))
      throw new UsageError(`${path}:${project.line}: project must be a path; write project: path/to/the/module.`);
    answers.project = resolve(dirname(path), project.value);
    answers.projectEntry = { value: project.value, line: project.line };
  }
  const knownHosts = values.get(KNOWN_HOSTS_KEY);
  if (knownHosts !== undefined) answers.knownHosts = readKnownHosts(path, knownHosts.line, knownHosts.value);
  const files = values.get('files');
  if (files !== undefined) {
    const record = files.value;
    if (
      record === null ||
      typeof record !== 'object' ||
      Array.isArray(record) ||
      !Object.entries(record).every(
        ([file, hash]) => typeof hash === 'string' && /^sha256:[0-9a-f]{64}$/.test(hash) && !hasControlCharacter(file),
      )
    ) {
      throw new UsageError(`${path}:${files.line}: files must map each generated file to its hash; delete the key and rerun.`);
    }
    answers.files = record as Record<string, string>;
  }
  return answers;
}

/** known-hosts: a list of "host keytype key" lines, each checked as any line that reaches a file is. */
function readKnownHosts(path: string, line: number, value: unknown): KnownHostLine[] {
  const refuse = (problem: string): never => {
    throw new UsageError(
      `${path}:${line}: ${KNOWN_HOSTS_KEY} ${problem}; write a list of "host keytype key" lines (as in ~/.ssh/known_hosts, ` +
        `without markers or comments), or delete the key and rerun to record the keys again.`,
    );
  };
  if (!Array.isArray(value)) return refuse('must be a list');
  return value.map((item: unknown, index) => {
    const text = typeof item === 'string' ? item.trim() : '';
    return brandOr<KnownHostLine>(text, knownHostLineProblem, (problem) => refuse(`entry ${index + 1}: ${problem}`));
  });
}

const POLICY_RECORD_KEYS = ['url', 'npm', 'range', 'version', 'sha256'] as const;

/**
 * policy: in .go-docker.yaml: a string names a source (a path relative to the file, as earlier
 * versions wrote it, an https URL or npm:PACKAGE); a mapping is what create-go-docker records for
 * a URL or a package (url: or npm: and range:, the resolved version:, the sha256: of the text)
 * or, for a policy given from outside the repository, the sha256: alone.
 */
function readPolicyRecord(path: string, line: number, value: unknown): { record: PolicyRecord; written?: string } {
  const input = `${path}:${line}: policy`;
  const refuse = (problem: string): never => {
    throw new UsageError(
      `${input}: ${problem}; write policy: path/to/policy.yaml, policy: https://..., policy: npm:PACKAGE, or delete the ` +
        `key and rerun with --policy.`,
    );
  };
  if (typeof value === 'string') {
    if (value.trim() === '' || hasControlCharacter(value)) return refuse('must name a policy');
    const spec = parsePolicySpec(input, value, dirname(path));
    return spec.kind === 'path' ? { record: { spec }, written: value.trim() } : { record: { spec } };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return refuse('must be a source or a mapping');
  const fields = value as Record<string, unknown>;
  const unknownKey = Object.keys(fields).find((key) => !(POLICY_RECORD_KEYS as readonly string[]).includes(key));
  if (unknownKey !== undefined) return refuse(`has an unknown key ${quoted(unknownKey)} (known: ${POLICY_RECORD_KEYS.join(', ')})`);
  const text = (key: string): string | undefined => {
    const field = fields[key];
    if (field === undefined) return undefined;
    if (typeof field !== 'string' || field.trim() === '' || hasControlCharacter(field))
      return refuse(`${key} must be a single line of text`);
    return field.trim();
  };
  const record: PolicyRecord = {};
  const url = text('url');
  const name = text('npm');
  const range = text('range');
  const version = text('version');
  const sha256 = text('sha256');
  if (url !== undefined && name !== undefined) return refuse('has both url and npm; keep the one the policy comes from');
  if (url !== undefined) {
    const spec = parsePolicySpec(`${input} url`, url, dirname(path));
    if (spec.kind !== 'url') return refuse('url must be an https URL');
    record.spec = spec;
  }
  if (name !== undefined) {
    const spec = parsePolicySpec(`${input} npm`, `npm:${name}${range === undefined ? '' : `@${range}`}`, dirname(path));
    record.spec = spec;
  } else if (range !== undefined) return refuse('has a range but no npm package');
  if (version !== undefined) {
    if (record.spec?.kind !== 'npm' || !NPM_VERSION.test(version))
      return refuse('version must be the version npm resolved the package to (e.g. 1.4.2)');
    record.version = version;
  }
  if (sha256 !== undefined) {
    if (!/^sha256:[0-9a-f]{64}$/.test(sha256)) return refuse('sha256 must be sha256: and 64 hex digits');
    record.sha256 = sha256;
  }
  if (record.spec === undefined && record.sha256 === undefined) return refuse('names no source and no sha256');
  return { record };
}

/**
 * The module directory a .go-docker.yaml records, checked before anything reads it: a tampered
 * project: / or ../../.. made regenerate walk the whole file system and list what it found in
 * its error. Only a relative path that names a directory, inside the repository by name and
 * after resolving links. Outside any git repository nothing marks where the project ends (an
 * unpacked archive, a test directory; --out beside the module is legitimate there too), so the
 * directory must then at least be a Go module or workspace root (go.mod or go.work in it):
 * regenerate reads it as such and never lists a directory's contents. Else one usage error
 * naming the file, line, value and fix.
 */
export function recordedProjectDir(answersPath: string, entry: { value: string; line: number }, repository: string | undefined): string {
  const { value, line } = entry;
  const inside = repository === undefined ? '' : ` and inside the repository (${shown(repository)})`;
  const refuse = (problem: string): never => {
    throw new UsageError(
      `${shown(answersPath)}:${line}: project ${quoted(value)} ${problem}; write the Go module's directory ` +
        `relative to ${ANSWERS_FILE}${inside}, e.g. project: ../.., or remove the key when the module is the ` +
        `directory of ${ANSWERS_FILE}.`,
    );
  };
  if (isAbsolute(value)) return refuse('is an absolute path');
  const dir = resolve(dirname(answersPath), value);
  if (repository !== undefined && !isWithin(repository, dir)) return refuse('is outside the repository');
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return refuse('does not exist');
  }
  if (repository !== undefined && !isWithin(realpathSync(repository), real))
    return refuse('leads outside the repository through a symbolic link');
  if (!statSync(real).isDirectory()) return refuse('is not a directory');
  if (repository === undefined && entryKind(join(dir, 'go.mod')) === 'missing' && entryKind(join(dir, 'go.work')) === 'missing') {
    return refuse(`has no go.mod or go.work, and with no .git above ${ANSWERS_FILE} nothing else bounds where the project may be`);
  }
  return dir;
}

/** Whether nothing (not even a dangling link) is at path. */
function entryMissing(path: string): boolean {
  return entryKind(path) === 'missing';
}

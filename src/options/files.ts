// Reading and writing the two YAML files: the project's answers (.go-docker.yaml) and an
// organisation's policy. Both share the option vocabulary of the flags (FILE_KEYS).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, stringify, type Pair } from 'yaml';
import { RuntimeError, UsageError } from '../errors.js';
import { describe, parseField } from './fields.js';
import { FILE_KEYS, type OptionKey, type PartialOptions } from './model.js';

export const CONFIG_FILE_NAME = '.go-docker.yaml';
export const SCHEMA_VERSION = 1;

const KEY_BY_FILE_NAME = new Map<string, OptionKey>(
  (Object.entries(FILE_KEYS) as [OptionKey, string][]).map(([key, fileName]) => [fileName, key]),
);

export interface ConfigFile {
  options: PartialOptions;
  /** The policy file recorded by an earlier run, absolute. */
  policy?: string;
  /** Content hashes of the files an earlier run wrote, by path relative to the config file. */
  files: Record<string, string>;
}

type FileKind = 'config' | 'policy';

/** Extra top-level keys each file may hold besides the options. */
const EXTRA_KEYS: Record<FileKind, readonly string[]> = {
  config: ['schemaVersion', 'generator', 'policy', 'files'],
  policy: ['schemaVersion'],
};

type YamlValues = Map<string, { value: unknown; line: number }>;

function loadYaml(path: string, kind: FileKind, missingIsUsage: boolean): YamlValues {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = `${path}: cannot read the ${kind === 'policy' ? 'policy' : 'answers'} file (${code ?? String(error)}); check the path.`;
    throw missingIsUsage ? new UsageError(message) : new RuntimeError(message);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
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
    const valueNode = pair.value;
    const value = valueNode && typeof valueNode === 'object' && 'toJSON' in valueNode ? (valueNode as { toJSON(): unknown }).toJSON() : valueNode;
    values.set(key, { value, line });
  }
  return values;
}

function readOptions(path: string, kind: FileKind, values: YamlValues): PartialOptions {
  const version = values.get('schemaVersion');
  if (!version) {
    throw new UsageError(`${path}:1: missing "schemaVersion: ${SCHEMA_VERSION}"; add it as the first line.`);
  }
  if (typeof version.value !== 'number' || !Number.isInteger(version.value) || version.value < 1) {
    throw new UsageError(`${path}:${version.line}: schemaVersion must be a whole number, got ${describe(version.value)}; write schemaVersion: ${SCHEMA_VERSION}.`);
  }
  if (version.value > SCHEMA_VERSION) {
    throw new UsageError(`${path}:${version.line}: schemaVersion ${version.value} is newer than this create-go-docker understands (${SCHEMA_VERSION}); upgrade create-go-docker.`);
  }
  const options: PartialOptions = {};
  for (const [fileKey, { value, line }] of values) {
    if (EXTRA_KEYS[kind].includes(fileKey)) continue;
    const key = KEY_BY_FILE_NAME.get(fileKey);
    if (key === undefined) {
      const known = [...KEY_BY_FILE_NAME.keys(), ...EXTRA_KEYS[kind]].join(', ');
      throw new UsageError(`${path}:${line}: unknown key "${fileKey}"; known keys are ${known}.`);
    }
    const parsed = parseField(key, `${path}:${line}: ${fileKey}`, value);
    // Paths in a file are relative to that file, wherever the command runs.
    if (key === 'caCert' && typeof parsed === 'string') options.caCert = resolve(dirname(path), parsed);
    else (options as Record<string, unknown>)[key] = parsed;
  }
  return options;
}

export function loadPolicy(path: string): PartialOptions {
  const absolute = resolve(path);
  const values = loadYaml(absolute, 'policy', true);
  return readOptions(path, 'policy', values);
}

export function loadConfig(path: string): ConfigFile | undefined {
  if (!existsSync(path)) return undefined;
  const values = loadYaml(path, 'config', false);
  const options = readOptions(path, 'config', values);
  const config: ConfigFile = { options, files: {} };
  const policy = values.get('policy');
  if (policy !== undefined) {
    if (typeof policy.value !== 'string') throw new UsageError(`${path}:${policy.line}: policy must be a path; write policy: path/to/policy.yaml.`);
    config.policy = resolve(dirname(path), policy.value);
  }
  const files = values.get('files');
  if (files !== undefined) {
    const record = files.value;
    if (record === null || typeof record !== 'object' || Array.isArray(record) || !Object.values(record).every((hash) => typeof hash === 'string')) {
      throw new UsageError(`${path}:${files.line}: files must map each generated file to its hash; delete the key and rerun.`);
    }
    config.files = record as Record<string, string>;
  }
  return config;
}

/** Deterministic text of .go-docker.yaml: header, schema, generator, answers, file hashes. */
export function renderConfig(input: {
  toolVersion: string;
  configDir: string;
  answers: PartialOptions;
  /** Values in effect that are not answers (defaults, detection, policy), shown as comments. */
  inEffect: PartialOptions;
  policy?: string;
  files: Record<string, string>;
}): string {
  const document: Record<string, unknown> = { schemaVersion: SCHEMA_VERSION, generator: `create-go-docker ${input.toolVersion}` };
  if (input.policy) document.policy = portablePath(input.configDir, input.policy);
  for (const [key, fileKey] of Object.entries(FILE_KEYS) as [OptionKey, string][]) {
    const value = input.answers[key];
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    document[fileKey] = key === 'caCert' && typeof value === 'string' ? portablePath(input.configDir, value) : value;
  }
  document.files = input.files;
  const inEffect: Record<string, unknown> = {};
  for (const [key, fileKey] of Object.entries(FILE_KEYS) as [OptionKey, string][]) {
    const value = input.inEffect[key];
    if (value === undefined || input.answers[key] !== undefined || (Array.isArray(value) && value.length === 0)) continue;
    inEffect[fileKey] = key === 'caCert' && typeof value === 'string' ? portablePath(input.configDir, value) : value;
  }
  const header = [
    '# create-go-docker answers for this project. A rerun (npx create-go-docker --yes) reads them',
    '# and writes the same files; edit a value here, or pass a flag, to change them.',
    '# "files" records a hash of each generated file so hand edits are never overwritten.',
  ];
  if (Object.keys(inEffect).length > 0) {
    header.push('#', '# Also in effect, from defaults, detection or the policy (add a key to pin it):');
    for (const line of stringify(inEffect, { lineWidth: 0, collectionStyle: 'flow' }).trimEnd().split('\n')) header.push(`#   ${line}`);
  }
  return `${header.join('\n')}\n${stringify(document, { lineWidth: 0 })}`;
}

function portablePath(baseDir: string, path: string): string {
  if (!isAbsolute(path)) return path;
  const relativePath = relative(baseDir, path);
  return relativePath.split(sep).join('/');
}

// Writing .go-docker.yaml. Its values are option values, file paths and hashes: almost always
// words YAML writes as they are. stringifySimple writes those, byte for byte as the YAML library's
// stringify (test/answers.test.ts compares the two), so a run that reads no answers file and no
// policy never loads the YAML library (about 115 KB of code to compile and run); any other value,
// and every read, goes through the library (option-files.ts).
import { entryKind } from '../io/read.js';
import { posixRelative } from '../io/paths.js';
import { isAbsolute, resolve } from 'node:path';
import type { AnswersFile } from './option-files.js';
import { FILE_KEYS, type OptionKey, type PartialOptions } from './model.js';
import type { PolicyRecord, PolicySpec } from './policy-spec.js';
import type { KnownHostLine } from '../values/kinds.js';

/** The answers key holding the SSH host keys, one "host keytype key" line each: a decision, like an answer. */
export const KNOWN_HOSTS_KEY = 'known-hosts';

/**
 * 2: the project directory is recorded when the files live elsewhere (--out), file hashes cover
 * the generated part only (custom blocks excluded), and policies may constrain (allowed-bases,
 * min-go). A version 1 file reads as version 2 and is rewritten as such on the next run.
 */
export const SCHEMA_VERSION = 2;

/**
 * outDir's .go-docker.yaml, read and checked (option-files.ts's loadAnswers), or undefined when there is
 * none; the YAML parser is loaded only when there is a file to parse.
 */
export async function readAnswers(path: string): Promise<AnswersFile | undefined> {
  if (entryKind(path) === 'missing') return undefined;
  return (await import('./option-files.js')).loadAnswers(path);
}

/** Deterministic text of .go-docker.yaml: header, schema, generator, answers, file hashes. */
export async function renderAnswers(input: {
  toolVersion: string;
  answersDir: string;
  answers: PartialOptions;
  /** Values in effect that are not answers (defaults, detection, policy), shown as comments. */
  inEffect: PartialOptions;
  policy?: PolicyRecord;
  /** The module's directory, recorded when it is not answersDir. */
  projectDir?: string;
  /** The SSH host keys decided for the private git hosts (options/host-keys.ts), sorted. */
  knownHosts?: readonly KnownHostLine[];
  files: Record<string, string>;
}): Promise<string> {
  const document: Record<string, unknown> = { schemaVersion: SCHEMA_VERSION, generator: `create-go-docker ${input.toolVersion}` };
  if (input.policy) document.policy = policyEntry(input.answersDir, input.policy);
  if (input.projectDir && resolve(input.projectDir) !== resolve(input.answersDir))
    document.project = portablePath(input.answersDir, input.projectDir) || '.';
  for (const [key, fileKey] of Object.entries(FILE_KEYS) as [OptionKey, string][]) {
    const value = input.answers[key];
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    document[fileKey] = key === 'caCert' && typeof value === 'string' ? portablePath(input.answersDir, value) : value;
  }
  if (input.knownHosts && input.knownHosts.length > 0) document[KNOWN_HOSTS_KEY] = [...input.knownHosts];
  document.files = input.files;
  const inEffect: Record<string, unknown> = {};
  for (const [key, fileKey] of Object.entries(FILE_KEYS) as [OptionKey, string][]) {
    const value = input.inEffect[key];
    if (value === undefined || input.answers[key] !== undefined || (Array.isArray(value) && value.length === 0)) continue;
    inEffect[fileKey] = key === 'caCert' && typeof value === 'string' ? portablePath(input.answersDir, value) : value;
  }
  const header = [
    '# create-go-docker answers for this project. `npx create-go-docker regenerate` reads them',
    '# and writes the same files; edit a value here, or pass a flag to create-go-docker, to change them.',
    '# "files" records a hash of each generated file so hand edits are never overwritten.',
  ];
  const hasInEffect = Object.keys(inEffect).length > 0;
  let inEffectText = hasInEffect ? stringifySimple(inEffect, 'flow') : '';
  let documentText = stringifySimple(document, 'block');
  // A value outside what stringifySimple writes: the YAML library writes the whole file.
  if (inEffectText === undefined || documentText === undefined) {
    const { stringify } = await import('./answers-yaml.js');
    inEffectText = hasInEffect ? stringify(inEffect, { lineWidth: 0, collectionStyle: 'flow' }) : '';
    documentText = stringify(document, { lineWidth: 0 });
  }
  if (hasInEffect) {
    header.push('#', '# Also in effect, from defaults, detection or the policy (add a key to keep a value as it is):');
    for (const line of inEffectText.trimEnd().split('\n')) header.push(`#   ${line}`);
  }
  return `${header.join('\n')}\n${documentText}`;
}

/** A path policy as a relative path (what earlier versions wrote); any other record as a mapping. */
function policyEntry(answersDir: string, record: PolicyRecord): string | Record<string, string> {
  const spec: PolicySpec | undefined = record.spec;
  if (spec?.kind === 'path' && record.sha256 === undefined) return portablePath(answersDir, spec.path);
  const entry: Record<string, string> = {};
  if (spec?.kind === 'url') entry.url = spec.url;
  if (spec?.kind === 'npm') {
    entry.npm = spec.name;
    entry.range = spec.range;
  }
  if (record.version) entry.version = record.version;
  if (record.sha256) entry.sha256 = record.sha256;
  return entry;
}

function portablePath(baseDir: string, path: string): string {
  if (!isAbsolute(path)) return path;
  return posixRelative(baseDir, path);
}

/**
 * YAML 1.2 core schema scalars that are not strings (null, booleans, integers, floats): a string
 * that looks like one is quoted, as the library's plainString does (yaml/dist/schema/core).
 */
const NOT_A_STRING = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];

/**
 * The words stringifySimple writes: letters, digits, spaces and _ . / @ + = * : , | - (no tab,
 * quote, backslash, #, brackets or braces), starting with a letter, digit, _, . or /, ending in
 * neither a space nor ":", without ": " and not starting a document marker ("..."). The library
 * writes such a word as it is, or in double quotes when it reads as another type; in a flow
 * collection a "," needs quotes too.
 */
const SIMPLE_WORD = /^[A-Za-z0-9_./](?:[A-Za-z0-9_./@+=*:,| -]*[A-Za-z0-9_./@+=*,|-])?$/;

type Style = 'block' | 'flow';

function word(value: string, style: Style): string | undefined {
  if (!SIMPLE_WORD.test(value) || value.includes(': ') || value.startsWith('...')) return undefined;
  if (style === 'flow' && value.includes(',')) return undefined;
  // Nothing in a simple word needs escaping, so its JSON string is the library's double-quoted one.
  return NOT_A_STRING.some((test) => test.test(value)) ? JSON.stringify(value) : value;
}

function scalar(value: unknown, style: Style): string | undefined {
  if (typeof value === 'string') return word(value, style);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * What the YAML library's stringify(value, { lineWidth: 0 }) writes ('block'), or with
 * collectionStyle: 'flow' ('flow'), for a mapping of scalars, non-empty lists of scalars and
 * (block only) non-empty mappings of scalars; undefined for anything else, which the library
 * then writes.
 */
export function stringifySimple(value: Record<string, unknown>, style: Style): string | undefined {
  const entries = Object.entries(value);
  if (entries.length === 0) return undefined;
  const lines: string[] = [];
  for (const [key, item] of entries) {
    const name = word(key, style);
    if (name === undefined) return undefined;
    if (Array.isArray(item) || isRecord(item)) {
      const children: [string | undefined, unknown][] = Array.isArray(item)
        ? item.map((element: unknown) => [undefined, element])
        : Object.entries(item);
      if (children.length === 0) return undefined;
      const written: string[] = [];
      for (const [childKey, child] of children) {
        const text = scalar(child, style);
        const childName = childKey === undefined ? undefined : word(childKey, style);
        if (text === undefined || (childKey !== undefined && childName === undefined)) return undefined;
        written.push(childName === undefined ? text : `${childName}: ${text}`);
      }
      if (style === 'flow') {
        if (!Array.isArray(item)) return undefined;
        lines.push(`${name}: [ ${written.join(', ')} ]`);
      } else lines.push(`${name}:`, ...written.map((text) => (Array.isArray(item) ? `  - ${text}` : `  ${text}`)));
      continue;
    }
    const text = scalar(item, style);
    if (text === undefined) return undefined;
    lines.push(`${name}: ${text}`);
  }
  return style === 'flow' ? `{ ${lines.join(', ')} }\n` : `${lines.join('\n')}\n`;
}

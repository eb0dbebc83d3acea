// One parser per option key, shared by flags, .go-docker.yaml and policy files, so a value
// means the same thing wherever it is written.
import { UsageError } from '../errors.js';
import { MAX_VALUE_LENGTH } from '../values/text.js';
import { AUTH_MODES, BASES, CGO_MODES, CI_CACHES, CI_PROVIDERS, REGIONS, type OptionKey, type Options } from './model.js';
import {
  parseBoolean,
  parseDnsServers,
  parseRegistryMirrors,
  parseEnum,
  parseGoProxy,
  parseGoSumDb,
  parseGoVersion,
  parseImageRef,
  parseMainPackage,
  parsePlatforms,
  parsePolicySource,
  parsePort,
  parsePrivatePatterns,
  parseProxyUrl,
  parseImageArgs,
  parsePath,
  parseRegistryPrefix,
  parseTags,
  parsePins,
} from './validate.js';

type FieldParsers = { [K in OptionKey]-?: (input: string, raw: unknown) => Options[K] };

function text(input: string, raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number') return String(raw);
  throw new UsageError(`${input}: expected text, got ${describe(raw)}; write a plain value.`);
}

function list(input: string, raw: unknown): string | string[] {
  if (typeof raw === 'string') return raw;
  if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) return raw;
  throw new UsageError(`${input}: expected a list of text values, got ${describe(raw)}; write a YAML list or a comma-separated string.`);
}

export function describe(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'a list';
  return typeof raw === 'object' ? 'a mapping' : `${typeof raw} ${JSON.stringify(raw)}`;
}

const FIELD_PARSERS: FieldParsers = {
  region: (input, raw) => parseEnum(input, text(input, raw), REGIONS),
  goProxy: (input, raw) => parseGoProxy(input, text(input, raw)),
  goSumDb: (input, raw) => parseGoSumDb(input, text(input, raw)),
  privatePatterns: (input, raw) => parsePrivatePatterns(input, list(input, raw)),
  auth: (input, raw) => parseEnum(input, text(input, raw), AUTH_MODES),
  sshKeyscan: (input, raw) => parseBoolean(input, raw),
  base: (input, raw) => parseEnum(input, text(input, raw), BASES),
  baseImage: (input, raw) => parseImageRef(input, text(input, raw)),
  registry: (input, raw) => parseRegistryPrefix(input, text(input, raw)),
  goVersion: (input, raw) => parseGoVersion(input, text(input, raw)),
  mainPackage: (input, raw) => parseMainPackage(input, text(input, raw)),
  port: (input, raw) => parsePort(input, typeof raw === 'number' ? raw : text(input, raw)),
  tags: (input, raw) => parseTags(input, list(input, raw)),
  args: (input, raw) => parseImageArgs(input, list(input, raw)),
  bundle: (input, raw) => parseBoolean(input, raw),
  cgo: (input, raw) => parseEnum(input, text(input, raw), CGO_MODES),
  caCert: (input, raw) => parsePath(input, text(input, raw).trim()),
  platforms: (input, raw) => parsePlatforms(input, list(input, raw)),
  dns: (input, raw) => parseDnsServers(input, list(input, raw)),
  registryMirrors: (input, raw) => parseRegistryMirrors(input, list(input, raw)),
  proxy: (input, raw) => parseProxyUrl(input, text(input, raw)),
  daemonJson: (input, raw) => parseBoolean(input, raw),
  compose: (input, raw) => parseBoolean(input, raw),
  ci: (input, raw) => parseEnum(input, text(input, raw), CI_PROVIDERS),
  ciCache: (input, raw) => parseEnum(input, text(input, raw), CI_CACHES),
  ciRegistry: (input, raw) => parseRegistryPrefix(input, text(input, raw)),
  ciRollout: (input, raw) => parsePolicySource(input, text(input, raw)),
  pins: (input, raw) => parsePins(input, list(input, raw)),
  renovate: (input, raw) => parseBoolean(input, raw),
};

export function parseField<K extends OptionKey>(key: K, input: string, raw: unknown): Options[K] {
  // Before any other check: a megabyte-long value is refused at once, not pattern-matched.
  const length =
    typeof raw === 'string' ? raw.length : Array.isArray(raw) ? raw.reduce((sum: number, item) => sum + String(item).length, 0) : 0;
  if (length > MAX_VALUE_LENGTH)
    throw new UsageError(`${input}: the value is ${length} characters long, more than ${MAX_VALUE_LENGTH}; give a shorter value.`);
  return (FIELD_PARSERS[key] as (input: string, raw: unknown) => Options[K])(input, raw);
}

// SSH host keys as a known_hosts file holds them. A file we did not write (the user's
// ~/.ssh/known_hosts) is untrusted input: each line is parsed on its own, and a key reaches a
// file we write only when its type is one OpenSSH accepts and its blob is canonical base64 that
// names that same type. Same contract as kinds.ts: a predicate returns why a value is not of
// its kind. Pure: reading the file is options/host-keys.ts's.
import { createHash, createHmac } from 'node:crypto';
import { brandKnown, commonProblem, type KnownHostLine, type Problem } from './kinds.js';
import { hostProblem } from './network.js';
import { quoted } from './text.js';

/**
 * The host key types we write: what OpenSSH accepts today (ssh-dss has been off since OpenSSH
 * 7.0, so never), each with the fields of its blob after the type name (RFC 4253 6.6, RFC 5656
 * 3.1, RFC 8709 4, OpenSSH's PROTOCOL.u2f): a fixed size, a name the blob must hold, or any.
 */
const KEY_LAYOUTS = {
  'ssh-ed25519': [32],
  'ecdsa-sha2-nistp256': ['nistp256', 'any'],
  'ecdsa-sha2-nistp384': ['nistp384', 'any'],
  'ecdsa-sha2-nistp521': ['nistp521', 'any'],
  'ssh-rsa': ['any', 'any'],
  'sk-ssh-ed25519@openssh.com': [32, 'any'],
  'sk-ecdsa-sha2-nistp256@openssh.com': ['nistp256', 'any', 'any'],
} as const satisfies Record<string, readonly (number | string)[]>;
type HostKeyType = keyof typeof KEY_LAYOUTS;
const HOST_KEY_TYPES = Object.keys(KEY_LAYOUTS) as HostKeyType[];

/** A public host key: its type and its blob in base64, as a known_hosts line writes them. */
export interface HostKey {
  keyType: HostKeyType;
  key: string;
}

/** A 16384-bit RSA key's blob is about 2 KB: anything much larger is not a host key. */
const MAX_KEY_BYTES = 4096;

/** The SSH port; a host on another one is written [host]:port, as ssh writes it. */
const SSH_PORT = 22;

function isHostKeyType(value: string): value is HostKeyType {
  return Object.hasOwn(KEY_LAYOUTS, value);
}

/** A key type from the allow-list and a blob that is canonical base64 and starts with that type's name (RFC 4253, 6.6). */
function hostKeyProblem(keyType: string, key: string): Problem {
  if (!isHostKeyType(keyType)) return `${quoted(keyType)} is not a host key type create-go-docker writes (${HOST_KEY_TYPES.join(', ')})`;
  if (key.length > (MAX_KEY_BYTES * 4) / 3 + 4) return `its key is longer than ${MAX_KEY_BYTES} bytes`;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || key.length % 4 !== 0) return 'its key is not base64';
  const blob = Buffer.from(key, 'base64');
  if (blob.toString('base64') !== key) return 'its key is not canonical base64';
  const fields = blobFields(blob);
  if (!fields) return `its key is not a well-formed ${keyType} key`;
  if (fields[0]!.toString('latin1') !== keyType) return `its key is not an ${keyType} key (the blob names another type)`;
  const layout: readonly (number | string)[] = KEY_LAYOUTS[keyType];
  const fits =
    fields.length === layout.length + 1 &&
    layout.every((expected, index) => {
      const field = fields[index + 1]!;
      if (typeof expected === 'number') return field.length === expected;
      return expected === 'any' ? field.length > 0 : field.toString('latin1') === expected;
    });
  return fits ? undefined : `its key is not a well-formed ${keyType} key`;
}

/** A blob as its length-prefixed fields, when they take it up exactly; undefined otherwise. */
function blobFields(blob: Buffer): Buffer[] | undefined {
  const fields: Buffer[] = [];
  let at = 0;
  while (at < blob.length) {
    if (at + 4 > blob.length) return undefined;
    const length = blob.readUInt32BE(at);
    if (at + 4 + length > blob.length) return undefined;
    fields.push(blob.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return fields.length > 0 ? fields : undefined;
}

/** A known_hosts host field we write: a lower-case host name, or [name]:port for another port than 22. */
function knownHostNameProblem(value: string): Problem {
  const bracketed = /^\[([^\]]+)\]:(\d{1,5})$/.exec(value);
  const name = bracketed ? bracketed[1]! : value;
  if (name.includes(':') || name.includes('[')) return `${quoted(value)} is not a host name or [host]:port`;
  if (value !== value.toLowerCase()) return `${quoted(value)} is not in lower case`;
  if (bracketed && (Number(bracketed[2]) < 1 || Number(bracketed[2]) > 65535 || Number(bracketed[2]) === SSH_PORT))
    return `${quoted(value)} has a port other than 1-65535 (22 is written as the bare name)`;
  return hostProblem(name);
}

/** "host keytype key": one line of a known_hosts file we write, with nothing else (no comment, no marker). */
export function knownHostLineProblem(value: string): Problem {
  const common = commonProblem(value, 8192);
  if (common) return common;
  const fields = value.split(' ');
  if (fields.length !== 3) return 'it is not "host keytype key" (three fields, one space apart)';
  return knownHostNameProblem(fields[0]!) ?? hostKeyProblem(fields[1]!, fields[2]!);
}

/** How known_hosts names a host: its lower-case name on port 22, else [name]:port. A HostName may carry a port. */
export function knownHostsName(host: string): string {
  const match = /^(.*):(\d{1,5})$/.exec(host);
  const name = (match ? match[1]! : host).toLowerCase();
  const port = match ? Number(match[2]) : SSH_PORT;
  return port === SSH_PORT ? name : `[${name}]:${port}`;
}

export function knownHostLine(host: string, key: HostKey): KnownHostLine {
  return brandKnown<KnownHostLine>(`${knownHostsName(host)} ${key.keyType} ${key.key}`, knownHostLineProblem);
}

/** A checked line's parts. */
export function splitKnownHostLine(line: KnownHostLine): { name: string } & HostKey {
  const [name, keyType, key] = line.split(' ') as [string, HostKeyType, string];
  return { name, keyType, key };
}

/** The fingerprint `ssh-keygen -lf` prints: SHA256: and the unpadded base64 of the blob's SHA-256. */
export function fingerprint(key: string): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(key, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

/** The markers a known_hosts line may start with (sshd(8), SSH_KNOWN_HOSTS FILE FORMAT). */
const MARKERS = { '@revoked': 'revoked', '@cert-authority': 'cert-authority' } as const;
type Marker = (typeof MARKERS)[keyof typeof MARKERS];

export interface KnownHostsEntry {
  /** Line number in the file, from 1. */
  line: number;
  marker?: Marker;
  /** The host field as written: comma-separated patterns, or a hashed name |1|salt|hash. */
  hosts: string;
  hostKey: HostKey;
}

export interface ParsedKnownHosts {
  entries: KnownHostsEntry[];
  /** Lines that are neither comments nor entries we accept, and why. */
  skipped: { line: number; reason: string }[];
}

/** Every entry of a known_hosts text whose key passes hostKeyProblem; the other lines are skipped with a reason. */
export function parseKnownHosts(text: string): ParsedKnownHosts {
  const parsed: ParsedKnownHosts = { entries: [], skipped: [] };
  for (const [index, raw] of text.split('\n').entries()) {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const fields = trimmed.split(/[ \t]+/);
    let marker: Marker | undefined;
    if (fields[0]!.startsWith('@')) {
      const word = fields.shift()!;
      marker = Object.hasOwn(MARKERS, word) ? MARKERS[word as keyof typeof MARKERS] : undefined;
      if (!marker) {
        parsed.skipped.push({ line, reason: `unknown marker ${quoted(word)}` });
        continue;
      }
    }
    const [hosts, keyType, key] = fields;
    if (hosts === undefined || keyType === undefined || key === undefined) {
      parsed.skipped.push({ line, reason: 'fewer than three fields (host, key type, key)' });
      continue;
    }
    const problem = hostKeyProblem(keyType, key);
    if (problem !== undefined || !isHostKeyType(keyType)) {
      parsed.skipped.push({ line, reason: problem ?? 'unknown key type' });
      continue;
    }
    parsed.entries.push({ line, ...(marker ? { marker } : {}), hosts, hostKey: { keyType, key } });
  }
  return parsed;
}

/** ssh's wildcard patterns: * any run of characters, ? one; everything else literal, case-insensitive. */
function wildcardMatch(pattern: string, name: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(name);
}

/**
 * Whether a host field names `name` (as knownHostsName spells it): a hashed name by HMAC-SHA1 of
 * the name keyed with its salt, as ssh-keygen -H writes it; a pattern list when a pattern matches
 * and no negated one (!pattern) does.
 */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [salt, hash, ...rest] = field.slice(3).split('|');
    if (!salt || !hash || rest.length > 0) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    if (!wildcardMatch(negated ? pattern.slice(1) : pattern, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/**
 * The host keys the entries trust for a host (knownHostsName's spelling), once each and sorted: a
 * key marked @revoked anywhere in the file is never trusted, and a @cert-authority line holds a
 * CA's key, not the host's, so it is left out (a build that copies only host keys cannot use it).
 */
export function trustedKeysFor(entries: readonly KnownHostsEntry[], name: string): HostKey[] {
  const revoked = new Set(entries.filter((entry) => entry.marker === 'revoked').map((entry) => entry.hostKey.key));
  const keys = new Map<string, HostKey>();
  for (const entry of entries) {
    if (entry.marker !== undefined || revoked.has(entry.hostKey.key) || !hostFieldMatches(entry.hosts, name)) continue;
    keys.set(`${entry.hostKey.keyType} ${entry.hostKey.key}`, entry.hostKey);
  }
  return [...keys.values()].sort(compareHostKeys);
}

export function compareHostKeys(a: HostKey, b: HostKey): number {
  const first = `${a.keyType} ${a.key}`;
  const second = `${b.keyType} ${b.key}`;
  return first < second ? -1 : first > second ? 1 : 0;
}

// Where the SSH host keys of the private git hosts come from, so the build trusts keys decided
// at generation time instead of whatever answers ssh-keyscan first inside every build. In order:
// what .go-docker.yaml recorded (a recorded key is a decision: it wins on every regenerate, on
// any machine), the keys github.com, gitlab.com and bitbucket.org publish, the user's own
// ~/.ssh/known_hosts (hosts they already trust), else a build-time ssh-keyscan only when asked
// for (--ssh-keyscan), else an error naming the host and the fix.
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { InputFileError, MIB, readInputFile } from '../io/read.js';
import type { HostName, KnownHostLine } from '../values/kinds.js';
import {
  compareHostKeys,
  fingerprint,
  knownHostLine,
  knownHostsName,
  parseKnownHosts,
  splitKnownHostLine,
  trustedKeysFor,
  type HostKey,
  type ParsedKnownHosts,
} from '../values/known-hosts.js';
import { ANSWERS_FILE } from '../plan/paths.js';

interface PublishedHost {
  /** Who publishes the keys, for the note. */
  publisher: string;
  /** Where they are published. */
  source: string;
  keys: (HostKey & { fingerprint: string })[];
}

/**
 * The host keys the big hosts publish, with the fingerprints published beside them (a test checks
 * that each key has its fingerprint). Checked 2026-12-07 against the pages named in `source`;
 * when a host rotates a key, a project that recorded the old one keeps it until its
 * known-hosts entry in .go-docker.yaml is edited (the build then fails on the host's new key,
 * loudly, instead of trusting a changed one).
 */
export const PUBLISHED_HOST_KEYS: Readonly<Record<string, PublishedHost>> = {
  'github.com': {
    publisher: 'GitHub',
    source: 'https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/githubs-ssh-key-fingerprints',
    keys: [
      {
        keyType: 'ssh-ed25519',
        key: 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
        fingerprint: 'SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU',
      },
      {
        keyType: 'ecdsa-sha2-nistp256',
        key:
          'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/' +
          'y6v0mKV0U2w0WZ2YB/++Tpockg=',
        fingerprint: 'SHA256:p2QAMXNIC1TJYWeIOttrVc98/R1BUFWu3/LiyKgUfQM',
      },
      {
        keyType: 'ssh-rsa',
        key:
          'AAAAB3NzaC1yc2EAAAADAQABAAABgQCj7ndNxQowgcQnjshcLrqPEiiphnt+VTTvDP6mHBL9j1aNUkY4Ue1gvwnGLVlOhGeYrnZaMgRK6+PKCUXaDbC7qt' +
          'bW8gIkhL7aGCsOr/C56SJMy/BCZfxd1nWzAOxSDPgVsmerOBYfNqltV9/hWCqBywINIR+5dIg6JTJ72pcEpEjcYgXkE2YEFXV1JHnsKgbLWNlhScqb2U' +
          'myRkQyytRLtL+38TGxkxCflmO+5Z8CSSNY7GidjMIZ7Q4zMjA2n1nGrlTDkzwDCsw+wqFPGQA179cnfGWOWRVruj16z6XyvxvjJwbz0wQZ75XK5tKSb7F' +
          'NyeIEs4TT4jk+S4dhPeAUC5y+bDYirYgM4GC7uEnztnZyaVWQ7B381AK4Qdrwt51ZqExKbQpTUNn+EjqoTwvqNj4kqx5QUCI0ThS/YkOxJCXmPUWZbhjp' +
          'Cg56i+2aB6CmK2JGhn57K5mj0MNdBXA4/WnwH6XoPWJzK5Nyu2zB3nAZp+S5hpQs+p1vN1/wsjk=',
        fingerprint: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s',
      },
    ],
  },
  'gitlab.com': {
    publisher: 'GitLab',
    source: 'https://docs.gitlab.com/user/gitlab_com/#ssh-host-keys-fingerprints',
    keys: [
      {
        keyType: 'ssh-ed25519',
        key: 'AAAAC3NzaC1lZDI1NTE5AAAAIAfuCHKVTjquxvt6CM6tdG4SLp1Btn/nOeHHE5UOzRdf',
        fingerprint: 'SHA256:eUXGGm1YGsMAS7vkcx6JOJdOGHPem5gQp4taiCfCLB8',
      },
      {
        keyType: 'ecdsa-sha2-nistp256',
        key:
          'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFSMqzJeV9rUzU4kWitGjeR4PWSa29SPqJ1fVkhtj3Hw9xjLVXVYrU9QlYWrOLXBpQ6' +
          'KWjbjTDTdDkoohFzgbEY=',
        fingerprint: 'SHA256:HbW3g8zUjNSksFbqTiUWPWg2Bq1x8xdGUrliXFzSnUw',
      },
      {
        keyType: 'ssh-rsa',
        key:
          'AAAAB3NzaC1yc2EAAAADAQABAAABAQCsj2bNKTBSpIYDEGk9KxsGh3mySTRgMtXL583qmBpzeQ+jqCMRgBqB98u3z++J1sKlXHWfM9dyhSevkMwSbhoR8X' +
          'Iq/U0tCNyokEi/ueaBMCvbcTHhO7FcwzY92WK4Yt0aGROY5qX2UKSeOvuP4D6TPqKF1onrSzH9bx9XUf2lEdWT/ia1NEKjunUqu1xOB/StKDHMoX4/OKyI' +
          'zuS0q/T1zOATthvasJFoPrAjkohTyaDUz2LN5JoH839hViyEG82yB+MjcFV5MU3N1l1QL3cVUCh93xSaua1N85qivl+siMkPGbO5xR/En4iEY6K2XPASUEM' +
          'aieWVNTRCtJ4S8H+9',
        fingerprint: 'SHA256:ROQFvPThGrW4RuWLoL9tq9I9zJ42fK4XywyRtbOz/EQ',
      },
    ],
  },
  'bitbucket.org': {
    publisher: 'Bitbucket',
    // The fingerprints; the keys themselves are served at https://bitbucket.org/site/ssh.
    source: 'https://support.atlassian.com/bitbucket-cloud/docs/configure-ssh-and-two-step-verification/',
    keys: [
      {
        keyType: 'ssh-ed25519',
        key: 'AAAAC3NzaC1lZDI1NTE5AAAAIIazEu89wgQZ4bqs3d63QSMzYVa0MuJ2e2gKTKqu+UUO',
        fingerprint: 'SHA256:ybgmFkzwOSotHTHLJgHO0QN8L0xErw6vd0VhFA9m3SM',
      },
      {
        keyType: 'ecdsa-sha2-nistp256',
        key:
          'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBPIQmuzMBuKdWeF4+a2sjSSpBK0iqitSQ+5BM9KhpexuGt20JpTVM7u5BDZngncgrqD' +
          'MbWdxMWWOGtZ9UgbqgZE=',
        fingerprint: 'SHA256:FC73VB6C4OQLSCrjEayhMp9UMxS97caD/Yyi2bhW/J0',
      },
      {
        keyType: 'ssh-rsa',
        key:
          'AAAAB3NzaC1yc2EAAAADAQABAAABgQDQeJzhupRu0u0cdegZIa8e86EG2qOCsIsD1Xw0xSeiPDlCr7kq97NLmMbpKTX6Esc30NuoqEEHCuc7yWtwp8dI76' +
          'EEEB1VqY9QJq6vk+aySyboD5QF61I/1WeTwu+deCbgKMGbUijeXhtfbxSxm6JwGrXrhBdofTsbKRUsrN1WoNgUa8uqN1Vx6WAJw1JHPhglEGGHea6QICwJ' +
          'OAr/6mrui/oB7pkaWKHj3z7d1IC4KWLtY47elvjbaTlkN04Kc/5LFEirorGYVbt15kAUlqGM65pk6ZBxtaO3+30LVlORZkxOh+LKL/BvbZ/iRNhItLqNyie' +
          'oQj/uh/7Iv4uyH/cV/0b4WDSd3DptigWq84lJubb9t/DnZlrJazxyDCulTmKdOR7vs9gMTo+uoIrPSb8ScTtvw65+odKAlBj59dhnVp9zd7QUojOpXlL62' +
          'Aw56U4oO+FALuevvMjiWeavKhJqlR7i5n9srYcrNV7ttmDw7kf/97P5zauIhxcjX+xHv4M=',
        fingerprint: 'SHA256:46OSHA1Rmj8E8ERTC6xkNcmGOw9oFxYr0WF6zWW8l1E',
      },
    ],
  },
};

/** How messages name the user's file. */
const USER_KNOWN_HOSTS = '~/.ssh/known_hosts';

/** The user's known_hosts: parsed, or why it was not read; undefined when there is none (no HOME, no file). */
export type UserKnownHosts = { parsed: ParsedKnownHosts } | { problem: string } | undefined;

/** ~/.ssh/known_hosts read as untrusted input: a regular file, not a link, at most 1 MiB. */
export function readUserKnownHosts(home: string | undefined): UserKnownHosts {
  if (home === undefined || home === '') return undefined;
  try {
    return { parsed: parseKnownHosts(readInputFile(join(home, '.ssh', 'known_hosts'), { maxBytes: MIB, noFollow: true })) };
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    return error.code === 'ENOENT' ? undefined : { problem: error.reason };
  }
}

/** Where a host's keys came from, in the order they are looked for. */
type HostKeySource = 'answers' | 'published' | 'user';

export interface HostKeysInput {
  /** The hosts the fetching steps reach over SSH. */
  hosts: readonly HostName[];
  /** Other private git hosts: their recorded keys are kept (auth ssh may need them again once a module does). */
  keep: readonly HostName[];
  /** known-hosts in .go-docker.yaml. */
  recorded: readonly KnownHostLine[];
  /** Read only when a host is in neither the answers nor the table. */
  userKnownHosts: () => UserKnownHosts;
  /** --ssh-keyscan: a host without a key is scanned at build time instead of refused. */
  keyscan: boolean;
  /** How the error names the hosts' source (the private patterns). */
  hostsFrom: string;
}

export interface HostKeys {
  /** The known_hosts file's lines: the hosts with keys, sorted. */
  lines: KnownHostLine[];
  /** What .go-docker.yaml records: lines, plus the recorded ones of other private hosts. */
  recorded: KnownHostLine[];
  /** Hosts without a key, scanned at build time (--ssh-keyscan). */
  keyscan: HostName[];
  /** One note per host with keys: where from, with fingerprints to compare. */
  notes: string[];
  /** One warning when the build scans a host: it trusts the first key it is shown. */
  warnings: string[];
}

const SOURCE_WORDS: Record<HostKeySource, (host: string) => string> = {
  answers: () => `recorded in ${ANSWERS_FILE} (known-hosts)`,
  published: (host) => `published by ${PUBLISHED_HOST_KEYS[host]!.publisher} (${PUBLISHED_HOST_KEYS[host]!.source})`,
  user: () => `from your ${USER_KNOWN_HOSTS}`,
};

export function resolveHostKeys(input: HostKeysInput): HostKeys {
  const lines: KnownHostLine[] = [];
  const keyscan: HostName[] = [];
  const notes: string[] = [];
  let user: UserKnownHosts | null = null;
  const userFile = (): UserKnownHosts => (user === null ? (user = input.userKnownHosts()) : user);
  for (const host of input.hosts) {
    const found = keysFor(host, input.recorded, userFile);
    if (!found) {
      if (!input.keyscan) throw new UsageError(noKeyMessage(host, userFile(), input.hostsFrom));
      keyscan.push(host);
      continue;
    }
    const hostLines = found.keys.map((key) => knownHostLine(host, key));
    lines.push(...hostLines);
    const prints = found.keys.map((key) => `${key.keyType} ${fingerprint(key.key)}`).join(', ');
    notes.push(`SSH host keys for ${knownHostsName(host)}, ${SOURCE_WORDS[found.source](knownHostsName(host))}: ${prints}.`);
  }
  const keptNames = new Set(input.keep.map(knownHostsName));
  const kept = input.recorded.filter((line) => keptNames.has(splitKnownHostLine(line).name));
  const warnings =
    keyscan.length === 0
      ? []
      : [
          `ssh-keyscan ${keyscan.join(' ')} runs in every build (--ssh-keyscan): it trusts the first key it is shown; add the ` +
            `host key to ${USER_KNOWN_HOSTS} (after checking its fingerprint) and regenerate to record it instead.`,
        ];
  return { lines: [...lines].sort(), recorded: [...new Set([...lines, ...kept])].sort(), keyscan, notes, warnings };
}

function keysFor(
  host: HostName,
  recorded: readonly KnownHostLine[],
  userFile: () => UserKnownHosts,
): { source: HostKeySource; keys: HostKey[] } | undefined {
  const name = knownHostsName(host);
  const fromAnswers = recorded.map(splitKnownHostLine).filter((line) => line.name === name);
  if (fromAnswers.length > 0)
    return { source: 'answers', keys: fromAnswers.map(({ keyType, key }) => ({ keyType, key })).sort(compareHostKeys) };
  const published = Object.hasOwn(PUBLISHED_HOST_KEYS, name) ? PUBLISHED_HOST_KEYS[name] : undefined;
  if (published) return { source: 'published', keys: published.keys.map(({ keyType, key }) => ({ keyType, key })).sort(compareHostKeys) };
  const user = userFile();
  const fromUser = user && 'parsed' in user ? trustedKeysFor(user.parsed.entries, name) : [];
  return fromUser.length > 0 ? { source: 'user', keys: fromUser } : undefined;
}

function noKeyMessage(host: HostName, user: UserKnownHosts, hostsFrom: string): string {
  const userState =
    user === undefined
      ? `${USER_KNOWN_HOSTS} does not exist`
      : 'problem' in user
        ? `${USER_KNOWN_HOSTS} ${user.problem} (not read)`
        : `${USER_KNOWN_HOSTS} has none`;
  return (
    `auth ssh: no SSH host key for ${host} (a private git host, from ${hostsFrom}): none recorded in ${ANSWERS_FILE}, ` +
    `none published for it, and ${userState}; add it to ${USER_KNOWN_HOSTS} after checking its fingerprint ` +
    `(ssh-keyscan ${host} >> ${USER_KNOWN_HOSTS}, then ssh-keygen -lf ${USER_KNOWN_HOSTS}) and rerun, or pass ` +
    `--ssh-keyscan to scan it in every build (trusting the first key it is shown).`
  );
}

// Named corpus cases for issue 18's secrets and dockerd classes: every credential shape (a token
// alone before "@", a password holding / # ? @ or "://", scheme-relative, with and without a
// scheme) in each flag and file that can carry one, including a Dockerfile doctor reads; the
// look-alikes that must stay readable; and IP addresses with a zone, which dockerd refuses in
// daemon.json's "dns". Registered in corpus.ts; judged by oracle.ts (no SECRET in any output or
// file, one line, nothing changed).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { SIMPLE_SERVICE } from '../helpers.js';
import type { CorpusCase } from './corpus.js';
import { prepare } from './fields.js';
import { SECRET } from './hostile.js';
import type { Run } from './oracle.js';

type Skeletons = (field: string) => string[][];

/** A refusal of a bad value: exit 2, one line that names the input and shows no secret. */
function refusal(files: Record<string, string>, argv: string[], refused: RegExp, skeletons: string[][]): Run {
  return { ...prepare({ files, argv }), secrets: [SECRET], skeletons, mustRefuse: true, refusal: refused };
}

const yamlFile = (values: Record<string, unknown>): string => stringify({ schemaVersion: '2', ...values }, { lineWidth: 0 });

/** Each credential shape, as the value of an option (flag name = file key). */
const SHAPES: readonly [string, string, string][] = [
  // [option, value, what the case shows]
  ['proxy', `${SECRET}@proxy.corp:3128`, 'a token alone before "@", no scheme'],
  ['goproxy', `${SECRET}@athens.corp`, 'a token alone before "@", no scheme'],
  ['gosumdb', `${SECRET}@sum.corp`, 'a token alone before "@", no scheme'],
  ['gosumdb', `x/${SECRET}.y@sum.corp`, 'a token cut into host labels by "."'],
  ['registry', `${SECRET}@harbor.corp/proxy`, 'a token alone before "@", no scheme'],
  ['ci-registry', `${SECRET}@ghcr.io/team`, 'a token alone before "@", no scheme'],
  ['private', `${SECRET}@git.corp.example/team`, 'a token alone before "@", no scheme'],
  ['base-image', `${SECRET}@registry.corp/team/runtime:1.2`, 'a token alone before "@", no scheme'],
  ['proxy', `http://me:pa/${SECRET}@proxy.corp:3128`, 'a password holding "/"'],
  ['proxy', `me:pa#${SECRET}@proxy.corp:3128`, 'a password holding "#", no scheme'],
  ['goproxy', `https://me:pa?${SECRET}@athens.corp,direct`, 'a password holding "?"'],
  ['registry', `me:pa@${SECRET}@harbor.corp/proxy`, 'a password holding "@", no scheme'],
  ['goproxy', `https://me:a://${SECRET}@athens.corp`, 'a password holding "://"'],
  ['proxy', `//me:${SECRET}@proxy.corp:3128`, 'scheme-relative'],
  ['goproxy', `direct,//${SECRET}@athens.corp|off`, 'scheme-relative token inside a GOPROXY list'],
  ['private', `https://me:pa/${SECRET}@git.corp.example/team`, 'a URL where a pattern belongs, password holding "/"'],
];

/** What an option needs beside it to be read (--ci-registry only with --ci). */
const COMPANIONS: Record<string, Record<string, string>> = { 'ci-registry': { ci: 'github' } };

export function secretCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const add = (name: string, build: (skeletons: Skeletons) => Run) => cases.push({ category: 'secrets', name, build });
  for (const [option, value, what] of SHAPES) {
    const companions = COMPANIONS[option] ?? {};
    const companionFlags = Object.entries(companions).flatMap(([key, item]) => [`--${key}`, item]);
    add(`--${option} with ${what} is refused without echoing it`, (s) =>
      refusal(
        SIMPLE_SERVICE,
        ['--yes', ...companionFlags, `--${option}=${value}`],
        new RegExp(`^create-go-docker: --${option}: `),
        s(`--${option}`),
      ),
    );
    add(`.go-docker.yaml ${option} with ${what} is refused without echoing it`, (s) =>
      refusal(
        { ...SIMPLE_SERVICE, '.go-docker.yaml': yamlFile({ ...companions, [option]: value }) },
        ['--yes'],
        new RegExp(`\\.go-docker\\.yaml:\\d+: ${option}: `),
        s(`.go-docker.yaml ${option}`),
      ),
    );
    add(`policy ${option} with ${what} is refused without echoing it`, (s) =>
      refusal(
        { ...SIMPLE_SERVICE, 'policy.yaml': yamlFile({ ...companions, [option]: value }) },
        ['--yes', '--policy', 'policy.yaml'],
        new RegExp(`policy\\.yaml:\\d+: ${option}: `),
        s(`policy ${option}`),
      ),
    );
  }
  // The suggestion on the same line names the host alone, not the token.
  add('--goproxy with a token and no scheme suggests https://host without it', (s) =>
    refusal(SIMPLE_SERVICE, ['--yes', '--goproxy', `${SECRET}@athens.corp`], /write it as https:\/\/athens\.corp\.$/m, s('--goproxy')),
  );

  // ---- doctor echoes values it reads from a Dockerfile: through the same masking.
  const doctorRun = (dockerfile: string, argv: string[] = []): Run => ({
    ...prepare({ files: { ...SIMPLE_SERVICE, Dockerfile: dockerfile }, argv: ['doctor', '--offline', ...argv] }),
    secrets: [SECRET],
    skeletons: [],
    mode: 'read-only',
  });
  for (const [line, what] of [
    [`ARG GOPROXY=https://me:pa/${SECRET}@athens.corp,direct`, 'a GOPROXY password holding "/"'],
    [`ARG GOPROXY=https://me:pa#${SECRET}@athens.corp`, 'a GOPROXY password holding "#"'],
    [`ARG GOPROXY=${SECRET}@athens.corp`, 'a GOPROXY token alone before "@"'],
    [`ENV HTTPS_PROXY=me:pa#${SECRET}@proxy.corp:3128`, 'a proxy password holding "#", no scheme'],
    [`ARG GOSUMDB="sum.golang.org https://me:pa?${SECRET}@sum.corp"`, 'a GOSUMDB URL password holding "?"'],
    [`RUN git clone //me:${SECRET}@git.corp/x.git`, 'a scheme-relative clone URL'],
  ] as const) {
    add(`doctor with ${what} in the Dockerfile masks it`, () => doctorRun(`FROM golang:1.26 AS build\n${line}\nRUN go mod download\n`));
    add(`doctor --json with ${what} in the Dockerfile masks it`, () =>
      doctorRun(`FROM golang:1.26 AS build\n${line}\nRUN go mod download\n`, ['--json']),
    );
  }

  // ---- look-alikes stay readable: a GOPRIVATE suggestion from git@host:path, a pinned digest.
  add('--private git@host:org/repo.git is refused with a readable suggestion', (s) =>
    refusal(
      SIMPLE_SERVICE,
      ['--yes', '--private', 'git@github.com:org/repo.git'],
      /"git@github\.com:org\/repo\.git" is a URL; GOPRIVATE takes module path patterns such as github\.com\/org\/repo\./,
      s('--private'),
    ),
  );
  const digest = `debian:bookworm-slim@sha256:${'a'.repeat(64)}`;
  add('--base-image name:tag@sha256:... is accepted and shown unmasked', (s) => ({
    ...prepare({ files: SIMPLE_SERVICE, argv: ['--yes', '--dry-run', '--base-image', digest] }),
    secrets: [],
    skeletons: s('--base-image'),
    mode: 'read-only',
    mustAccept: true,
    expect: (_run, stdout) => (stdout.includes(`FROM ${digest}`) ? undefined : 'the dry run does not show the digest as written'),
  }));
  return cases;
}

// ---- dockerd's "dns": each entry must pass Go's net.ParseIP (moby opts.ValidateIPAddress).

/** IP addresses dockerd refuses in daemon.json's "dns" (Go's net.ParseIP), and one it takes. */
export function dockerdValueCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const category = 'values dockerd would refuse';
  for (const value of ['fe80::1%eth0', 'fe80::1%25eth0', '1.2.3.4%eth0', 'fe80::1%', '[::1]', '10.0.0.0/8', '::1.2.3.04']) {
    cases.push({
      category,
      name: `--dns ${JSON.stringify(value)} is refused`,
      build: (s) => refusal(SIMPLE_SERVICE, ['--yes', '--dns', value], /^create-go-docker: --dns: /, s('--dns')),
    });
  }
  cases.push({
    category,
    name: '.go-docker.yaml dns with a zone id is refused',
    build: (s) =>
      refusal(
        { ...SIMPLE_SERVICE, '.go-docker.yaml': yamlFile({ dns: ['223.5.5.5', 'fe80::1%eth0'] }) },
        ['--yes'],
        /\.go-docker\.yaml:\d+: dns: "fe80::1%eth0" is not an IP address \(it has a zone id/,
        s('.go-docker.yaml dns'),
      ),
  });
  cases.push({
    category,
    name: 'policy dns with a zone id is refused',
    build: (s) =>
      refusal(
        { ...SIMPLE_SERVICE, 'policy.yaml': yamlFile({ dns: 'fe80::1%eth0' }) },
        ['--yes', '--policy', 'policy.yaml'],
        /policy\.yaml:\d+: dns: /,
        s('policy dns'),
      ),
  });
  cases.push({
    category,
    name: '--dns ::ffff:1.2.3.4 (an IPv4-mapped IPv6 address, which Go takes) is accepted',
    build: (s) => ({
      ...prepare({ files: SIMPLE_SERVICE, argv: ['--yes', '--dns', '::ffff:1.2.3.4'] }),
      secrets: [],
      skeletons: s('--dns'),
      mustAccept: true,
      expect: (run) =>
        readFileSync(join(run.dir, 'docker/daemon.json'), 'utf8').includes('"::ffff:1.2.3.4"')
          ? undefined
          : 'daemon.json does not hold the address',
    }),
  });
  return cases;
}

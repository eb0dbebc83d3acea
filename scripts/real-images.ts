// npm run real-images: builds the default image of public repositories with servers (REAL_IMAGES,
// from their mirrors: MIRROR_DIR/owner+name/repo) exactly as a new user would: `create-go-docker
// --yes`, the printed `docker build`, the printed `docker run`; then asks the port the image
// exposes over HTTP until the server answers or 60 s pass. Writes docs/real-images.md. A
// repository's own Dockerfile is replaced with --force, as the refusal without it says.
// Offline changes only: the local stand-in base images and module proxy (the e2e harness), and
// the host network (no bridge here), so `-p A:B` becomes --network=host.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { execute, generate, localBuildCommand, shell } from '../test/e2e/harness/docker.js';
import { REPO_ROOT, startHarness, type Harness } from '../test/e2e/harness/index.js';
import { exportMirror, mirrorModules } from '../test/e2e/harness/mirrors.js';
import { startModuleProxy } from '../test/e2e/harness/servers.js';

/** Servers that start with no configuration, so a bare `docker run` of the default image must answer. */
const REAL_IMAGES: readonly { repo: string; path: string; why: string; known?: string }[] = [
  { repo: 'sosedoff/pgweb', path: '/', why: 'a root CMD that binds all interfaces (--bind=0.0.0.0); runs pg_dump (postgresql-client)' },
  { repo: 'Shopify/toxiproxy', path: '/version', why: 'the server of two mains (./cmd/server), -host=0.0.0.0' },
  { repo: 'jpillora/chisel', path: '/', why: 'a root that prints usage: the CMD is the serving subcommand, server' },
  { repo: 'oliver006/redis_exporter', path: '/metrics', why: 'an exporter that serves with no Redis reachable' },
  {
    repo: 'goproxyio/goproxy',
    path: '/',
    why: 'a module proxy; its port from a flag default',
    known:
      'it runs the go command (goJSON(&env, "go", "env", ...), a wrapper around exec.Command(command[0], ...)), and the ' +
      'image has no Go toolchain, so the container exits. Found by this run; since then the "wrapper call" recognizer sees it ' +
      'and --yes warns "goproxy runs go (main.go:127) ... the container fails at that call"; no runtime with a Go toolchain is chosen',
  },
  { repo: 'prometheus/blackbox_exporter', path: '/', why: 'reads blackbox.yml at start: run with the -v the warning prints' },
  { repo: 'nsqio/nsq', path: '/ping', why: 'nine mains, nsqd the daemon; two default listeners (HTTP 4151, TCP 4150) both exposed' },
];

const only = (process.env.REAL_IMAGES ?? '').split(',').filter(Boolean);

interface Result {
  repo: string;
  commit: string;
  why: string;
  base: string;
  buildSeconds: number;
  imageBytes: number;
  run: string;
  answer: string;
  ok: boolean;
}

async function answer(url: string, seconds: number): Promise<string | undefined> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = (await response.text()).replace(/\s+/g, ' ').trim().slice(0, 60);
      return `HTTP ${response.status}: ${body}`;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  return undefined;
}

/** Whether 127.0.0.1:port accepts a TCP connection within 5 s. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 5000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/** `docker run --rm -p 8081:8081 pgweb` -> the port, and the command detached on the host network with the local image. */
function hostRun(printed: string, localTag: string, name: string, dir: string): { command: string; port?: number; others: number[] } {
  const [port, ...others] = [...printed.matchAll(/-p (\d+):\d+/g)].map((match) => Number(match[1]));
  const command = printed
    .replace(/^docker run --rm /, `docker run -d --name ${name} --network=host `)
    .replace(/ -p \d+:\d+/g, '')
    .replace(/"\$PWD\//g, `"${dir}/`)
    .replace(/ \S+$/, ` ${localTag}`);
  return { command, others, ...(port ? { port } : {}) };
}

async function buildAndRun(h: Harness, goProxy: string, item: (typeof REAL_IMAGES)[number], dir: string, commit: string): Promise<Result> {
  const tag = item.repo
    .split('/')[1]!
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '-');
  const result: Result = {
    repo: item.repo,
    commit,
    why: item.why,
    base: '',
    buildSeconds: 0,
    imageBytes: 0,
    run: '',
    answer: '',
    ok: false,
  };
  // --force as a user with a Dockerfile of their own would rerun (theirs is kept as Dockerfile.orig).
  const { result: generated, summary } = await generate(dir, ['--force']);
  if (!summary) return { ...result, answer: `generate failed: ${generated.stderr.trim().split('\n')[0]!}` };
  result.base = /^FROM (\S+)[^\n]*\n(?![\s\S]*^FROM )/m.exec(readFileSync(join(dir, 'Dockerfile'), 'utf8'))?.[1] ?? '';
  const build = localBuildCommand(summary.buildCommand, `cgd-real/${tag}`, [
    '--progress=plain',
    '--network=host',
    `--build-arg GOPROXY=${goProxy}`,
  ]);
  const env = { ...process.env, PATH: `${h.binDir}:${process.env.PATH}`, DOCKER_BUILDKIT: '1' };
  const built = await shell(build, { env });
  result.buildSeconds = built.seconds;
  if (built.code !== 0) {
    const tail = `${built.stdout}${built.stderr}`.trim().split('\n').slice(-4).join(' / ');
    return { ...result, answer: `build failed: ${tail}` };
  }
  result.imageBytes = Number((await execute(h.docker, ['image', 'inspect', '--format', '{{.Size}}', `cgd-real/${tag}`])).stdout.trim());
  // The printed run command, with the -v of a start-file warning when there is one.
  const mount = summary.warnings.map((warning) => /docker run (-v "[^"]+")/.exec(warning)?.[1]).find(Boolean);
  const printed = mount ? summary.runCommand.replace(/^docker run --rm /, `docker run --rm ${mount} `) : summary.runCommand;
  const name = `cgd-real-${tag}`;
  const { command, port, others } = hostRun(printed, `cgd-real/${tag}`, name, dir);
  result.run = printed;
  const started = await shell(command, { env });
  try {
    if (started.code !== 0) return { ...result, answer: `docker run failed: ${started.stderr.trim()}` };
    if (port === undefined) return { ...result, answer: 'no port exposed' };
    const got = await answer(`http://127.0.0.1:${port}${item.path}`, 60);
    if (got !== undefined) {
      // Every other port the run line publishes must accept a connection too (EXPOSE is a promise).
      const closed: number[] = [];
      for (const other of others) if (!(await accepts(other))) closed.push(other);
      const also =
        others.length === 0 ? '' : closed.length === 0 ? `; TCP ${others.join(', ')} accept` : `; **TCP ${closed.join(', ')} refused**`;
      return { ...result, answer: `${item.path} -> ${got}${also}`, ok: closed.length === 0 };
    }
    const logs = await execute(h.docker, ['logs', '--tail', '5', name]);
    return { ...result, answer: `no answer on ${port} in 60 s; logs: ${`${logs.stdout}${logs.stderr}`.trim().replace(/\s+/g, ' ')}` };
  } finally {
    await execute(h.docker, ['rm', '-f', name]);
    await execute(h.docker, ['rmi', '-f', `cgd-real/${tag}`]);
  }
}

async function main(): Promise<number> {
  const items = REAL_IMAGES.filter((item) => only.length === 0 || only.some((name) => item.repo.includes(name)));
  const checkouts = items.map((item) => exportMirror(item.repo));
  const started = await startHarness((line) => console.error(`[real-images] ${line}`), { privateHost: false });
  if ('skip' in started) {
    console.error(`real-images skipped: ${started.skip}`);
    return 1;
  }
  const h = started.harness;
  const proxy = await startModuleProxy(mirrorModules(checkouts.map((checkout) => checkout.dir)).downloadDir);
  const results: Result[] = [];
  try {
    for (const [index, item] of items.entries()) {
      const { dir, commit } = checkouts[index]!;
      const result = await buildAndRun(h, proxy.url, item, dir, commit);
      console.error(`[real-images] ${item.repo}: ${result.ok ? 'answers' : 'FAILS'}: ${result.answer}`);
      results.push(result);
    }
  } finally {
    await proxy.close();
    await h.stop();
    for (const checkout of checkouts) rmSync(checkout.dir, { recursive: true, force: true });
  }
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines = [
    '# Real repositories built and run',
    '',
    `Generated by \`npm run real-images\` (scripts/real-images.ts) on ${new Date().toISOString().slice(0, 10)} with create-go-docker ` +
      `${version}, Docker Engine ${h.engineVersion}, Go ${h.goVersion}.`,
    'Each row: an export of the commit named, `create-go-docker --yes --force` (the repository has its own Dockerfile), the printed',
    '`docker build`, the printed `docker run` (on the',
    'host network: `-p` dropped; the -v of a "reads FILE at start" warning added), then HTTP GET on the exposed port until it answers',
    '(60 s). Base images are local stand-ins and modules come from a local proxy: nothing else differs from a user’s run.',
    'Build seconds are on a builder that keeps earlier runs’ cache (cold builds: docs/benchmarks.md). Any HTTP answer counts:',
    'chisel’s 404 is its tunnel server answering a plain GET.',
    '',
    `**${results.filter((result) => result.ok).length} of ${results.length} answer.**`,
    '',
    '| repository | why it is here | base | build | image | `docker run` printed | answer |',
    '|---|---|---|---|---|---|---|',
    ...results.map(
      (result) =>
        `| [${result.repo}](https://github.com/${result.repo}) \`${result.commit.slice(0, 10)}\` | ${cell(result.why)} | ` +
        `\`${result.base}\` | ${result.buildSeconds.toFixed(0)} s | ${(result.imageBytes / 1e6).toFixed(1)} MB | ` +
        `\`${cell(result.run)}\` | ${result.ok ? '' : '**fails**: '}${cell(result.answer)} |`,
    ),
    '',
    ...results
      .filter((result) => !result.ok)
      .map((result) => `Known: ${result.repo}: ${REAL_IMAGES.find((item) => item.repo === result.repo)?.known ?? 'not explained yet'}.`),
    '',
  ];
  writeFileSync(join(REPO_ROOT, 'docs', 'real-images.md'), lines.join('\n'));
  console.log(`${results.filter((result) => result.ok).length} of ${results.length} answer; docs/real-images.md written`);
  return results.every((result) => result.ok) ? 0 : 1;
}

process.exitCode = await main();

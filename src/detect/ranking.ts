// Main packages are ranked, not sorted: a table of named signals (PRODUCT_SIGNALS) adds up the
// evidence a person uses: what the project's own release config builds and publishes as an image,
// what its own Dockerfile runs, a name that matches the module or sits at cmd/<name>, whether it
// serves and listens, and what its name says (NAME_ROLES: frps and nsqd serve, frpc and etcdctl
// drive); examples, test helpers, dev scripts and generators last. plan/targets.ts picks the
// images from the ranking, and the wizard asks in its order.
import type { MainPackage, MainRole } from './analyze.js';
import { normaliseMain, type BuildInfo, type DeclaredBuild } from './buildinfo.js';

export interface RankedMain {
  main: MainPackage;
  score: number;
  /** Why it ranks where it does, for the summary ("serves", "cmd/<name>"). */
  reasons: string[];
  /** The project's release config declares it, with this binary name. */
  declared?: DeclaredBuild;
  /** A product: its role is "main", or the release config builds it whatever its path says. */
  product: boolean;
}

export const ROLE_WORDS: Record<Exclude<MainRole, 'main'>, string> = {
  example: 'an example',
  test: 'a test helper',
  script: 'a dev script',
  generator: 'a code or docs generator',
  internal: 'an internal tool',
};

/** The module's own name: example.com/svc/v2 -> svc. */
function moduleName(modulePath: string): string {
  const elements = modulePath.split('/');
  const last = elements[elements.length - 1]!;
  return /^v\d+$/.test(last) && elements.length > 1 ? elements[elements.length - 2]! : last;
}

/** What a signal reads about one main among the project's. */
interface RankContext {
  main: MainPackage;
  /** Its path's elements (cmd, frps). */
  elements: string[];
  /** The module's own name, lower case. */
  module: string;
  declaredIndex: number;
  declared?: DeclaredBuild;
  buildInfo: BuildInfo;
  /** Every main's names, for a twin's (frps beside frpc). */
  siblings: readonly string[];
}

/** The names a main goes by: its binary's, its directory's, the release config's. */
function namesOf(main: MainPackage, elements: readonly string[], declared?: DeclaredBuild): string[] {
  const names = [main.binaryName, elements[elements.length - 1] ?? '', declared?.binary ?? ''].map((name) => name.toLowerCase());
  return [...new Set(names.filter((name) => name !== ''))];
}

export interface NameRole {
  name: string;
  says: 'server' | 'client';
  test: (name: string, context: RankContext) => boolean;
}

const SERVER_WORDS = new Set(['server', 'daemon', 'srv', 'serverd']);
const CLIENT_WORDS = new Set(['cli', 'ctl', 'client', 'stat', 'stats', 'utl', 'util', 'tail', 'dump']);
const words = (name: string) => name.split(/[-_.]/);
/** A twin pair: stem+s/d serves what stem+c/ctl/cli drives (frps and frpc, tund and tunctl). */
const twin = (name: string, own: RegExp, other: readonly string[], siblings: readonly string[]) => {
  const stem = own.exec(name)?.[1];
  return stem !== undefined && stem.length >= 2 && siblings.some((sibling) => other.some((suffix) => sibling === stem + suffix));
};

/** What a main's name says it is, in order: the first entry that matches decides. */
export const NAME_ROLES: readonly NameRole[] = [
  { name: 'a server word (server, daemon, srv)', says: 'server', test: (name) => words(name).some((word) => SERVER_WORDS.has(word)) },
  {
    name: 'a client word (cli, ctl, client, stat, util)',
    says: 'client',
    test: (name) => words(name).some((word) => CLIENT_WORDS.has(word)),
  },
  { name: "the module's daemon (nsqd, frps)", says: 'server', test: (name, { module }) => name === `${module}d` || name === `${module}s` },
  {
    name: "the module's client (frpc, etcdctl)",
    says: 'client',
    test: (name, { module }) => ['c', 'ctl', 'cli', 'client'].some((suffix) => name === module + suffix),
  },
  {
    name: "a client's twin (Xs beside Xc)",
    says: 'server',
    test: (name, { siblings }) => twin(name, /^(.+)[sd]$/, ['c', 'ctl', 'cli'], siblings),
  },
  {
    name: "a server's twin (Xc beside Xs)",
    says: 'client',
    test: (name, { siblings }) => twin(name, /^(.+)(?:c|ctl|cli)$/, ['s', 'd'], siblings),
  },
];

/** What the main's names say, by the first name any entry recognizes; the module's own name says nothing more. */
function nameRole(context: RankContext): { role: NameRole; name: string } | undefined {
  for (const name of namesOf(context.main, context.elements, context.declared).filter((item) => item !== context.module)) {
    const role = NAME_ROLES.find((item) => item.test(name, context));
    if (role) return { role, name };
  }
  return undefined;
}

/** Which Dockerfiles of the project run or build the main. */
function dockerfilesFor(context: RankContext, how: 'runs' | 'builds'): string[] {
  const names = namesOf(context.main, context.elements, context.declared);
  const named = (list: readonly string[]) =>
    list.some((item) => names.some((name) => item.toLowerCase() === name || item.toLowerCase().startsWith(`${name}-`)));
  return (context.buildInfo.dockerfiles ?? [])
    .filter((file) =>
      how === 'runs'
        ? named(file.runs)
        : file.packages.some((path) => normaliseMain(path) === context.main.packagePath) || named(file.outputs),
    )
    .map((file) => file.path);
}

export interface ProductSignal {
  name: string;
  /** Points, and the reason to show; undefined when the signal says nothing of this main. */
  score: (context: RankContext) => { points: number; reason?: string } | undefined;
}

/** The evidence a person weighs to tell the product from its tools, strongest first; the points add up. */
export const PRODUCT_SIGNALS: readonly ProductSignal[] = [
  {
    name: 'the release config builds it (first listed: most)',
    score: ({ declaredIndex }) =>
      declaredIndex < 0 ? undefined : { points: declaredIndex === 0 ? 100 : 60, reason: 'built by the release config' },
  },
  {
    name: 'the release config publishes it as an image (goreleaser dockers:, kos:)',
    score: ({ main, buildInfo }) => {
      const [first] = buildInfo.imageIds ?? [];
      const published =
        first !== undefined &&
        buildInfo.builds.some((build) => build.id === first && normaliseMain(declaredPath(build)) === main.packagePath);
      return published ? { points: 30, reason: 'published as an image by the release config' } : undefined;
    },
  },
  {
    name: "the project's own Dockerfile runs it (ENTRYPOINT/CMD)",
    score: (context) => {
      const [path] = dockerfilesFor(context, 'runs');
      return path === undefined ? undefined : { points: 40, reason: `run by ${path}` };
    },
  },
  {
    name: "the project's own Dockerfile builds it (go build)",
    score: (context) => {
      const [path] = dockerfilesFor(context, 'builds');
      return path === undefined || dockerfilesFor(context, 'runs').length > 0 ? undefined : { points: 20, reason: `built by ${path}` };
    },
  },
  {
    name: "the project's own Dockerfile exposes its port",
    score: ({ main, buildInfo }) => {
      const port = main.listen.port;
      const file = port === undefined ? undefined : buildInfo.dockerfiles?.find((item) => item.exposes.includes(port));
      return file ? { points: 15, reason: `its port is the one ${file.path} exposes` } : undefined;
    },
  },
  {
    name: 'named like the module',
    score: ({ main, elements, module, declared }) => {
      const last = (elements[elements.length - 1] ?? '').toLowerCase();
      const named = last === module || main.binaryName.toLowerCase() === module || declared?.binary?.toLowerCase() === module;
      return named ? { points: 40, reason: `named like the module (${module})` } : undefined;
    },
  },
  {
    name: 'cmd/<name>, else the module root',
    score: ({ main, elements }) =>
      elements.length === 2 && elements[0] === 'cmd'
        ? { points: 20, reason: 'cmd/<name>' }
        : main.packagePath === '.'
          ? { points: 15, reason: 'the module root' }
          : undefined,
  },
  { name: 'serves', score: ({ main }) => (main.serves ? { points: 30, reason: 'serves' } : undefined) },
  {
    name: 'a listen port in its own flag set or config',
    score: ({ main }) => (main.listen.port === undefined ? undefined : { points: 15, reason: `listens on ${main.listen.port}` }),
  },
  {
    name: 'its name says server or client (NAME_ROLES)',
    score: (context) => {
      const role = nameRole(context);
      if (!role) return undefined;
      return role.role.says === 'server' ? { points: 25, reason: `named like a server (${role.name})` } : { points: -25 };
    },
  },
  { name: 'a deeper path', score: ({ elements }) => ({ points: -2 * elements.length }) },
];

function declaredPath(build: DeclaredBuild): string {
  return build.dir ? `${build.dir}/${build.main}` : build.main;
}

export function rankMains(mains: readonly MainPackage[], modulePath: string, buildInfo: BuildInfo): RankedMain[] {
  const module = moduleName(modulePath).toLowerCase();
  const siblings = mains.flatMap((main) => namesOf(main, main.packagePath === '.' ? [] : main.packagePath.slice(2).split('/')));
  return mains
    .map((main): RankedMain => {
      const declaredIndex = buildInfo.builds.findIndex((build) => normaliseMain(declaredPath(build)) === main.packagePath);
      const declared = declaredIndex >= 0 ? buildInfo.builds[declaredIndex] : undefined;
      const elements = main.packagePath === '.' ? [] : main.packagePath.slice(2).split('/');
      const context: RankContext = { main, elements, module, declaredIndex, buildInfo, siblings, ...(declared ? { declared } : {}) };
      const reasons: string[] = [];
      let score = 0;
      for (const signal of PRODUCT_SIGNALS) {
        const said = signal.score(context);
        if (!said) continue;
        score += said.points;
        if (said.reason !== undefined) reasons.push(said.reason);
      }
      const product = main.role === 'main' || declared !== undefined;
      if (!product) score -= 200;
      return { main, score, reasons, product, ...(declared ? { declared } : {}) };
    })
    .sort((a, b) => b.score - a.score || (a.main.packagePath < b.main.packagePath ? -1 : a.main.packagePath > b.main.packagePath ? 1 : 0));
}

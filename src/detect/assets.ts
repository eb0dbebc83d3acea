// Embedded files that are not in the checkout: a //go:embed pattern of an image's packages that
// matches nothing in the build context (web/dist is made by an npm build: the docker build fails
// at go build, after minutes) or only placeholders (a .gitkeep, a README: an image without its UI
// that builds). Each such pattern gets the repository's own way out, found by the recognizers of
// WAYS_OUT (a package.json build script, a Makefile target, a build tag that drops the files, a
// script, mkdocs), or a generic fix. The context is read through a ContextView, so the checks are
// pure functions of a small fixture; contextView is the one on disk. The .dockerignore we write
// keeps every embed pattern ("!" exceptions), so what is on disk is what the build sees.
import { readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { readOptionalInputFile } from '../io/read.js';
import { pathMatch } from '../values/glob.js';
import type { EmbedUse } from './analyze.js';
import { buildLine } from './constraints.js';

/** A read-only view of the build context, by context-relative posix paths ("" is the root). */
export interface ContextView {
  /** A directory's entries (regular files and directories; links are left out, as go:embed refuses them), or undefined. */
  list(dir: string): { name: string; dir: boolean }[] | undefined;
  /** A small regular file's text, or undefined. */
  read(path: string): string | undefined;
}

export interface AssetProblem {
  embed: EmbedUse;
  /**
   * nothing: go build fails ("no matching files found"); placeholders: it builds, without the
   * files; untracked: they are here, but .gitignore keeps them out of git, so a fresh checkout
   * (CI) has none.
   */
  kind: 'nothing' | 'placeholders' | 'untracked';
  /** The placeholder files it holds, context-relative. */
  placeholders: string[];
  /** The directory (or path) the pattern expects, context-relative. */
  expected: string;
  /** The repository's own ways to make the files (makes) or to build without them, best first; empty: none found. */
  waysOut: { text: string; makes: boolean }[];
}

/** Files a repository commits to keep a directory that a build fills: they are not the assets. */
const PLACEHOLDER_FILES: readonly { name: string; pattern: RegExp }[] = [
  { name: 'git keep file', pattern: /^\.(?:git)?keep$/i },
  { name: 'ignore file', pattern: /^\.(?:git|docker)ignore$/i },
  { name: 'readme', pattern: /^readme(?:\.(?:md|txt|rst))?$/i },
  { name: 'placeholder', pattern: /^\.?(?:placeholder|empty|dummy)(?:\.\w+)?$/i },
];

const isPlaceholder = (name: string) => PLACEHOLDER_FILES.some((entry) => entry.pattern.test(name));

/** At most this many entries are looked at per pattern: enough to find one real file in any dist/. */
const MAX_ENTRIES = 20_000;

/** The embed patterns that match nothing or only placeholders, each with its ways out. */
export function checkEmbeds(embeds: readonly EmbedUse[], view: ContextView): AssetProblem[] {
  const problems: AssetProblem[] = [];
  const seen = new Set<string>();
  for (const embed of embeds) {
    const key = `${embed.where} ${embed.pattern}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const found = embeddedFiles(embed, view);
    if (found === undefined) continue;
    const expected = literalPrefix(embed);
    if (found.files.length === 0)
      problems.push({ embed, kind: 'nothing', placeholders: [], expected, waysOut: waysOut(expected, embed, view) });
    else if (found.viaDirectory && found.files.every((file) => isPlaceholder(posix.basename(file))))
      problems.push({ embed, kind: 'placeholders', placeholders: found.files, expected, waysOut: waysOut(expected, embed, view) });
    else if (gitIgnored(expected, view))
      problems.push({ embed, kind: 'untracked', placeholders: [], expected, waysOut: waysOut(expected, embed, view) });
  }
  return problems;
}

/**
 * A .gitignore (the root's, or one in a directory above the path) with a line naming the path
 * itself (ntfy's server/site/, frp's dist in web/frps/.gitignore): a local build made the files.
 * Only plain lines are read; a glob is left alone.
 */
function gitIgnored(expected: string, view: ContextView): boolean {
  return ancestors(posix.dirname(expected)).some((dir) => {
    const text = view.read(dir === '' ? '.gitignore' : `${dir}/.gitignore`);
    const relative = dir === '' ? expected : expected.slice(dir.length + 1);
    const name = posix.basename(expected);
    return (text ?? '').split(/\r?\n/).some((line) => {
      const rule = line.trim().replace(/\/$/, '');
      return rule === `/${relative}` || rule === relative || (rule === name && !rule.includes('/'));
    });
  });
}

/** The pattern's elements before the first glob: static/*.css -> static; a glob at the start: the package's directory. */
function literalPrefix(embed: EmbedUse): string {
  const elements = embed.pattern.split('/');
  const glob = elements.findIndex((element) => /[*?[\\]/.test(element));
  return glob < 0 ? embed.pattern : glob === 0 ? embed.packageDir : elements.slice(0, glob).join('/');
}

/**
 * The files go:embed would embed: a matched file itself, a matched directory's files (without
 * . and _ names unless all:). viaDirectory: some came from a directory or a glob, not a name
 * written out (an explicit README.md is the asset, not a placeholder). undefined: a pattern
 * go build rejects anyway.
 */
function embeddedFiles(embed: EmbedUse, view: ContextView): { files: string[]; viaDirectory: boolean } | undefined {
  let matches = [''];
  try {
    for (const element of embed.pattern.split('/')) {
      const next: string[] = [];
      for (const dir of matches) {
        const entries = view.list(dir) ?? [];
        for (const entry of entries) if (pathMatch(element, entry.name)) next.push(dir === '' ? entry.name : `${dir}/${entry.name}`);
      }
      matches = next;
    }
  } catch {
    return undefined;
  }
  const files: string[] = [];
  let viaDirectory = /[*?[]/.test(embed.pattern);
  let budget = MAX_ENTRIES;
  const walk = (dir: string) => {
    for (const entry of view.list(dir) ?? []) {
      if (--budget < 0 || files.some((file) => !isPlaceholder(posix.basename(file)))) return;
      if (!embed.all && /^[._]/.test(entry.name)) continue;
      const path = `${dir}/${entry.name}`;
      if (entry.dir) walk(path);
      else files.push(path);
    }
  };
  for (const match of matches) {
    if (view.list(match) === undefined) {
      files.push(match);
      continue;
    }
    viaDirectory = true;
    walk(match);
  }
  return { files, viaDirectory };
}

/** One way the repository makes (or drops) the embedded files, found from the expected path. */
interface WayOut {
  name: string;
  /** It makes the files; else it builds without them. */
  makes: boolean;
  find: (expected: string, embed: EmbedUse, view: ContextView) => string | undefined;
}

/** The recognizers, best first: every one that finds something is offered. */
const WAYS_OUT: readonly WayOut[] = [
  { name: 'Makefile target', makes: true, find: (expected, _embed, view) => makeTarget(expected, view) },
  { name: 'package.json build script', makes: true, find: (expected, _embed, view) => packageBuild(expected, view) },
  { name: 'shell script', makes: true, find: (expected, _embed, view) => buildScript(expected, view) },
  { name: 'mkdocs site_dir', makes: true, find: (expected, _embed, view) => mkdocsSite(expected, view) },
  { name: 'build tag that drops the files', makes: false, find: (_expected, embed, view) => droppingTag(embed, view) },
];

function waysOut(expected: string, embed: EmbedUse, view: ContextView): AssetProblem['waysOut'] {
  return WAYS_OUT.flatMap((way) => {
    const text = way.find(expected, embed, view);
    return text === undefined ? [] : [{ text, makes: way.makes }];
  });
}

/** The directories from the path's own up to the root: web/frps/dist, web/frps, web, "". */
function ancestors(path: string): string[] {
  const dirs: string[] = [];
  for (let dir = path; ; dir = posix.dirname(dir)) {
    dirs.push(dir === '.' ? '' : dir);
    if (dir === '.' || dir === '' || dir === '/') return dirs;
  }
}

/** Shell commands of a recipe or script that only make room (mkdir, rm, touch, echo) write nothing there. */
const ROOM_ONLY = /^\s*(?:@|-)?\s*(?:mkdir|rm|touch|echo|test|\[|ls|cat)\b/;

/** Whether a command line mentions the path (as itself, or from a sub-directory: ../server/site). */
function mentions(command: string, path: string): boolean {
  return new RegExp(`(?:^|[\\s"'=/(:])${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:/?[\\s"';)]|/?$)`).test(command);
}

/** Commands of a Makefile recipe or a script, continuation lines joined, split at && and ;. */
function commands(lines: readonly string[]): string[] {
  return lines
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split(/\n|&&|;/)
    .filter((command) => !/^\s*#/.test(command));
}

/**
 * A Makefile target whose recipe writes the path (ntfy's web-build: mv build ../server/site) or
 * builds its directory (frp's frps-web: $(MAKE) -C web/frps build); a target that runs it first
 * and is named by a word of its name (web: web-deps web-build) is offered instead, since it
 * also installs what the build needs.
 */
function makeTarget(expected: string, view: ContextView): string | undefined {
  const text = view.read('Makefile') ?? view.read('makefile') ?? view.read('GNUmakefile');
  if (text === undefined) return undefined;
  const recipes = new Map<string, { prerequisites: string[]; lines: string[] }>();
  let current: { prerequisites: string[]; lines: string[] } | undefined;
  for (const line of text.split(/\r?\n/)) {
    const rule = /^([A-Za-z0-9][\w.-]*)\s*:(?!=)\s*([^=#]*)$/.exec(line);
    if (rule) {
      current = { prerequisites: rule[2]!.split(/\s+/).filter(Boolean), lines: [] };
      recipes.set(rule[1]!, current);
    } else if (current && /^\t/.test(line)) current.lines.push(line);
    else if (!/^\s*$/.test(line) && !/^\s+/.test(line)) current = undefined;
  }
  const builders = [expected, posix.dirname(expected)].filter((dir) => dir !== '.' && dir !== '');
  const writes = (command: string) =>
    !ROOM_ONLY.test(command) &&
    (mentions(command, expected) || builders.some((dir) => new RegExp(`(?:-C|cd)\\s+["']?${dir}["']?(?:\\s|$)`).test(command)));
  const target = [...recipes].find(([, recipe]) => commands(recipe.lines).some(writes))?.[0];
  if (target === undefined) return undefined;
  const words = target.split(/[-_]/);
  const parent = [...recipes].find(([name, recipe]) => recipe.prerequisites.includes(target) && words.includes(name))?.[0];
  return `make ${parent ?? target} (Makefile)`;
}

/** Lock files and the command that runs a package.json script with their package manager. */
const PACKAGE_MANAGERS: readonly { lockFile: string; run: string }[] = [
  { lockFile: 'pnpm-lock.yaml', run: 'pnpm install && pnpm run build' },
  { lockFile: 'yarn.lock', run: 'yarn install && yarn build' },
  { lockFile: 'bun.lockb', run: 'bun install && bun run build' },
  { lockFile: 'package-lock.json', run: 'npm ci && npm run build' },
];

/** A package.json with a build script in the expected directory or above it (frp's web/frps for web/frps/dist). */
function packageBuild(expected: string, view: ContextView): string | undefined {
  for (const dir of ancestors(expected)) {
    const text = view.read(dir === '' ? 'package.json' : `${dir}/package.json`);
    if (text === undefined || !/"scripts"\s*:\s*\{[^}]*"build"\s*:/.test(text)) continue;
    const lockDirs = ancestors(dir);
    const manager = PACKAGE_MANAGERS.find((entry) =>
      lockDirs.some((lockDir) => view.read(posix.join(lockDir, entry.lockFile)) !== undefined),
    );
    return `${manager?.run ?? 'npm install && npm run build'} in ${dir === '' ? 'the repository root' : `${dir}/`} (package.json)`;
  }
  return undefined;
}

/** A shell script at the root or in scripts/ that writes the path (alist's build.sh fetches public/dist). */
function buildScript(expected: string, view: ContextView): string | undefined {
  for (const dir of ['', 'scripts', 'script', 'build']) {
    for (const entry of view.list(dir) ?? []) {
      if (entry.dir || !entry.name.endsWith('.sh')) continue;
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      const text = view.read(path);
      if (
        text !== undefined &&
        commands(text.split(/\r?\n/)).some((command) => !/^\s*mkdir\b/.test(command) && mentions(command, expected))
      )
        return `./${path} (it writes ${expected})`;
    }
  }
  return undefined;
}

/** mkdocs.yml whose site_dir is the path (ntfy's server/docs). */
function mkdocsSite(expected: string, view: ContextView): string | undefined {
  const text = view.read('mkdocs.yml') ?? view.read('mkdocs.yaml');
  const siteDir = text === undefined ? undefined : /^site_dir:\s*["']?([^"'\s#]+)/m.exec(text)?.[1];
  return siteDir !== undefined && siteDir.replace(/^\.\/|\/$/g, '') === expected ? 'mkdocs build (mkdocs.yml site_dir)' : undefined;
}

/**
 * A build tag that drops the embedding file (//go:build !noweb) when another file of the package
 * builds with it (//go:build noweb): frp's noweb, nogui, nobrowser. The image then has no UI.
 */
function droppingTag(embed: EmbedUse, view: ContextView): string | undefined {
  for (const [, tag] of (embed.buildLine ?? '').matchAll(/!\s*([A-Za-z0-9_.]+)/g)) {
    const siblings = (view.list(embed.packageDir) ?? []).filter((entry) => !entry.dir && entry.name.endsWith('.go'));
    const stub = siblings.some((entry) => {
      const text = view.read(embed.packageDir === '' ? entry.name : `${embed.packageDir}/${entry.name}`);
      const line = text === undefined ? undefined : buildLine(text);
      return line !== undefined && new RegExp(`(?:^|[^!\\w.])${tag!.replace(/\./g, '\\.')}(?![\\w.])`).test(line);
    });
    if (stub) return `--tags ${tag!} (${embed.where.replace(/:\d+$/, '')} is //go:build ${embed.buildLine!})`;
  }
  return undefined;
}

/** The build context on disk. */
export function contextView(root: string): ContextView {
  return {
    list(dir) {
      try {
        return readdirSync(join(root, dir), { withFileTypes: true })
          .filter((entry) => entry.isFile() || entry.isDirectory())
          .map((entry) => ({ name: entry.name, dir: entry.isDirectory() }));
      } catch {
        return undefined;
      }
    },
    read(path) {
      try {
        return readOptionalInputFile(join(root, path), { maxBytes: 256 * 1024, truncate: true, noFollow: true });
      } catch {
        return undefined;
      }
    },
  };
}

// How the project builds itself, read from the files release tooling keeps: .goreleaser.y(a)ml
// and .promu.yml (main packages, binary names, build tags), a Makefile's -tags, and the Go
// version in .go-version. Only obvious, literal values are taken; templates and variables are
// left alone. Pure: text in, data out.

export interface DeclaredBuild {
  /** The main package, as written (./cmd/gh, ., ./examples/base). */
  main: string;
  /** The binary name the project gives it, when declared. */
  binary?: string;
  /** Directory the build runs in (goreleaser "dir:"), relative to the repository. */
  dir?: string;
  /** goreleaser's build id, which dockers: and kos: name. */
  id?: string;
  /** The build's own literal tags (tags:, flags: -tags=...), when it declares some. */
  tags?: string[];
}

/** What a hand-written Dockerfile of the project builds and runs. */
export interface DockerfileEvidence {
  /** Where it is, relative to the project. */
  path: string;
  /** Packages its go build/go install lines build (./cmd/frps). */
  packages: string[];
  /** Binaries its ENTRYPOINT/CMD runs, or the files copied to where it runs them (toxiproxy-server-linux-*, as a prefix). */
  runs: string[];
  /** Binaries its go build -o lines write. */
  outputs: string[];
  /** Its EXPOSE ports. */
  exposes: number[];
}

/** A `go build`/`go install` command in one of the project's build files, with its literal -tags. */
export interface ScriptBuild {
  /** The main package it builds, as written (./cmd/frps, .). */
  main: string;
  /** Its -tags, variables expanded where the file assigns them a literal ($(NOWEB_TAG) of a $(shell ...) dropped). */
  tags: string[];
  /** Where: the file and, for a Makefile, the target (Makefile: frps). */
  source: string;
  /** The Makefile target whose recipe runs it. */
  target?: string;
}

export interface BuildInfo {
  /** Builds release tooling declares for linux (a darwin- or windows-only build is left out), in file order. */
  builds: DeclaredBuild[];
  /** Build ids the release config publishes as container images (goreleaser dockers:, kos:), in file order. */
  imageIds?: string[];
  /** The project's own Dockerfiles (not ours). */
  dockerfiles?: DockerfileEvidence[];
  /** go build commands of the project's Dockerfiles, Makefile and build scripts (BUILD_SCRIPTS), in that order. */
  scriptBuilds?: ScriptBuild[];
  /** Build tags the release (its linux builds) or the Makefile uses (literal ones only). */
  tags: string[];
  /** Where the tags came from, for a note. */
  tagsSource?: string;
  /** A Go version from .go-version (or the promu config), when the project pins one. */
  goVersion?: string;
  goVersionSource?: string;
}

const TAG = /^[A-Za-z0-9_.]+$/;

/** A goreleaser build item while it is read: its own keys, the anchors it merges, its systems. */
interface ReleaseItem {
  own: Partial<DeclaredBuild> & { goos?: string[] };
  merges: string[];
  skip: boolean;
}

/**
 * builds: [...] of .goreleaser.yml, read line by line (no YAML library: start-up stays light):
 * each item's id, main, dir, binary, tags and goos, YAML anchors and merges (`- &default` ...
 * `<<: *default`) followed; skipped builds and builds for other systems only (ntfy's darwin and
 * windows builds with noserver) dropped; and the build ids dockers:/kos: publish as images.
 */
export function readGoreleaser(text: string): Pick<BuildInfo, 'builds' | 'tags' | 'imageIds'> {
  const items: ReleaseItem[] = [];
  const anchors = new Map<string, ReleaseItem>();
  const imageIds: string[] = [];
  let current: ReleaseItem | undefined;
  let itemIndent = -1;
  let keyColumn = -1;
  let list: 'tags' | 'goos' | 'flags' | undefined;
  let section = '';
  let inIds = false;
  let projectName: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\s+#.*$/, '');
    if (/^\s*$/.test(line)) continue;
    const top = /^([A-Za-z_][\w-]*):/.exec(line);
    if (top) {
      section = top[1]!;
      itemIndent = -1;
      current = undefined;
      list = undefined;
      const project = /^project_name:\s*["']?([A-Za-z0-9._-]+)["']?\s*$/.exec(line);
      if (project) projectName = project[1]!;
      continue;
    }
    if (section === 'builds') {
      const dash = /^(\s*)-(\s+)(?:&([\w-]+)\s*)?(.*)$/.exec(line);
      if (dash && (itemIndent < 0 || dash[1]!.length === itemIndent)) {
        itemIndent = dash[1]!.length;
        keyColumn = itemIndent + 1 + dash[2]!.length;
        current = { own: {}, merges: [], skip: false };
        items.push(current);
        if (dash[3]) anchors.set(dash[3], current);
        list = dash[4]!.trim() === '' ? undefined : readBuildField(current, dash[4]!.trim(), projectName);
        continue;
      }
      if (!current) continue;
      const indent = /^\s*/.exec(line)![0].length;
      const listItem = /^\s*-\s*["']?([^"'\s]+)["']?\s*$/.exec(line);
      if (list && listItem && indent >= keyColumn) {
        addBuildValue(current, list, listItem[1]!);
        continue;
      }
      list = indent === keyColumn ? readBuildField(current, line.trim(), projectName) : undefined;
      continue;
    }
    if (/^(?:dockers|dockers_v2|kos)$/.test(section)) {
      const build = /^\s*-?\s*build:\s*["']?([\w.-]+)["']?\s*$/.exec(line);
      if (build && !imageIds.includes(build[1]!)) imageIds.push(build[1]!);
      if (/^\s*ids:\s*$/.test(line)) inIds = true;
      else if (inIds) {
        const id = /^\s*-\s*["']?([\w.-]+)["']?\s*$/.exec(line);
        if (id) {
          if (!imageIds.includes(id[1]!)) imageIds.push(id[1]!);
        } else inIds = false;
      }
      const inline = /^\s*ids:\s*\[([^\]]*)\]/.exec(line);
      if (inline)
        for (const id of inline[1]!.split(',').map((item) => item.trim().replace(/^["']|["']$/g, '')))
          if (id !== '' && !imageIds.includes(id)) imageIds.push(id);
    }
  }
  /** An item with what it merges from its anchors (its own keys win), two levels deep at most. */
  const resolve = (item: ReleaseItem, depth = 0): ReleaseItem => {
    let merged: ReleaseItem = { own: {}, merges: [], skip: false };
    for (const name of item.merges) {
      const anchor = anchors.get(name);
      if (anchor !== undefined && anchor !== item && depth < 2) {
        const inherited = resolve(anchor, depth + 1);
        merged = { own: { ...merged.own, ...inherited.own }, merges: [], skip: merged.skip || inherited.skip };
      }
    }
    return { own: { ...merged.own, ...item.own }, merges: [], skip: merged.skip || item.skip };
  };
  const linux = items
    .map((item) => resolve(item))
    .filter((item) => !item.skip && (item.own.goos === undefined || item.own.goos.includes('linux')));
  const tags = [...new Set(linux.flatMap((item) => item.own.tags ?? []))];
  const builds = linux.map(({ own: { goos: _goos, ...build } }): DeclaredBuild => ({ ...build, main: build.main ?? '.' }));
  return { builds, tags, ...(imageIds.length > 0 ? { imageIds } : {}) };
}

/** One "key: value" of a build item; the list it starts (tags:, goos:, flags: with the items below), if any. */
function readBuildField(item: ReleaseItem, field: string, projectName: string | undefined): 'tags' | 'goos' | 'flags' | undefined {
  const merge = /^<<:\s*\*([\w-]+)/.exec(field);
  if (merge) {
    item.merges.push(merge[1]!);
    return undefined;
  }
  const [, key, rawValue] = /^([A-Za-z_]+):\s*(.*)$/.exec(field) ?? [];
  const value = (rawValue ?? '').trim();
  const build = item.own;
  if (key === 'main' || key === 'dir') {
    const path = /^["']?([^"'{}\s]+)["']?$/.exec(value)?.[1];
    if (path) build[key] = path;
  } else if (key === 'id') {
    const id = /^["']?([A-Za-z0-9._-]+)["']?$/.exec(value)?.[1];
    if (id) build.id = id;
  } else if (key === 'binary') {
    const name = literalBinaryName(value.replace(/^["']|["']$/g, ''), () => projectName);
    if (name) build.binary = name;
  } else if (key === 'skip') {
    if (/^["']?true["']?$/.test(value)) item.skip = true;
  } else if (key === 'tags' || key === 'goos' || key === 'flags') {
    if (value === '') return key;
    const entries = /^\[(.*)\]$/.exec(value)?.[1]?.split(',') ?? [value];
    for (const entry of entries) addBuildValue(item, key, entry.trim().replace(/^["']|["']$/g, ''));
  }
  return undefined;
}

/** A tag, a GOOS, or a flag (only -tags=a,b counts) of a build item. */
function addBuildValue(item: ReleaseItem, key: 'tags' | 'goos' | 'flags', value: string): void {
  const build = item.own;
  if (key === 'goos') {
    (build.goos ??= []).push(value);
    return;
  }
  const tags = key === 'tags' ? [value] : (/^-tags[= ](.+)$/.exec(value)?.[1]?.split(/[,\s]+/) ?? []);
  for (const tag of tags) if (TAG.test(tag) && !(build.tags ?? []).includes(tag)) (build.tags ??= []).push(tag);
}

/**
 * A binary: value as a name: "bin/gh" -> gh, "{{ .ProjectName }}" -> the project_name,
 * "remark42.{{ .Os }}-{{ .Arch }}" -> remark42 (the literal part before the template).
 */
function literalBinaryName(value: string, projectName: () => string | undefined): string | undefined {
  const expanded = value.replace(/\{\{\s*\.ProjectName\s*\}\}/g, () => projectName() ?? '{{}}');
  const literal = expanded
    .split('{{')[0]!
    .split('/')
    .pop()!
    .replace(/[._-]+$/, '');
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(literal) ? literal : undefined;
}

/** .promu.yml: build.binaries (name, path), build.tags.all and .linux, go.version. */
export function readPromu(text: string): Pick<BuildInfo, 'builds' | 'tags' | 'goVersion'> {
  const builds: DeclaredBuild[] = [];
  const tags: string[] = [];
  let goVersion: string | undefined;
  let section = '';
  let pendingName: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\s+#.*$/, '');
    const top = /^([a-z_]+):/.exec(line);
    if (top) section = top[1]!;
    const name = /^\s*-\s*name:\s*(\S+)/.exec(line);
    if (name) pendingName = name[1]!;
    const path = /^\s*path:\s*(\S+)/.exec(line);
    if (path && pendingName) {
      builds.push({ main: path[1]!, binary: pendingName });
      pendingName = undefined;
    }
    const version = /^\s*version:\s*["']?(\d+\.\d+(?:\.\d+)?)["']?\s*$/.exec(line);
    if (section === 'go' && version) goVersion = version[1]!;
    const allTags = /^\s*(?:all|linux):\s*\[([^\]]*)\]/.exec(line);
    if (section === 'build' && allTags)
      for (const tag of allTags[1]!.split(',').map((item) => item.trim())) if (TAG.test(tag) && !tags.includes(tag)) tags.push(tag);
    // build.flags: -a -tags netgo (kafka_exporter): the flags promu passes to every go build.
    const flags = /^\s*flags:\s*(.+)$/.exec(line);
    if (section === 'build' && flags) for (const tag of tagsOfWords(shellWords(flags[1]!))) if (!tags.includes(tag)) tags.push(tag);
  }
  return { builds, tags, ...(goVersion ? { goVersion } : {}) };
}

/**
 * A hand-written Dockerfile's evidence of the product: the packages its go build lines build and
 * the binaries they write (-o bin/frps), what ENTRYPOINT/CMD runs (through a COPY to that path:
 * `COPY toxiproxy-server-linux-* /toxiproxy` makes /toxiproxy the toxiproxy-server build), and EXPOSE.
 */
export function readDockerfile(path: string, text: string): DockerfileEvidence {
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  const packages: string[] = [];
  const outputs: string[] = [];
  const runs: string[] = [];
  const exposes: number[] = [];
  const copies = new Map<string, string>();
  const add = (list: string[], value: string) => {
    if (value !== '' && !list.includes(value)) list.push(value);
  };
  const base = (value: string) => value.replace(/\/+$/, '').split('/').pop()!;
  for (const line of lines) {
    for (const build of line.matchAll(/\bgo\s+(?:build|install)\b([^&;|]*)/g)) {
      const words = build[1]!.trim().split(/\s+/);
      words.forEach((word, index) => {
        if (words[index - 1] === '-o') add(outputs, base(word));
        else if (/^\.(?:\/[\w./-]*)?$/.test(word) && words[index - 1] !== '-o') add(packages, word.replace(/\/(?:\.\.\.)?$/, '') || '.');
      });
    }
    const copy = /^\s*(?:COPY|ADD)\s+(?:--\S+\s+)*(.+)$/i.exec(line);
    if (copy) {
      const words = copy[1]!.trim().split(/\s+/);
      const destination = words[words.length - 1]!;
      for (const source of words.slice(0, -1)) copies.set(destination, base(source));
    }
    const entry = /^\s*(?:ENTRYPOINT|CMD)\s+(.+)$/i.exec(line);
    if (entry) {
      const first = (/^\[\s*"([^"]+)"/.exec(entry[1]!)?.[1] ?? entry[1]!.trim().split(/\s+/)[0]!).trim();
      if (first.startsWith('-')) continue;
      add(runs, (copies.get(first) ?? base(first)).replace(/\*.*$/, ''));
    }
    const expose = /^\s*EXPOSE\s+(.+)$/i.exec(line);
    if (expose)
      for (const port of expose[1]!.split(/\s+/)) {
        const number = Number(port.replace(/\/(?:tcp|udp)$/i, ''));
        if (Number.isInteger(number) && number > 0 && number <= 65535 && !exposes.includes(number)) exposes.push(number);
      }
  }
  return { path, packages, runs, outputs, exposes };
}

/**
 * A Makefile's literal build tags: GOTAGS ?= a b, TAGS := a, or go build -tags "a,b" in the recipe
 * of the build target (the target named `build`, else the first one that runs go build): a
 * variant target beside it (build-sqlite: go build -tags sqlite3) is not the default build.
 */
export function readMakefileTags(text: string, builds: readonly ScriptBuild[] = readMakefileBuilds(text)): string[] {
  const tags: string[] = [];
  const add = (list: readonly string[]) => {
    for (const tag of list) if (TAG.test(tag) && !tags.includes(tag)) tags.push(tag);
  };
  for (const [name, value] of literalVariables(text)) if (/^(?:GO_?)?TAGS$/i.test(name)) add(value.split(/[ \t,]+/));
  const target = builds.some((build) => build.target === 'build') ? 'build' : builds[0]?.target;
  for (const build of builds) if (build.target === target) add(build.tags);
  return tags;
}

/** go build flags that take the next word as their value (so it is no package). */
const VALUE_FLAGS = new Set([
  '-o',
  '-ldflags',
  '-gcflags',
  '-asmflags',
  '-tags',
  '-mod',
  '-modfile',
  '-p',
  '-pkgdir',
  '-toolexec',
  '-overlay',
  '-pgo',
  '-C',
  '-buildmode',
  '-installsuffix',
  '-compiler',
  '-gccgoflags',
]);

/**
 * Words of a shell command, quotes removed ("frps$(NOWEB_TAG)" is one word, and so is
 * "-X main.v=$(git describe --tags) -s": its --tags is no flag of go build). Ends at an unquoted
 * &&, ||, ;, | or a comment.
 */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quote !== undefined) {
      if (char === quote && depth === 0) quote = undefined;
      else {
        if (char === '(' && text[index - 1] === '$') depth++;
        else if (char === ')' && depth > 0) depth--;
        word = (word ?? '') + char;
      }
    } else if (char === '"' || char === "'") {
      quote = char;
      word ??= '';
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if ((char === ';' || char === '|' || char === '&' || char === '#') && word === undefined) break;
    else if (char === ';') {
      words.push(word!);
      return words;
    } else word = (word ?? '') + char;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The literal tags of -tags x,y / -tags=x / --tags "x y" among a command's words. */
function tagsOfWords(words: readonly string[]): string[] {
  const tags: string[] = [];
  words.forEach((word, index) => {
    const value = /^--?tags=(.*)$/.exec(word)?.[1] ?? (/^--?tags$/.test(word) ? words[index + 1] : undefined);
    for (const tag of (value ?? '').split(/[\s,]+/)) if (TAG.test(tag) && !tags.includes(tag)) tags.push(tag);
  });
  return tags;
}

/**
 * The go build / go install commands of a build file's text (continuation lines joined), each
 * with the main packages it names (`.` when it names none) and its tags; $(VAR), ${VAR} and $VAR
 * expanded from `variables`, other references dropped.
 */
export function goBuildCommands(text: string, variables: ReadonlyMap<string, string>): { main: string; tags: string[]; line: string }[] {
  const commands: { main: string; tags: string[]; line: string }[] = [];
  const expand = (word: string) =>
    word.replace(
      /\$(?:\(([\w.-]+)\)|\{([\w.-]+)\}|([A-Za-z_]\w*))/g,
      (_all, a?: string, b?: string, c?: string) => variables.get(a ?? b ?? c!) ?? '',
    );
  for (const line of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    for (const match of line.matchAll(/(?:^|[\s;&|(])go[ \t]+(?:build|install)\b/g)) {
      const words = shellWords(line.slice(match.index + match[0].length)).map(expand);
      const mains: string[] = [];
      words.forEach((word, index) => {
        if (VALUE_FLAGS.has(words[index - 1] ?? '') || word.startsWith('-')) return;
        if (/^\.(?:\/[\w./-]*)?$/.test(word) && !word.endsWith('...')) mains.push(word.replace(/\/+$/, '') || '.');
      });
      const tags = tagsOfWords(words);
      for (const main of mains.length > 0 ? mains : ['.']) commands.push({ main, tags, line: line.trim() });
    }
  }
  return commands;
}

/** Literal assignments of a Makefile or shell script (NAME = value, NAME := value, NAME="value"): no $ in the value. */
function literalVariables(text: string): Map<string, string> {
  const variables = new Map<string, string>();
  for (const match of text.matchAll(/^[ \t]*(?:export[ \t]+)?([A-Za-z_]\w*)[ \t]*(?:[:?]?=)[ \t]*(.*)$/gm)) {
    const value = match[2]!.trim().replace(/^(["'])(.*)\1$/, '$2');
    if (!value.includes('$') && !variables.has(match[1]!)) variables.set(match[1]!, value);
  }
  return variables;
}

/** A Makefile's go build commands, each with the target whose recipe runs it. */
export function readMakefileBuilds(text: string): ScriptBuild[] {
  const variables = literalVariables(text);
  const builds: ScriptBuild[] = [];
  let target = '';
  for (const line of text.replace(/\\\r?\n/g, ' ').split('\n')) {
    const header = /^([\w./-]+)[ \t]*:(?!=)/.exec(line);
    if (header) target = header[1]!;
    else if (/^\t/.test(line) && target !== '')
      for (const command of goBuildCommands(line, variables))
        builds.push({ main: command.main, tags: command.tags, source: `Makefile: ${target}`, target });
  }
  return builds;
}

/** A shell script's or Dockerfile's go build commands. */
export function readScriptBuilds(source: string, text: string): ScriptBuild[] {
  return goBuildCommands(text, literalVariables(text)).map((command) => ({ main: command.main, tags: command.tags, source }));
}

/**
 * The tags the project's own build files give one main, when they agree: its Dockerfiles first
 * (the image the project ships), then the Makefile (the `build` target when targets disagree: a
 * `build-sqlite` variant is not the default), then build scripts. undefined when none builds it
 * or they disagree.
 */
export function scriptTagsFor(builds: readonly ScriptBuild[], main: string): { tags: string[]; source: string } | undefined {
  const own = builds.filter((build) => normaliseMain(build.main) === normaliseMain(main));
  const kinds = [
    (build: ScriptBuild) => /(?:^|\/)(?:Dockerfile[^/]*|[^/]+\.Dockerfile)$/i.test(build.source),
    (build: ScriptBuild) => build.target !== undefined,
    (build: ScriptBuild) => build.target === undefined,
  ];
  for (const kind of kinds) {
    let found = own.filter(kind);
    if (found.length === 0) continue;
    if (found.some((build) => !sameTags(build.tags, found[0]!.tags))) found = found.filter((build) => build.target === 'build');
    if (found.length === 0 || found.some((build) => !sameTags(build.tags, found[0]!.tags))) return undefined;
    return { tags: found[0]!.tags, source: found[0]!.source };
  }
  return undefined;
}

/** A main as a build file writes it, as a package path: "./cmd/x/", "cmd/x", "./x/main.go" -> "./cmd/x", "./x". */
export function normaliseMain(path: string): string {
  const trimmed = path
    .replace(/\/[^/]*\.go$/, '')
    .replace(/^[^/]*\.go$/, '.')
    .replace(/\/+$/, '')
    .replace(/^\.\//, '');
  return trimmed === '' || trimmed === '.' ? '.' : `./${trimmed}`;
}

/** The same tags, in any order. */
export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((tag) => b.includes(tag));
}

/** .go-version: one Go version, perhaps with a "go" prefix. */
export function readGoVersionFile(text: string): string | undefined {
  const version = text.trim().replace(/^go/, '');
  return /^1\.\d+(\.\d+)?$/.test(version) ? version : undefined;
}

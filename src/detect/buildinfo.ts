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
  /** The build's id (goreleaser "id:"), for notes. */
  id?: string;
  /** The build's own literal tags (tags:, flags: -tags=...), when it declares some. */
  tags?: string[];
}

export interface BuildInfo {
  /** Builds release tooling declares for linux (a darwin- or windows-only build is left out), in file order. */
  builds: DeclaredBuild[];
  /** Build tags the release (its linux builds) or the Makefile uses (literal ones only). */
  tags: string[];
  /** Where the tags came from, for a note. */
  tagsSource?: string;
  /** A Go version from .go-version (or the promu config), when the project pins one. */
  goVersion?: string;
  goVersionSource?: string;
}

const TAG = /^[A-Za-z0-9_.]+$/;

/** A goreleaser build while it is read: its systems and skip: decide whether it is the linux image's. */
type ReleaseBuild = DeclaredBuild & { goos?: string[]; skip?: boolean };

/** builds: [...] of .goreleaser.yml, read line by line (no YAML library: start-up stays light). */
export function readGoreleaser(text: string): Pick<BuildInfo, 'builds' | 'tags'> {
  const builds: ReleaseBuild[] = [];
  let current: ReleaseBuild | undefined;
  let section = '';
  let itemIndent = -1;
  let keyColumn = -1;
  let list: 'tags' | 'goos' | 'flags' | undefined;
  let projectName: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\s+#.*$/, '');
    if (/^\s*$/.test(line)) continue;
    const top = /^([A-Za-z_]+):/.exec(line);
    if (top) {
      section = top[1]!;
      current = undefined;
      list = undefined;
      const project = /^project_name:\s*["']?([A-Za-z0-9._-]+)["']?\s*$/.exec(line);
      if (project) projectName = project[1]!;
      continue;
    }
    if (section !== 'builds') continue;
    const item = /^(\s*)-(\s+)([A-Za-z_]+:.*)$/.exec(line);
    if (item && (itemIndent < 0 || item[1]!.length === itemIndent)) {
      itemIndent = item[1]!.length;
      keyColumn = itemIndent + 1 + item[2]!.length;
      current = { main: '.' };
      builds.push(current);
      list = undefined;
      readBuildField(current, item[3]!, projectName);
      continue;
    }
    if (!current) continue;
    const indent = /^\s*/.exec(line)![0].length;
    const listItem = /^\s*-\s*["']?([^"'\s]+)["']?\s*$/.exec(line);
    if (list && listItem && indent >= keyColumn) {
      addBuildValue(current, list, listItem[1]!);
      continue;
    }
    list = undefined;
    if (indent !== keyColumn) continue;
    const started = readBuildField(current, line.trim(), projectName);
    if (started) list = started;
  }
  // A build for other systems only (ntfy's darwin and windows builds with noserver), or one goreleaser skips, is not the image's.
  const linux = builds.filter((build) => !build.skip && (build.goos === undefined || build.goos.includes('linux')));
  const tags = [...new Set(linux.flatMap((build) => build.tags ?? []))];
  return { builds: linux.map(({ goos: _goos, skip: _skip, ...build }) => build), tags };
}

/** One "key: value" of a build; the list it starts (tags:, goos:, flags: with the items below), if any. */
function readBuildField(build: ReleaseBuild, field: string, projectName: string | undefined): 'tags' | 'goos' | 'flags' | undefined {
  const [, key, rawValue] = /^([A-Za-z_]+):\s*(.*)$/.exec(field) ?? [];
  const value = (rawValue ?? '').trim();
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
    if (/^["']?true["']?$/.test(value)) build.skip = true;
  } else if (key === 'tags' || key === 'goos' || key === 'flags') {
    if (value === '') return key;
    const items = /^\[(.*)\]$/.exec(value)?.[1]?.split(',') ?? [value];
    for (const entry of items) addBuildValue(build, key, entry.trim().replace(/^["']|["']$/g, ''));
  }
  return undefined;
}

/** A tag, a GOOS, or a flag (only -tags=a,b counts) of a build. */
function addBuildValue(build: ReleaseBuild, key: 'tags' | 'goos' | 'flags', value: string): void {
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
  }
  return { builds, tags, ...(goVersion ? { goVersion } : {}) };
}

/** A Makefile's literal build tags: GOTAGS ?= a b, TAGS := a, or go build -tags "a,b". */
export function readMakefileTags(text: string): string[] {
  const tags: string[] = [];
  const add = (list: string) => {
    for (const tag of list.split(/[\s,]+/).filter(Boolean)) if (TAG.test(tag) && !tags.includes(tag)) tags.push(tag);
  };
  for (const match of text.matchAll(/^\s*(?:GO_?)?TAGS\s*[:?]?=\s*(.*)$/gim)) if (!/\$/.test(match[1]!)) add(match[1]!);
  for (const match of text.matchAll(/go\s+build\b[^\n]*?-tags[= ]["']?([A-Za-z0-9_.,\s]+?)["']?(?:\s+-|\s*$)/gm))
    if (!/\$/.test(match[1]!)) add(match[1]!);
  return tags;
}

/** .go-version: one Go version, perhaps with a "go" prefix. */
export function readGoVersionFile(text: string): string | undefined {
  const version = text.trim().replace(/^go/, '');
  return /^1\.\d+(\.\d+)?$/.test(version) ? version : undefined;
}

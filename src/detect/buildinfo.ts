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
}

export interface BuildInfo {
  /** Builds release tooling declares, in file order. */
  builds: DeclaredBuild[];
  /** Build tags the release or the Makefile uses (literal ones only). */
  tags: string[];
  /** Where the tags came from, for a note. */
  tagsSource?: string;
  /** A Go version from .go-version (or the promu config), when the project pins one. */
  goVersion?: string;
  goVersionSource?: string;
}

const TAG = /^[A-Za-z0-9_.]+$/;

/** builds: [...] of .goreleaser.yml, read line by line (no YAML library: start-up stays light). */
export function readGoreleaser(text: string): Pick<BuildInfo, 'builds' | 'tags'> {
  const builds: DeclaredBuild[] = [];
  const tags: string[] = [];
  let current: DeclaredBuild | undefined;
  let inTags = false;
  let projectName: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\s+#.*$/, '');
    const item = /^\s*-\s+(?:id:|main:|binary:|dir:)/.test(line);
    if (item) {
      current = { main: '.' };
      builds.push(current);
    }
    const project = /^project_name:\s*["']?([A-Za-z0-9._-]+)["']?\s*$/.exec(line);
    if (project) projectName = project[1]!;
    const field = /^\s*-?\s*(main|dir):\s*["']?([^"'{}\s]+)["']?\s*$/.exec(line);
    if (field && current) {
      if (field[1] === 'main') current.main = field[2]!;
      else current.dir = field[2]!;
    }
    const binary = /^\s*-?\s*binary:\s*["']?([^"'\s][^"']*?)["']?\s*$/.exec(line);
    if (binary && current) {
      const name = literalBinaryName(binary[1]!, () => projectName);
      if (name) current.binary = name;
    }
    const inlineTags = /^\s*tags:\s*\[([^\]]*)\]/.exec(line);
    if (inlineTags)
      for (const tag of inlineTags[1]!.split(',').map((item) => item.trim().replace(/^["']|["']$/g, '')))
        if (TAG.test(tag) && !tags.includes(tag)) tags.push(tag);
    if (/^\s*tags:\s*$/.test(line)) {
      inTags = true;
      continue;
    }
    if (inTags) {
      const tag = /^\s*-\s*["']?([A-Za-z0-9_.]+)["']?\s*$/.exec(line);
      if (tag) {
        if (!tags.includes(tag[1]!)) tags.push(tag[1]!);
        continue;
      }
      inTags = false;
    }
  }
  return { builds: builds.filter((build) => build.main !== '' || build.binary !== undefined), tags };
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

/** .promu.yml: build.binaries (name, path), build.tags.all, go.version. */
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
    const allTags = /^\s*all:\s*\[([^\]]*)\]/.exec(line);
    if (section === 'build' && allTags)
      for (const tag of allTags[1]!.split(',').map((item) => item.trim())) if (TAG.test(tag)) tags.push(tag);
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

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

export interface BuildInfo {
  /** Builds release tooling declares, in file order. */
  builds: DeclaredBuild[];
  /** Build ids the release config publishes as container images (goreleaser dockers:, kos:), in file order. */
  imageIds?: string[];
  /** The project's own Dockerfiles (not ours). */
  dockerfiles?: DockerfileEvidence[];
  /** Build tags the release or the Makefile uses (literal ones only). */
  tags: string[];
  /** Where the tags came from, for a note. */
  tagsSource?: string;
  /** A Go version from .go-version (or the promu config), when the project pins one. */
  goVersion?: string;
  goVersionSource?: string;
}

const TAG = /^[A-Za-z0-9_.]+$/;

/**
 * builds: [...] of .goreleaser.yml, read line by line (no YAML library: start-up stays light):
 * each item's id, main, dir and binary, YAML anchors and merges (`- &default` ... `<<: *default`)
 * followed, skipped builds dropped; and the build ids dockers:/kos: publish as images.
 */
export function readGoreleaser(text: string): Pick<BuildInfo, 'builds' | 'tags' | 'imageIds'> {
  interface Item {
    own: Partial<DeclaredBuild>;
    merges: string[];
    skip: boolean;
  }
  const items: Item[] = [];
  const anchors = new Map<string, Item>();
  const tags: string[] = [];
  const imageIds: string[] = [];
  let current: Item | undefined;
  let itemIndent = -1;
  let section = '';
  let inTags = false;
  let inIds = false;
  let projectName: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\s+#.*$/, '');
    const top = /^([A-Za-z_][\w-]*):/.exec(line);
    if (top) {
      section = top[1]!;
      itemIndent = -1;
      current = undefined;
    }
    const project = /^project_name:\s*["']?([A-Za-z0-9._-]+)["']?\s*$/.exec(line);
    if (project) projectName = project[1]!;
    const dash = /^(\s*)-\s+(?:&([\w-]+)\s*)?/.exec(line);
    if (section === 'builds' && dash && (itemIndent < 0 || dash[1]!.length === itemIndent)) {
      itemIndent = dash[1]!.length;
      current = { own: {}, merges: [], skip: false };
      items.push(current);
      if (dash[2]) anchors.set(dash[2], current);
    }
    if (section === 'builds' && current) {
      const merge = /^\s*-?\s*<<:\s*\*([\w-]+)/.exec(line);
      if (merge) current.merges.push(merge[1]!);
      const field = /^\s*-?\s*(?:&[\w-]+\s+)?(main|dir|id):\s*["']?([^"'{}\s]+)["']?\s*$/.exec(line);
      if (field) current.own[field[1] as 'main' | 'dir' | 'id'] = field[2]!;
      if (/^\s*-?\s*skip:\s*true\s*$/.test(line)) current.skip = true;
      const binary = /^\s*-?\s*binary:\s*["']?([^"'\s][^"']*?)["']?\s*$/.exec(line);
      if (binary) {
        const name = literalBinaryName(binary[1]!, () => projectName);
        if (name) current.own.binary = name;
      }
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
  /** An item with what it merges from its anchors (its own keys win), two levels deep at most. */
  const resolve = (item: Item, depth = 0): Item => {
    let merged: Item = { own: {}, merges: [], skip: false };
    for (const name of item.merges) {
      const anchor = anchors.get(name);
      if (anchor !== undefined && anchor !== item && depth < 2) {
        const inherited = resolve(anchor, depth + 1);
        merged = { own: { ...merged.own, ...inherited.own }, merges: [], skip: merged.skip || inherited.skip };
      }
    }
    return { own: { ...merged.own, ...item.own }, merges: [], skip: merged.skip || item.skip };
  };
  const builds = items
    .map((item) => resolve(item))
    .filter((item) => !item.skip)
    .map((item): DeclaredBuild => ({ ...item.own, main: item.own.main ?? '.' }));
  return { builds, tags, ...(imageIds.length > 0 ? { imageIds } : {}) };
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

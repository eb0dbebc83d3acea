// Reads what the default image of a generated Dockerfile is: the last stage, the binaries it
// copies from build stages, and each one's `go build` line (package, -tags, CGO_ENABLED).

interface Binary {
  /** The name under /out/ (the binary and the --target name). */
  readonly name: string;
  /** The package given to `go build` (`.`, `./cmd/frps`). */
  readonly pkg: string;
  readonly cgo: boolean;
  readonly tags: readonly string[];
}

export interface DefaultImage {
  /** The last stage's base image. */
  readonly base: string;
  readonly binaries: readonly Binary[];
  readonly ports: readonly number[];
  /** The exec-form CMD ([] when there is none). */
  readonly cmd: readonly string[];
  /** ENV lines of the last stage, as written after `ENV `. */
  readonly env: readonly string[];
}

interface Stage {
  readonly from: string;
  readonly name: string;
  readonly lines: readonly string[];
}

/** Joins `\`-continued lines and drops comments. */
function logicalLines(text: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    if (/^\s*#/.test(raw)) continue;
    const line = raw.trimEnd();
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    out.push(pending + line);
    pending = '';
  }
  if (pending !== '') out.push(pending);
  return out;
}

function stages(text: string): Stage[] {
  const found: { from: string; name: string; lines: string[] }[] = [];
  for (const line of logicalLines(text)) {
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) found.push({ from: from[1]!, name: from[2] ?? '', lines: [] });
    else found.at(-1)?.lines.push(line);
  }
  return found;
}

function binary(stage: Stage | undefined, name: string): Binary {
  const lines = stage?.lines ?? [];
  const build = lines.find((line) => line.includes(` -o /out/${name} `) || line.endsWith(` -o /out/${name}`)) ?? '';
  const afterOut = build.split(` -o /out/${name}`)[1] ?? '';
  const pkg = afterOut.trim().split(/\s+/)[0] ?? '';
  const tags = /\s-tags[= ]("?)([^\s"]+)\1/.exec(build)?.[2]?.split(',') ?? [];
  const cgo = lines.some((line) => /\bCGO_ENABLED=1\b/.test(line));
  return { name, pkg, cgo, tags };
}

/** The default (last) image of a Dockerfile create-go-docker wrote. */
export function parseDefaultImage(text: string): DefaultImage {
  const all = stages(text);
  const last = all.at(-1);
  if (!last) throw new Error('no FROM line');
  const binaries: Binary[] = [];
  const ports: number[] = [];
  let cmd: string[] = [];
  const env: string[] = [];
  for (const line of last.lines) {
    const copy = /^COPY\s+--from=(\S+)\s+\/out\/(\S+)\s/i.exec(line);
    if (copy)
      binaries.push(
        binary(
          all.find((stage) => stage.name === copy[1]),
          copy[2]!,
        ),
      );
    const expose = /^EXPOSE\s+(.+)$/i.exec(line);
    if (expose) for (const port of expose[1]!.trim().split(/\s+/)) ports.push(Number(port.split('/')[0]));
    const cmdLine = /^CMD\s+(\[.*\])\s*$/i.exec(line);
    if (cmdLine) cmd = JSON.parse(cmdLine[1]!) as string[];
    const envLine = /^ENV\s+(.+)$/i.exec(line);
    if (envLine) env.push(envLine[1]!);
  }
  return { base: last.from, binaries, ports, cmd, env };
}

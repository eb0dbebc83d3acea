// A Dockerfile read with a real parser (dockerfile-ast, the one the tests use), reduced to
// what doctor's checks look at: stages, instructions with their flags and arguments, and the
// Go settings each stage makes. Lines are 1-based.
import { DockerfileParser, Env, From, JSONInstruction, ModifiableInstruction, PropertyInstruction } from 'dockerfile-ast';

export interface DockerInstruction {
  keyword: string;
  line: number;
  /** The arguments as written (continuations joined). */
  text: string;
  /** Arguments, JSON strings unquoted for the exec form. */
  args: string[];
  /** --name=value flags (e.g. mount: "type=cache,target=/go/pkg/mod"). */
  flags: { name: string; value: string }[];
  /** ["exec", "form"] for CMD, ENTRYPOINT, RUN, COPY... */
  execForm: boolean;
}

export interface Stage {
  /** Image as written in FROM (variables unexpanded). */
  image: string;
  name?: string;
  line: number;
  instructions: DockerInstruction[];
}

/** A Go setting found in the Dockerfile: ENV, ARG default, or inline in a RUN command. */
export interface GoSetting {
  name: string;
  value: string;
  line: number;
  via: 'ENV' | 'ARG' | 'RUN';
}

export interface DockerfileModel {
  stages: Stage[];
  settings: GoSetting[];
  /** ARG defaults before the first FROM, which FROM lines may use. */
  globalArgs: Record<string, string>;
}

const GO_VARIABLES = [
  'GOPROXY',
  'GOSUMDB',
  'GOPRIVATE',
  'GONOPROXY',
  'GONOSUMDB',
  'GOFLAGS',
  'GOTOOLCHAIN',
  'CGO_ENABLED',
  'GOWORK',
  'GOINSECURE',
  // The go command reaches the network through these: doctor probes through them too.
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
];

export function parseDockerfile(text: string): DockerfileModel {
  const dockerfile = DockerfileParser.parse(text);
  const stages: Stage[] = [];
  const settings: GoSetting[] = [];
  const globalArgs: Record<string, string> = {};
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    const line = instruction.getRange().start.line + 1;
    const flags =
      instruction instanceof ModifiableInstruction
        ? instruction.getFlags().map((flag) => ({ name: flag.getName(), value: flag.getValue() ?? '' }))
        : [];
    const jsonStrings = instruction instanceof JSONInstruction ? instruction.getJSONStrings() : [];
    const execForm = jsonStrings.length > 0;
    const args = execForm
      ? jsonStrings.map((argument) => argument.getJSONValue())
      : instruction.getArguments().map((argument) => argument.getValue());
    const entry: DockerInstruction = {
      keyword,
      line,
      text: (instruction.getRawArgumentsContent() ?? '').replace(/\\\r?\n/g, ' '),
      args, // without the flags: dockerfile-ast leaves them out
      flags,
      execForm,
    };
    if (instruction instanceof From) {
      const stage: Stage = { image: instruction.getImage() ?? '', line, instructions: [] };
      const name = instruction.getBuildStage();
      if (name) stage.name = name;
      stages.push(stage);
      continue;
    }
    // Instructions before the first FROM are global ARGs: they belong to no stage.
    if (stages.length === 0 && instruction instanceof PropertyInstruction) {
      for (const property of instruction.getProperties()) globalArgs[property.getName()] = unquote(property.getUnescapedValue()) ?? '';
    }
    stages[stages.length - 1]?.instructions.push(entry);
    if ((instruction instanceof Env || keyword === 'ARG') && instruction instanceof PropertyInstruction) {
      for (const property of instruction.getProperties()) {
        const value = unquote(property.getUnescapedValue());
        if (GO_VARIABLES.includes(property.getName()) && value !== null) {
          // ENV GOPROXY="${GOPROXY}" carries an ARG into ENV: the value is the earlier one.
          const name = property.getName();
          const earlier = settings.filter((setting) => setting.name === name).at(-1)?.value ?? '';
          const own = value.replace(new RegExp(`\\$\\{${name}\\}|\\$${name}\\b`, 'g'), () => earlier);
          settings.push({ name, value: own, line, via: keyword === 'ENV' ? 'ENV' : 'ARG' });
        }
      }
    } else if (keyword === 'RUN') {
      for (const match of entry.text.matchAll(/(?:^|[\s;&|])(?:go env -w\s+)?([A-Z_]+)=("[^"]*"|'[^']*'|\S+)/g)) {
        if (GO_VARIABLES.includes(match[1]!))
          settings.push({ name: match[1]!, value: match[2]!.replace(/^["']|["']$/g, ''), line, via: 'RUN' });
      }
    }
  }
  // FROM golang:${GO_VERSION}: the image as the build sees it, with global ARG defaults.
  for (const stage of stages)
    stage.image = stage.image.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (whole, name: string) => globalArgs[name] ?? whole);
  return { stages, settings, globalArgs };
}

/** ENV A="b c": dockerfile-ast keeps the quotes; the build sees the value without them. */
function unquote(value: string | null): string | null {
  if (value === null) return null;
  const quoted = /^"((?:[^"\\]|\\.)*)"$|^'([^']*)'$/.exec(value);
  if (!quoted) return value;
  return quoted[1] !== undefined ? quoted[1].replace(/\\(.)/g, '$1') : quoted[2]!;
}

/** The last setting of a variable, as the build sees it (later lines win). */
export function lastSetting(model: DockerfileModel, name: string): GoSetting | undefined {
  return model.settings.filter((setting) => setting.name === name).at(-1);
}

/** The stage that compiles Go (runs go build), else the first stage. */
export function builderStage(model: DockerfileModel): Stage | undefined {
  return model.stages.find((stage) => stage.instructions.some((instruction) => runsGo(instruction, 'build'))) ?? model.stages[0];
}

export function runsGo(instruction: DockerInstruction, command: 'build' | 'mod download' | 'install'): boolean {
  return instruction.keyword === 'RUN' && new RegExp(`\\bgo ${command}\\b`).test(instruction.text);
}

export function mounts(instruction: DockerInstruction): string[] {
  return instruction.flags.filter((flag) => flag.name === 'mount').map((flag) => flag.value);
}

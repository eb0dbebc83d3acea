// Default configuration files in the repository: which ones a main reads by a relative default
// path (CONFIG_PATH_RECOGNIZERS: a flag default, a read call, viper's name and path, beego's
// conf/app.conf), and the keys and values they hold (CONFIG_FORMATS: ini/beego, TOML, YAML), for
// ports.ts to take a listen default from. readConfigFiles reads the candidates from disk; the
// rest is pure.
import { join, posix } from 'node:path';
import { entryKind, readOptionalInputFile } from '../io/read.js';

/** A file of the repository, module-relative path for messages. */
export interface ConfigFile {
  path: string;
  text: string;
}

/** One key of a configuration file: its dotted path (sections and parents included), its value and line. */
export interface ConfigEntry {
  key: string;
  value: string;
  line: number;
  /** The environment variable that overrides it, when the file says so (beego's "${PORT||8080}"). */
  env?: string;
}

const CONFIG_EXTENSION = String.raw`(?:ya?ml|toml|conf|ini)`;
/** A relative path to a config file: "config.yaml", "./conf/app.conf", "etc/config.toml" (never absolute, never ".."). */
const RELATIVE_CONFIG = String.raw`((?:\.\/)?(?:[\w-][\w.-]*\/)*[\w-][\w.-]*\.${CONFIG_EXTENSION})`;
const MAX_CONFIG_BYTES = 256 * 1024;

/** Calls that read a config file (os, viper, BurntSushi/toml, ini, koanf...). */
const READ_CALLS = ['ReadFile', 'Open', 'SetConfigFile', 'DecodeFile', 'LoadFile', 'Load', 'ParseFile', 'InsensitiveLoad', 'NewConfig'];

/** How a main names the config file it reads by default, one entry per idiom. */
export interface ConfigPathRecognizer {
  name: string;
  shape: string;
  paths(code: string): string[];
}

export const CONFIG_PATH_RECOGNIZERS: readonly ConfigPathRecognizer[] = [
  {
    name: 'config flag default',
    shape: 'flag.String("config", "config.yaml", ...), StringVarP(&c, "conf", "c", "./conf/config.toml", ...)',
    paths: (code) =>
      [...code.matchAll(new RegExp(String.raw`\b(?:String|StringVar|StringP|StringVarP)\([^)\n]*?"${RELATIVE_CONFIG}"`, 'g'))].map(
        (match) => match[1]!,
      ),
  },
  {
    name: 'kingpin config flag default',
    shape: 'kingpin.Flag("config.file", "...").Default("blackbox.yml").String()',
    paths: (code) =>
      [
        ...code.matchAll(
          new RegExp(
            String.raw`\bFlag\(\s*"[\w.-]*[Cc]onf[\w.-]*"[^)\n]*\)` + String.raw`(?:\.\w+\([^)\n]*\))*?\.Default\(\s*"${RELATIVE_CONFIG}"`,
            'g',
          ),
        ),
      ].map((match) => match[1]!),
  },
  {
    name: 'urfave/cli config flag Value',
    shape: '&cli.StringFlag{Name: "config", Aliases: []string{"c"}, Value: "config.yaml"}',
    paths: (code) =>
      [
        ...code.matchAll(
          new RegExp(
            String.raw`\bName:\s*"[\w.-]*[Cc]onf[\w.-]*"(?:(?!\bName:|Flag\s*\{)[\s\S]){0,400}?\bValue:\s*"${RELATIVE_CONFIG}"`,
            'g',
          ),
        ),
      ].map((match) => match[1]!),
  },
  {
    name: 'read call',
    shape: 'os.ReadFile("config.yaml"), viper.SetConfigFile("./config.toml"), toml.DecodeFile("conf/app.toml", &c)',
    paths: (code) =>
      [...code.matchAll(new RegExp(String.raw`\b(?:${READ_CALLS.join('|')})\(\s*(?:"\w+"\s*,\s*)?"${RELATIVE_CONFIG}"`, 'g'))].map(
        (match) => match[1]!,
      ),
  },
  {
    name: 'config path constant',
    shape: 'const defaultConfigFile = "config/config.yaml"',
    paths: (code) =>
      [...code.matchAll(new RegExp(String.raw`\b\w*(?:[Cc]onf(?:ig)?|[Cc]fg)\w*\s*(?:string\s*)?=\s*"${RELATIVE_CONFIG}"`, 'g'))].map(
        (match) => match[1]!,
      ),
  },
  {
    name: 'viper config name and path',
    shape: 'viper.SetConfigName("config"); viper.AddConfigPath(".")',
    paths: (code) => {
      const name = /\.SetConfigName\(\s*"([\w.-]+)"\s*\)/.exec(code)?.[1];
      if (name === undefined) return [];
      const dirs = [...code.matchAll(/\.AddConfigPath\(\s*"(\.(?:\/[\w.-]+)*)\/?"\s*\)/g)].map((match) => match[1]!);
      return dirs.flatMap((dir) => ['yaml', 'yml', 'toml'].map((extension) => posix.join(dir, `${name}.${extension}`)));
    },
  },
  {
    name: 'beego app.conf',
    shape: 'import "github.com/beego/beego/v2/server/web" (beego reads conf/app.conf from the working directory)',
    paths: (code) => (/"github\.com\/(?:beego\/beego|astaxie\/beego)/.test(code) ? ['conf/app.conf'] : []),
  },
];

/** The relative config paths a main's code reads by default, normalised ("./conf/app.conf" -> "conf/app.conf"). */
export function configPathsIn(codes: readonly string[]): string[] {
  const paths = codes.flatMap((code) => CONFIG_PATH_RECOGNIZERS.flatMap((recognizer) => recognizer.paths(code)));
  return [...new Set(paths.map((path) => posix.normalize(path)).filter((path) => !path.startsWith('..') && !path.startsWith('/')))];
}

/** A repository file a main reads at start by a relative default path: where it is, and where the program looks. */
export interface StartFile {
  /** Its path in the build context ("conf/app.conf", "server/config.yaml" in a workspace module). */
  file: string;
  /** The path the code names, relative to the working directory ("conf/app.conf"). */
  read: string;
}

/** The repository's config files these sources read by a relative default path. */
export function filesReadAtStart(codes: readonly string[], files: readonly ConfigFile[]): StartFile[] {
  if (files.length === 0) return [];
  return configPathsIn(codes).flatMap((read) =>
    files.filter((file) => file.path === read || file.path.endsWith(`/${read}`)).map((file) => ({ file: file.path, read })),
  );
}

function unquote(value: string): string {
  const trimmed = value.trim();
  return /^(["']).*\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}

/** A value with its trailing comment dropped (not inside quotes), unquoted; beego's "${PORT||8080}" gives 8080 and PORT. */
function entryValue(raw: string): Pick<ConfigEntry, 'value' | 'env'> {
  const value = unquote(raw.replace(/\s+[#;].*$/, '').replace(/^([^"'#;]*?)\s*[#;].*$/, '$1'));
  const fromEnv = /^\$\{(\w+)\|\|([^}]*)\}$/.exec(value);
  return fromEnv ? { value: fromEnv[2]!, env: fromEnv[1]! } : { value };
}

/** Sections in brackets and key = value lines: beego's app.conf, ini files, TOML. */
function sectionedEntries(text: string): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  let section = '';
  text.split('\n').forEach((line, index) => {
    const header = /^\s*\[+\s*([\w.-]+)\s*\]+\s*$/.exec(line);
    if (header) {
      section = header[1]!;
      return;
    }
    const pair = /^\s*([\w.-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (pair && pair[2] !== '')
      entries.push({ key: section ? `${section}.${pair[1]!}` : pair[1]!, ...entryValue(pair[2]!), line: index + 1 });
  });
  return entries;
}

/** YAML mappings by indentation (lists and flow collections are skipped): server:\n  addr: ":8888" -> server.addr. */
function yamlEntries(text: string): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  const parents: { indent: number; key: string }[] = [];
  text.split('\n').forEach((line, index) => {
    const pair = /^(\s*)([\w.-]+)\s*:(?:\s+(.*?))?\s*$/.exec(line);
    if (!pair) return;
    const indent = pair[1]!.length;
    while (parents.length > 0 && parents[parents.length - 1]!.indent >= indent) parents.pop();
    const key = [...parents.map((parent) => parent.key), pair[2]!].join('.');
    const raw = pair[3] ?? '';
    if (raw === '' || raw.startsWith('#')) parents.push({ indent, key: pair[2]! });
    else if (!/^[[{|>&*]/.test(raw)) entries.push({ key, ...entryValue(raw), line: index + 1 });
  });
  return entries;
}

/** How each format's keys are read, by file name. */
const CONFIG_FORMATS: readonly { name: string; files: RegExp; entries(text: string): ConfigEntry[] }[] = [
  { name: 'ini / beego app.conf', files: /\.(?:conf|ini)$/, entries: sectionedEntries },
  { name: 'TOML', files: /\.toml$/, entries: sectionedEntries },
  { name: 'YAML', files: /\.ya?ml$/, entries: yamlEntries },
];

export function configEntries(file: ConfigFile): ConfigEntry[] {
  return CONFIG_FORMATS.find((format) => format.files.test(file.path))?.entries(file.text) ?? [];
}

/**
 * The repository's files that some main reads by a relative default path, read from each
 * module's directory (go run's working directory): regular files only, never through a link,
 * at most 256 KiB. `codes`: every package's code, comments blanked.
 */
export function readConfigFiles(root: string, moduleDirs: readonly string[], codes: readonly string[]): ConfigFile[] {
  const files: ConfigFile[] = [];
  for (const path of configPathsIn(codes)) {
    for (const moduleDir of moduleDirs) {
      const absolute = join(root, moduleDir, path);
      if (entryKind(absolute) !== 'file') continue;
      try {
        const text = readOptionalInputFile(absolute, { maxBytes: MAX_CONFIG_BYTES });
        if (text !== undefined) files.push({ path: posix.join(moduleDir, path), text });
      } catch {
        // Too large or unreadable: no default from it.
      }
    }
  }
  return files;
}

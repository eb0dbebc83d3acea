// A root command that only prints usage: a program whose work is in subcommands (cobra,
// urfave/cli, kingpin) and whose root, run with no arguments, prints help and exits, so a
// container started without arguments stops at once. USAGE_ONLY_ROOTS recognizes each library's
// idiom and lists the subcommands; SERVE_WORDS says which of them serves. Pure.
import type { SourceText } from './ports.js';
import { argumentsAt, bodyAt, splitArguments, stripComments, topLevel } from './source.js';

export interface UsageOnlyRoot {
  /** The recognizer that found it. */
  by: string;
  /** The root's subcommands, in the order the code adds them. */
  subcommands: string[];
  /** The one subcommand that clearly serves, when exactly one does. */
  serve?: string;
}

/** Subcommand names that start the service. */
export const SERVE_WORDS: readonly string[] = ['serve', 'server', 'run', 'start', 'web', 'daemon', 'agent', 'replicate'];

interface Code {
  text: string;
}

export interface RootRecognizer {
  name: string;
  /** The subcommands when the root only prints usage; undefined when this library's root is absent or acts. */
  find: (own: readonly Code[], all: readonly Code[], rootNames: readonly string[]) => string[] | undefined;
}

/**
 * A Run that only prints help: `Run: func(cmd *cobra.Command, args []string) { cmd.Help(); os.Exit(2) }`,
 * or the program's own usage function (`tip()`, `printUsage()`).
 */
const HELP_ONLY = new RegExp(
  String.raw`^\s*func\s*\([^)]*\)\s*(?:error\s*)?\{\s*(?:return\s+)?(?:_\s*=\s*)?` +
    String.raw`(?:\w+\.(?:Help|Usage)|\w*(?:[Uu]sage|[Hh]elp|[Tt]ip)\w*)\(\)\s*` +
    String.raw`(?:os\.Exit\(\d+\)\s*)?(?:return\s+nil\s*)?\}`,
);

/** The cobra.Command literal a variable or constructor names: `serveCmd`, `commandServe()`, `newServeCmd(x)`. */
function cobraUse(reference: string, all: readonly Code[]): string | undefined {
  // `api.StartCmd` or `cmd.NewServeCommand(pb)`: the name in the package the qualifier names.
  const found = /^&?(?:(\w+)\.)?(\w+)/.exec(reference.trim());
  if (!found) return undefined;
  const [, qualifier, name] = found;
  const declared = new RegExp(String.raw`(?:\b${name!}\s*:?=\s*&?cobra\.Command\s*\{|^func\s+${name!}\s*\([^)]*\)[^{]*\{)`, 'm');
  for (const { text } of all) {
    if (qualifier !== undefined && !new RegExp(String.raw`^\s*package\s+${qualifier}\b`, 'm').test(text)) continue;
    const match = declared.exec(text);
    if (!match) continue;
    const use = /Use:\s*"([\w-]+)/.exec(text.slice(match.index, match.index + 2000));
    if (use) return use[1]!;
  }
  return undefined;
}

/** A urfave/cli command a Commands: entry names: `&webCommand`, `cmdWeb`, or an inline `{Name: "web"}`. */
function urfaveName(entry: string, all: readonly Code[]): string | undefined {
  const inline = /^&?(?:cli\.Command\s*)?\{[\s\S]*?\bName:\s*"([\w-]+)"/.exec(entry);
  if (inline) return inline[1]!;
  const name = /^&?(\w+)$/.exec(entry)?.[1];
  if (name === undefined) return undefined;
  const declared = new RegExp(String.raw`\b${name}\s*:?=\s*&?cli\.Command\s*\{`);
  for (const { text } of all) {
    const match = declared.exec(text);
    if (match) return /\bName:\s*"([\w-]+)"/.exec(bodyAt(text, match.index + match[0].length - 1))?.[1];
  }
  return undefined;
}

/**
 * The entries of a command list a variable holds: `var commands = []*cli.Command{...}`, and
 * `commands = append(commands, cmdServe)` in the init() of each command's file.
 */
function commandList(variable: string, all: readonly Code[]): string[] {
  const entries: string[] = [];
  const literal = new RegExp(String.raw`\b${variable}\s*:?=\s*\[\]\*?cli\.Command\s*\{`, 'g');
  const appended = new RegExp(String.raw`\b${variable}\s*=\s*append\(\s*${variable}\s*,`, 'g');
  for (const { text } of all) {
    for (const match of text.matchAll(literal)) entries.push(...splitArguments(bodyAt(text, match.index + match[0].length - 1)));
    for (const match of text.matchAll(appended)) {
      const call = text.lastIndexOf('(', match.index + match[0].length);
      entries.push(...splitArguments(argumentsAt(text, call)).slice(1));
    }
  }
  return entries;
}

/** A `default:` branch that prints usage or help (and maybe exits): `default: fmt.Print(help); os.Exit(0)`. */
const USAGE_DEFAULT = /\b\w*[uU]sage\w*\(|\bHelp\(\)|\bfmt\.\w+\([^)]*\b(?:help|usage)\b/;

export const USAGE_ONLY_ROOTS: readonly RootRecognizer[] = [
  {
    // rootCmd := &cobra.Command{Use: "tool"} with no Run/RunE, or one that only calls cmd.Help().
    name: 'cobra root command without Run (or one that only prints help)',
    find: (own, all, rootNames) => {
      // The root is in the main package, or in an own package main calls (`cmd.Execute()`).
      const ownHasCobra = own.some(({ text }) => /&cobra\.Command\s*\{/.test(text));
      for (const { text } of ownHasCobra ? own : all) {
        for (const match of text.matchAll(/(?:\b(\w+)\s*(?::?=|:)\s*)?&cobra\.Command\s*\{/g)) {
          const fields = bodyAt(text, match.index + match[0].length - 1);
          const use = /Use:\s*"([\w-]+)/.exec(fields)?.[1] ?? '';
          const variable = match[1] ?? '';
          if (!/^root/i.test(variable) && !rootNames.some((name) => name.toLowerCase() === use.toLowerCase())) continue;
          if (/\b(?:Run|RunE):/.test(topLevel(fields))) {
            const run = fields.slice(fields.search(/\b(?:Run|RunE):/)).replace(/^\w+:\s*/, '');
            if (!HELP_ONLY.test(run)) return undefined;
          }
          if (variable === '') return undefined;
          const subcommands: string[] = [];
          for (const { text: file } of all)
            for (const call of file.matchAll(new RegExp(String.raw`\b${variable}\.AddCommand\(`, 'g')))
              for (const entry of splitArguments(argumentsAt(file, call.index + call[0].length - 1))) {
                const sub = cobraUse(entry, all);
                if (sub !== undefined && !subcommands.includes(sub)) subcommands.push(sub);
              }
          return subcommands.length > 0 ? subcommands : undefined;
        }
      }
      return undefined;
    },
  },
  {
    // &cli.Command{Name: "tool", Commands: [...]} (v3) or &cli.App{Commands: [...]} with no Action or DefaultCommand.
    name: 'urfave/cli root with Commands and no Action',
    find: (own, all) => {
      // The root is in the main package, or (v2) an App that main gets from an own package: `cmd.New()`.
      const ownHasRoot = own.some(({ text }) => /&cli\.(?:Command|App)\s*\{/.test(text));
      for (const { text } of ownHasRoot ? own : all) {
        for (const match of text.matchAll(ownHasRoot ? /&cli\.(?:Command|App)\s*\{/g : /&cli\.App\s*\{/g)) {
          const fields = bodyAt(text, match.index + match[0].length - 1);
          const top = topLevel(fields);
          if (!/\bCommands:/.test(top)) continue;
          if (/\b(?:Action|DefaultCommand):/.test(top)) return undefined;
          const list = /\bCommands:\s*\[\]\*?cli\.Command\s*\{/.exec(fields);
          const named = /\bCommands:\s*(\w+)\s*,/.exec(top)?.[1];
          const entries = list ? splitArguments(bodyAt(fields, list.index + list[0].length - 1)) : named ? commandList(named, all) : [];
          if (entries.length === 0) return undefined;
          const subcommands = entries.map((entry) => urfaveName(entry, all)).filter((name): name is string => name !== undefined);
          return subcommands.length > 0 ? subcommands : undefined;
        }
      }
      return undefined;
    },
  },
  {
    // app := cli.NewApp(); app.Commands = getCommands() (urfave/cli v1, gocron): no app.Action means the root prints help.
    name: 'urfave/cli v1 app with Commands assigned and no Action',
    find: (own, all) => {
      for (const { text } of own) {
        const app = /\b(\w+)\s*:?=\s*cli\.NewApp\(\)/.exec(text)?.[1];
        if (app === undefined || new RegExp(String.raw`\b${app}\.Action\s*=`).test(text)) continue;
        const assigned = new RegExp(String.raw`\b${app}\.Commands\s*=\s*`).exec(text);
        if (!assigned) continue;
        const rest = text.slice(assigned.index + assigned[0].length);
        const literal = /^\[\]\*?cli\.Command\s*\{/.exec(rest);
        const call = /^(\w+)\(\)/.exec(rest)?.[1];
        const variable = /^(\w+)\s*$/m.exec(rest)?.[1];
        let entries: string[] = [];
        if (literal) entries = splitArguments(bodyAt(rest, literal[0].length - 1));
        else if (call !== undefined) {
          // func getCommands() []cli.Command { command := cli.Command{Name: "web", ...}; return []cli.Command{command} }
          for (const code of all) {
            const declared = new RegExp(String.raw`\bfunc\s+${call}\(\)\s*\[\]\*?cli\.Command\s*\{`).exec(code.text);
            if (!declared) continue;
            const body = bodyAt(code.text, declared.index + declared[0].length - 1);
            for (const command of body.matchAll(/cli\.Command\s*\{/g)) {
              const name = /^\s*Name:\s*"([\w-]+)"/m.exec(bodyAt(body, command.index + command[0].length - 1))?.[1];
              if (name !== undefined) entries.push(`{Name: "${name}"}`);
            }
          }
        } else if (variable !== undefined) entries = commandList(variable, all);
        const subcommands = entries.map((entry) => urfaveName(entry, all)).filter((name): name is string => name !== undefined);
        if (subcommands.length > 0) return subcommands;
      }
      return undefined;
    },
  },
  {
    // switch args[0] { case "server": server(args); case "client": ...; default: fmt.Print(help); os.Exit(0) }
    // on the first argument (os.Args[1], flag.Arg(0), args[0]); a `case "":` acts with no argument.
    name: 'switch on the first argument whose default prints usage',
    find: (own) => {
      for (const { text } of own) {
        if (!/\bos\.Args\[1\]|\bflag\.Arg\(0\)|\bargs\[0\]/.test(text)) continue;
        for (const match of text.matchAll(/\bswitch\s+[\w.[\]()]+\s*\{/g)) {
          const body = bodyAt(text, match.index + match[0].length - 1);
          const cases = [...body.matchAll(/^\s*case\s+("[\w-]*"(?:\s*,\s*"[\w-]*")*)\s*:/gm)];
          if (cases.length < 2) continue;
          const words = cases.flatMap((found) => [...found[1]!.matchAll(/"([\w-]*)"/g)].map((word) => word[1]!));
          if (words.includes('')) return undefined;
          const fallback = body.search(/^\s*default:/m);
          if (fallback < 0 || !USAGE_DEFAULT.test(body.slice(fallback))) continue;
          return [...new Set(words)].filter((word) => !/^-/.test(word));
        }
      }
      return undefined;
    },
  },
  {
    // app := kingpin.New(...); app.Command("serve", ...): kingpin wants a command unless one is .Default().
    name: 'kingpin application with commands and no default',
    find: (own) => {
      for (const { text } of own) {
        const app = /\b(\w+)\s*:?=\s*kingpin\.New\(/.exec(text)?.[1];
        const receiver = app === undefined ? 'kingpin' : `(?:${app}|kingpin)`;
        const commands = [
          ...text.matchAll(new RegExp(String.raw`\b${receiver}\.Command\(\s*"([\w-]+)"[^)]*\)(\s*\.\s*Default\(\))?`, 'g')),
        ];
        if (commands.length === 0) continue;
        if (commands.some((command) => command[2] !== undefined)) return undefined;
        return [...new Set(commands.map((command) => command[1]!))];
      }
      return undefined;
    },
  },
];

/** The program's root only prints usage: which recognizer says so, its subcommands, and the one that serves. */
export function usageOnlyRoot(
  own: readonly SourceText[],
  imported: readonly SourceText[],
  rootNames: readonly string[],
): UsageOnlyRoot | undefined {
  const code = (list: readonly SourceText[]) => list.map((source) => ({ text: source.code ?? stripComments(source.text) }));
  const ownCode = code(own);
  const all = [...ownCode, ...code(imported)];
  for (const recognizer of USAGE_ONLY_ROOTS) {
    const subcommands = recognizer.find(ownCode, all, rootNames);
    if (subcommands === undefined) continue;
    // `start` beside `stop` controls a service that runs elsewhere (litestream start/stop a database).
    const controls = subcommands.some((name) => name.toLowerCase() === 'stop');
    const serving = subcommands.filter((name) => SERVE_WORDS.includes(name.toLowerCase()) && !(controls && name.toLowerCase() === 'start'));
    return { by: recognizer.name, subcommands, ...(serving.length === 1 ? { serve: serving[0]! } : {}) };
  }
  return undefined;
}

// An organisation's policy over the resolved options: what it fixes overrides the project's
// answers, what it constrains (allowed bases, a Go floor) is checked. Pure: the notes it
// returns are printed by the CLI.
import { compareGoVersions } from '../detect/gomod.js';
import { UsageError } from '../errors.js';
import type { Policy } from './option-files.js';
import { describeSource, FILE_KEYS, type OptionKey, type OptionSource, type Options } from './model.js';
import type { ResolvedOptions } from './resolve.js';

export interface PolicyResult {
  resolved: ResolvedOptions;
  /** One line each: where the policy changed a value the project had chosen or detected. */
  notes: string[];
}

const ANSWER_SOURCES: readonly OptionSource[] = ['flag', 'answers', 'wizard'];

function show(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

export function applyPolicy(input: ResolvedOptions, policy: Policy): PolicyResult {
  const options: Options = { ...input.options };
  const sources = { ...input.sources };
  const notes: string[] = [];
  const where = (fileKey: string) => `the policy ${policy.path}:${policy.lines[fileKey] ?? 1}`;

  for (const [key, fixedValue] of Object.entries(policy.fixed) as [OptionKey, Options[OptionKey]][]) {
    if (fixedValue === undefined) continue;
    const current = options[key];
    const source = sources[key];
    if (key === 'privatePatterns') {
      // The policy's patterns are always private; a project may add its own.
      const fixedPatterns = fixedValue as Options['privatePatterns'];
      const extra = options.privatePatterns.filter((pattern) => !fixedPatterns.includes(pattern));
      options.privatePatterns = [...fixedPatterns, ...(ANSWER_SOURCES.includes(source) ? extra : [])];
      if (!ANSWER_SOURCES.includes(source) || extra.length === 0) sources.privatePatterns = 'policy';
      continue;
    }
    if (JSON.stringify(current) !== JSON.stringify(fixedValue) && ANSWER_SOURCES.includes(source)) {
      const fileKey = FILE_KEYS[key];
      if (source === 'flag') {
        throw new UsageError(
          `--${fileKey} ${show(current)}: ${where(fileKey)} fixes ${fileKey} to ${show(fixedValue)}; drop the flag or change the policy.`,
        );
      }
      notes.push(
        `${fileKey}: ${where(fileKey)} fixes it to ${show(fixedValue)}, replacing ${describeSource(source, key)} (${show(current)}).`,
      );
    }
    (options as unknown as Record<string, unknown>)[key] = fixedValue;
    sources[key] = 'policy';
  }

  if (policy.allowedBases && !policy.allowedBases.includes(options.base)) {
    const allowed = policy.allowedBases.join(', ');
    if (ANSWER_SOURCES.includes(sources.base)) {
      throw new UsageError(
        `base ${options.base} (${describeSource(sources.base, 'base')}) is not allowed by ${where('allowed-bases')} ` +
          `(allowed-bases: ${allowed}); choose one of those.`,
      );
    }
    options.base = policy.allowedBases[0]!;
    sources.base = 'policy';
  }

  if (policy.minGo && options.goVersion && compareGoVersions(options.goVersion, policy.minGo) < 0) {
    if (ANSWER_SOURCES.includes(sources.goVersion)) {
      throw new UsageError(
        `go ${options.goVersion} (${describeSource(sources.goVersion, 'goVersion')}) is older than ${where('min-go')} ` +
          `allows (min-go: ${policy.minGo}); raise it or drop it to use ${policy.minGo}.`,
      );
    }
    // A newer builder compiles an older go line: raise the builder, not the module.
    notes.push(`go: the builder uses Go ${policy.minGo}, the floor set by ${where('min-go')} (go.mod says ${options.goVersion}).`);
    options.goVersion = policy.minGo;
    sources.goVersion = 'policy';
  }
  return { resolved: { options, sources }, notes };
}

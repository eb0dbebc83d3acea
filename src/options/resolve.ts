// Option precedence: defaults < detected < carried (the Dockerfile a first run replaces) <
// .go-docker.yaml < flags < wizard; then the policy (policy.ts) fixes and constrains what it names.
import { detectedGoVersion, type Project } from '../detect/project.js';
import { brandValid, buildTagProblem, type BuildTag } from '../values/kinds.js';
import { detectedPrivatePatterns } from './defaults.js';
import { DEFAULT_OPTIONS, type OptionKey, type OptionSource, type Options, type PartialOptions } from './model.js';

export interface OptionLayer {
  source: OptionSource;
  values: PartialOptions;
}

export interface ResolvedOptions {
  options: Options;
  sources: Record<OptionKey, OptionSource>;
}

/**
 * What detection says about the options (the rest of Project feeds the plan directly): the
 * layer every run starts from, so --yes, a piped run and the wizard's pre-filled answers agree.
 */
export function detectedOptions(project: Project): PartialOptions {
  const detected: PartialOptions = {};
  const privatePatterns = detectedPrivatePatterns(project);
  if (privatePatterns.length > 0) detected.privatePatterns = privatePatterns;
  const goVersion = detectedGoVersion(project);
  if (goVersion) detected.goVersion = goVersion.version;
  const tags = brandValid<BuildTag>(project.buildInfo.tags, buildTagProblem);
  if (tags.length > 0) detected.tags = tags;
  return detected;
}

/** A main package's listening port, when its code names one. */
export function detectedPort(main: Project['mainPackages'][number] | undefined): number | undefined {
  return main?.ports[0];
}

export function resolveOptions(layers: readonly OptionLayer[]): ResolvedOptions {
  const options: Options = { ...DEFAULT_OPTIONS };
  const sources = Object.fromEntries(Object.keys(DEFAULT_OPTIONS).map((key) => [key, 'default'])) as Record<OptionKey, OptionSource>;
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer.values) as [OptionKey, Options[OptionKey]][]) {
      if (value === undefined) continue;
      (options as unknown as Record<string, unknown>)[key] = value;
      sources[key] = layer.source;
    }
  }
  return { options, sources };
}

/**
 * The answers worth recording in .go-docker.yaml: what the user chose, and what the replaced
 * Dockerfile set (it is gone after this run, kept only as .orig), not what was detected.
 */
export function recordedAnswers(resolved: ResolvedOptions, policyFixed: PartialOptions = {}): PartialOptions {
  const answers: PartialOptions = {};
  for (const [key, source] of Object.entries(resolved.sources) as [OptionKey, OptionSource][]) {
    if (source === 'flag' || source === 'wizard' || source === 'answers' || source === 'carried') {
      (answers as Record<string, unknown>)[key] = resolved.options[key];
    }
  }
  // The policy's private patterns stay the policy's: only the project's own are its answers.
  if (answers.privatePatterns && policyFixed.privatePatterns) {
    answers.privatePatterns = answers.privatePatterns.filter((pattern) => !policyFixed.privatePatterns!.includes(pattern));
  }
  return answers;
}

// The wizard only fills options. One declarative table: each question is skipped when a flag
// or the policy already decided its option (or detection leaves nothing to choose), and is
// pre-filled with the current value (config, detected or default).
import type { Project } from '../detect/project.js';
import { UsageError } from '../errors.js';
import { AUTH_MODES, BASES, REGIONS, type Base, type OptionKey, type Options } from '../options/model.js';
import { detectedPort, type ResolvedOptions } from '../options/resolve.js';
import { parseGoProxy, parseMainPackage, parsePort, parsePrivatePatterns } from '../options/validate.js';
import { suggestPrivateHosts } from '../detect/private.js';
import { REGION_LABELS } from '../options/regions.js';
import { rankMains, ROLE_WORDS } from '../detect/ranking.js';

/** The subset of @inquirer/prompts the wizard uses, so tests can drive it too. */
export interface PromptApi {
  select<Value extends string>(config: { message: string; choices: { name: string; value: Value; description?: string }[]; default?: Value }): Promise<Value>;
  input(config: { message: string; default?: string; validate?: (value: string) => boolean | string }): Promise<string>;
}

interface Question {
  key: OptionKey;
  /** Extra condition besides "not already decided by a flag or the policy". */
  when?: (options: Options, project: Project) => boolean;
  ask: (options: Options, project: Project, prompts: PromptApi, limits: WizardLimits) => Promise<Options[OptionKey]>;
}

/** What a policy allows, so the wizard offers only that. */
export interface WizardLimits {
  allowedBases?: readonly Base[];
}

function validating<T>(parse: (input: string, value: string) => T): (value: string) => true | string {
  return (value) => {
    try {
      parse('value', value);
      return true;
    } catch (error) {
      return error instanceof UsageError ? error.message.replace(/^value: /, '') : String(error);
    }
  };
}

const QUESTIONS: readonly Question[] = [
  {
    key: 'region',
    ask: (options, _project, prompts) =>
      prompts.select({
        message: 'Where do your builds run?',
        default: options.region,
        choices: REGIONS.map((region) => ({ name: REGION_LABELS[region].label, value: region, description: REGION_LABELS[region].description })),
      }),
  },
  {
    key: 'goProxy',
    when: (options) => options.region === 'custom',
    ask: async (options, _project, prompts) =>
      parseGoProxy(
        'GOPROXY',
        await prompts.input({
          message: 'Company GOPROXY (entries joined by , or |):',
          default: options.goProxy ?? 'https://goproxy.example.com,direct',
          validate: validating(parseGoProxy),
        }),
      ),
  },
  {
    key: 'privatePatterns',
    ask: async (options, project, prompts) => {
      const suggested = options.privatePatterns.length > 0 ? options.privatePatterns : suggestPrivateHosts(project.module.requires);
      const answer = await prompts.input({
        message: 'Private module paths (GOPRIVATE globs, comma-separated; empty for none):',
        default: suggested.join(','),
        validate: (value) => (value.trim() === '' ? true : validating(parsePrivatePatterns)(value)),
      });
      return answer.trim() === '' ? [] : parsePrivatePatterns('GOPRIVATE', answer);
    },
  },
  {
    key: 'auth',
    when: (options) => options.privatePatterns.length > 0,
    ask: (options, _project, prompts) =>
      prompts.select({
        message: 'How does the build authenticate to your private git server?',
        default: options.auth === 'none' ? AUTH_MODES[2] : options.auth,
        choices: [
          { name: 'Token in ~/.netrc (BuildKit secret)', value: AUTH_MODES[2], description: 'docker build --secret id=netrc,src=$HOME/.netrc' },
          { name: 'SSH agent (BuildKit ssh mount)', value: AUTH_MODES[1], description: 'docker build --ssh default' },
          { name: 'None (the server needs no credentials)', value: AUTH_MODES[0] },
        ],
      }),
  },
  {
    key: 'base',
    ask: (options, _project, prompts, limits) =>
      prompts.select({
        message: 'Runtime base image:',
        default: options.base,
        choices: [
          { name: 'distroless (static, nonroot, CA certs, no shell)', value: BASES[0] },
          { name: 'alpine (small, with a shell)', value: BASES[1] },
          { name: 'scratch (nothing but your binary)', value: BASES[2] },
          { name: 'debian slim (glibc, with a shell)', value: BASES[3] },
        ].filter((choice) => !limits.allowedBases || limits.allowedBases.includes(choice.value)),
      }),
  },
  {
    key: 'mainPackage',
    when: (_options, project) => project.mainPackages.length > 1,
    ask: async (options, project, prompts) => {
      // The ranking's order, best first: what --yes would pick is the first choice.
      const ranked = rankMains(project.mainPackages, project.module.path, project.buildInfo);
      const answer = await prompts.select({
        message: 'Several main packages: which one is the default image? (each gets a --target stage)',
        default: options.mainPackage ?? ranked[0]!.main.packagePath,
        choices: ranked.map((item) => ({
          name: item.main.packagePath,
          value: parseMainPackage('main', item.main.packagePath),
          description: item.main.role === 'main' ? item.reasons.join(', ') || 'a main package' : `${ROLE_WORDS[item.main.role]}: no image unless chosen`,
        })),
      });
      // Taking the ranking's first keeps it a detection, not an answer pinned in .go-docker.yaml.
      return answer === ranked[0]!.main.packagePath && options.mainPackage === undefined ? undefined : answer;
    },
  },
  {
    key: 'port',
    ask: async (options, project, prompts) => {
      const ranked = rankMains(project.mainPackages, project.module.path, project.buildInfo);
      const detected = detectedPort(project.mainPackages.find((main) => main.packagePath === (options.mainPackage ?? ranked[0]?.main.packagePath)));
      const port = options.port ?? detected;
      const answer = await prompts.input({
        message: 'Port the service listens on (empty for none):',
        default: port === undefined ? '' : String(port),
        validate: (value) => (value.trim() === '' ? true : validating(parsePort)(value)),
      });
      if (answer.trim() === '') return undefined;
      const chosen = parsePort('port', answer);
      // Accepting the detected port keeps it detected (not pinned in .go-docker.yaml).
      return chosen === detected && options.port === undefined ? undefined : chosen;
    },
  },
];

export async function runWizard(resolved: ResolvedOptions, project: Project, prompts: PromptApi, allowedBases?: readonly Base[]): Promise<ResolvedOptions> {
  const limits: WizardLimits = allowedBases ? { allowedBases } : {};
  const options: Options = { ...resolved.options };
  const sources = { ...resolved.sources };
  for (const question of QUESTIONS) {
    const source = sources[question.key];
    if (source === 'flag' || source === 'policy') continue;
    if (question.when && !question.when(options, project)) continue;
    const before = options[question.key];
    const answer = await question.ask(options, project, prompts, limits);
    if (JSON.stringify(answer) === JSON.stringify(before)) continue;
    (options as unknown as Record<string, unknown>)[question.key] = answer;
    sources[question.key] = 'wizard';
  }
  return { options, sources };
}

// The wizard only fills options. One declarative table: each question is skipped when a flag
// or the policy already decided its option (or detection leaves nothing to choose), and is
// pre-filled with the current value (answers, detected or default), never with a made-up one.
// It starts with what was detected and ends with a review, where any answer can be changed
// before a file is written.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Project } from '../detect/project.js';
import { rankMains, ROLE_WORDS } from '../detect/ranking.js';
import { UsageError } from '../errors.js';
import { readCaCertificates } from '../options/ca.js';
import { runtimeProblem } from '../options/check.js';
import { defaultAuth, defaultBase, undecidedHosts, type BaseConstraints } from '../options/defaults.js';
import {
  AUTH_MODES,
  BASES,
  CI_PROVIDERS,
  REGIONS,
  type AuthMode,
  type Base,
  type CiProvider,
  type OptionKey,
  type Options,
  type Region,
} from '../options/model.js';
import type { PackagePath } from '../values/kinds.js';
import { MANAGED_PATHS } from '../plan/paths.js';
import { REGION_LABELS } from '../options/regions.js';
import { detectedPort, type ResolvedOptions } from '../options/resolve.js';
import {
  parseGoProxy,
  parseMainPackage,
  parsePath,
  parsePort,
  parsePrivatePatterns,
  parseProxyUrl,
  parseRegistryPrefix,
} from '../options/validate.js';
import { banner, review, type ReviewedValue } from './review.js';

/** The subset of @inquirer/prompts the wizard uses, so tests can drive it too. */
export interface PromptApi {
  select<Value extends string>(config: {
    message: string;
    choices: { name: string; value: Value; description?: string }[];
    default?: Value;
  }): Promise<Value>;
  input(config: { message: string; default?: string; validate?: (value: string) => boolean | string }): Promise<string>;
}

/** What the questions may look at besides the options. */
export interface WizardContext {
  project: Project;
  prompts: PromptApi;
  /** What a policy allows, so the wizard offers only that (and whether it chose the base only as the first allowed). */
  baseConstraints?: BaseConstraints;
  /** For paths typed in answers (the CA file). */
  cwd: string;
  /** What TZ or the locale suggests for the region (regionHint): pre-selected when nobody chose one. */
  regionHint?: { region: Region; why: string };
}

/** What a question sees while the wizard runs: the context, and which options nobody chose yet. */
interface QuestionContext extends WizardContext {
  fromDefault: (key: OptionKey) => boolean;
}

interface Question {
  key: OptionKey;
  /** How the review names the answer. */
  label: string;
  /** Extra condition besides "not already decided by a flag or the policy". */
  when?: (options: Options, context: QuestionContext) => boolean;
  ask: (options: Options, context: QuestionContext) => Promise<Options[OptionKey]>;
  /** What the review shows when the option itself stays undefined (a detection kept as detection). */
  shown?: (options: Options, context: QuestionContext) => ReviewedValue;
  /** The pre-selected answer, when it is not the current value (an answer equal to the current value but not to this is a choice). */
  offered?: (options: Options, context: QuestionContext) => Options[OptionKey];
}

function validating(parse: (input: string, value: string) => unknown, optional = false): (value: string) => true | string {
  return (value) => {
    if (optional && value.trim() === '') return true;
    try {
      parse('value', value);
      return true;
    } catch (error) {
      return error instanceof UsageError ? error.message.replace(/^value: /, '') : String(error);
    }
  };
}

/** The default image's main package: the answer, else the ranking's first (what --yes takes). */
function defaultMain(options: Options, project: Project): PackagePath | undefined {
  return options.mainPackage ?? rankMains(project.mainPackages, project.module.path, project.buildInfo)[0]?.main.packagePath;
}

/** The port detected in the default image's main package. */
function detectedPortOf(options: Options, project: Project): number | undefined {
  return detectedPort(project.mainPackages.find((main) => main.packagePath === defaultMain(options, project)));
}

/** Nobody chose a base yet: what --yes would take (options/defaults.ts). */
function offeredBase(options: Options, { project, fromDefault, baseConstraints }: QuestionContext): Base {
  return fromDefault('base') ? defaultBase(options, project, baseConstraints) : options.base;
}

/** Nobody chose a region: what TZ or the locale suggests, else the default. */
function offeredRegion(options: Options, { regionHint, fromDefault }: QuestionContext): Region {
  return fromDefault('region') && regionHint ? regionHint.region : options.region;
}

/** Why the offered region is not the default: the hint, said in the question. */
function regionSuggestion(options: Options, context: QuestionContext): string {
  const hint = context.regionHint;
  return hint && offeredRegion(options, context) !== options.region ? ` (${hint.why} suggests ${REGION_LABELS[hint.region].label})` : '';
}

/** Nobody chose how to authenticate yet: what --yes would take. */
function offeredAuth(options: Options, { project, fromDefault }: QuestionContext): AuthMode {
  return fromDefault('auth') ? defaultAuth(options, project) : options.auth;
}

/** "~" and "~/..." as a shell expands them: a path typed into a prompt reaches no shell. */
function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

const QUESTIONS: readonly Question[] = [
  {
    key: 'region',
    label: 'Network',
    shown: (options) => REGION_LABELS[options.region].label,
    offered: (options, context) => offeredRegion(options, context),
    ask: (options, context) =>
      context.prompts.select({
        message: `Where do your builds run?${regionSuggestion(options, context)}`,
        default: offeredRegion(options, context),
        choices: REGIONS.map((region) => ({
          name: REGION_LABELS[region].label,
          value: region,
          description: REGION_LABELS[region].description,
        })),
      }),
  },
  {
    key: 'goProxy',
    label: 'Go module proxy (GOPROXY)',
    when: (options) => options.region === 'custom',
    ask: async (options, { prompts }) =>
      parseGoProxy(
        'GOPROXY',
        await prompts.input({
          message:
            "Your company's Go module proxy (GOPROXY: the Athens, Nexus or Artifactory Go repository URL; entries joined by , or |):",
          ...(options.goProxy ? { default: options.goProxy } : {}),
          validate: (value) =>
            value.trim() === ''
              ? 'required for a company network: the URL of your Go module proxy, e.g. https://nexus.corp.example/repository/go/'
              : validating(parseGoProxy)(value),
        }),
      ),
  },
  {
    // Its own answer, whatever the region: a company proxy stands between the build and the
    // internet in mainland China and elsewhere alike.
    key: 'proxy',
    label: 'HTTP proxy for the build',
    ask: async (options, { prompts }) => {
      const answer = await prompts.input({
        message: 'HTTP(S) proxy the build machine needs to reach the internet (a company proxy; not the module proxy; empty for none):',
        default: options.proxy ?? '',
        validate: validating(parseProxyUrl, true),
      });
      return answer.trim() === '' ? undefined : parseProxyUrl('HTTP proxy', answer);
    },
  },
  {
    key: 'caCert',
    label: 'Corporate root CA',
    when: (options) => options.region === 'custom' || options.proxy !== undefined,
    ask: async (options, { prompts, cwd }) => {
      const answer = await prompts.input({
        message: 'Corporate root CA certificate, a PEM file (needed behind a TLS-inspecting proxy; empty for none):',
        default: options.caCert ?? '',
        validate: (value) => {
          if (value.trim() === '') return true;
          try {
            readCaCertificates(resolve(cwd, parsePath('CA', expandHome(value.trim()))), 'the CA file');
            return true;
          } catch (error) {
            return error instanceof UsageError ? error.message : String(error);
          }
        },
      });
      return answer.trim() === '' ? undefined : resolve(cwd, expandHome(answer.trim()));
    },
  },
  {
    key: 'privatePatterns',
    label: 'Private modules (GOPRIVATE)',
    // Pre-filled with what detection found (options/defaults.ts), as --yes takes it; hosts it
    // cannot tell public or private are named, as an unattended run's warning names them.
    ask: async (options, { project, prompts }) => {
      const undecided = undecidedHosts(options, project);
      const answer = await prompts.input({
        message:
          `Private module paths (GOPRIVATE globs, comma-separated; empty for ` +
          `none${undecided.length > 0 ? `; ${undecided.join(', ')} may be private` : ''}):`,
        default: options.privatePatterns.join(','),
        validate: validating(parsePrivatePatterns, true),
      });
      return answer.trim() === '' ? [] : parsePrivatePatterns('GOPRIVATE', answer);
    },
  },
  {
    key: 'auth',
    label: 'Private module credentials',
    when: (options) => options.privatePatterns.length > 0,
    offered: (options, context) => offeredAuth(options, context),
    ask: (options, context) =>
      context.prompts.select({
        message: 'How does the build authenticate to your private git server?',
        default: offeredAuth(options, context),
        choices: [
          {
            name: 'Token in ~/.netrc (BuildKit secret)',
            value: AUTH_MODES[2],
            description: 'docker build --secret id=netrc,src=$HOME/.netrc',
          },
          { name: 'SSH agent (BuildKit ssh mount)', value: AUTH_MODES[1], description: 'docker build --ssh default' },
          { name: 'None (the server needs no credentials)', value: AUTH_MODES[0] },
        ],
      }),
  },
  {
    key: 'base',
    label: 'Runtime image',
    offered: (options, context) => offeredBase(options, context),
    ask: (options, context) => {
      const { prompts, project, baseConstraints } = context;
      const allowedBases = baseConstraints?.allowedBases;
      const china = options.region === 'cn';
      const labels: Record<Base, string> = {
        distroless: china
          ? 'distroless (gcr.io: blocked in mainland China, needs a mirror)'
          : 'distroless (static, nonroot, CA certs, no shell)',
        alpine: 'alpine (small, with a shell)',
        scratch: china
          ? 'scratch + CA bundle, time zones, nonroot user (Docker Hub only)'
          : 'scratch (your binary, CA bundle, time zones, nonroot user)',
        debian: 'debian slim (glibc, with a shell)',
      };
      // Never offered: what the policy does not allow, or what the check after the review would
      // refuse (scratch for a cgo binary): the same runtimeProblem check, so no answer is lost.
      const choices = BASES.map((base) => ({ name: labels[base], value: base })).filter(
        (choice) =>
          (!allowedBases || allowedBases.includes(choice.value)) &&
          runtimeProblem({ ...options, base: choice.value }, project) === undefined,
      );
      return prompts.select({ message: 'Runtime base image:', default: offeredBase(options, context), choices });
    },
  },
  {
    key: 'registry',
    label: 'Registry prefix',
    // gcr.io is blocked in mainland China and registry-mirrors do not cover it: ask first.
    when: (options) => options.region === 'cn' && options.base === 'distroless' && !options.baseImage && !options.registry,
    ask: async (options, { prompts, project }) =>
      parseRegistryPrefix(
        'registry',
        await prompts.input({
          message: 'gcr.io is blocked in mainland China: the registry that mirrors it and Docker Hub (e.g. harbor.example.cn/proxy):',
          ...(options.registry ? { default: options.registry } : {}),
          // Scratch is no way out for a cgo binary (runtimeProblem): then name the libc bases.
          validate: (value) =>
            value.trim() === ''
              ? `required for distroless in mainland China (or go back and choose ` +
                `${runtimeProblem({ ...options, base: 'scratch' }, project) ? 'debian or alpine' : 'scratch'})`
              : validating(parseRegistryPrefix)(value),
        }),
      ),
  },
  {
    key: 'mainPackage',
    label: 'Default image',
    shown: (options, { project }) => defaultMain(options, project),
    when: (_options, { project }) => project.mainPackages.length > 1,
    ask: async (options, { project, prompts }) => {
      // The ranking's order, best first: what --yes would pick is the first choice.
      const ranked = rankMains(project.mainPackages, project.module.path, project.buildInfo);
      const answer = await prompts.select({
        message: 'Several main packages: which one is the default image? (each gets a --target stage)',
        default: options.mainPackage ?? ranked[0]!.main.packagePath,
        choices: ranked.map((item) => ({
          name: item.main.packagePath,
          value: parseMainPackage('main', item.main.packagePath),
          description:
            item.main.role === 'main'
              ? item.reasons.join(', ') || 'a main package'
              : `${ROLE_WORDS[item.main.role]}: no image unless chosen`,
        })),
      });
      // Taking the ranking's first keeps it a detection, not an answer pinned in .go-docker.yaml.
      return answer === ranked[0]!.main.packagePath && options.mainPackage === undefined ? undefined : answer;
    },
  },
  {
    key: 'port',
    label: 'Port',
    shown: (options, { project }) => options.port ?? detectedPortOf(options, project),
    ask: async (options, { project, prompts }) => {
      const detected = detectedPortOf(options, project);
      const port = options.port ?? detected;
      const answer = await prompts.input({
        message: 'Port the service listens on (empty for none):',
        default: port === undefined ? '' : String(port),
        validate: validating(parsePort, true),
      });
      if (answer.trim() === '') return undefined;
      const chosen = parsePort('port', answer);
      // Accepting the detected port keeps it detected (not pinned in .go-docker.yaml).
      return chosen === detected && options.port === undefined ? undefined : chosen;
    },
  },
  {
    key: 'ci',
    label: 'CI',
    shown: (options) => CI_LABELS[options.ci],
    // The CI the repository already has, else none: nothing is written for a CI nobody uses.
    offered: (options, context) => offeredCi(options, context),
    ask: (options, context) =>
      context.prompts.select({
        message: 'Where does CI build the image?',
        default: offeredCi(options, context),
        choices: CI_PROVIDERS.map((provider) => ({ name: CI_LABELS[provider], value: provider, description: CI_DESCRIPTIONS[provider] })),
      }),
  },
];

function offeredCi(options: Options, { project, fromDefault }: QuestionContext): CiProvider {
  return fromDefault('ci') ? (project.ciHint ?? 'none') : options.ci;
}

const CI_LABELS: Record<CiProvider, string> = { github: 'GitHub Actions', gitlab: 'GitLab CI', none: 'None (no CI files)' };
const CI_DESCRIPTIONS: Record<CiProvider, string> = {
  github: `${MANAGED_PATHS.githubWorkflow}: build on pull requests, push from the default branch and tags, registry cache, drift check`,
  gitlab: `${MANAGED_PATHS.gitlabCi}: rootless BuildKit, registry cache in $CI_REGISTRY_IMAGE, drift check`,
  none: 'write no CI files',
};

/** Cancelling the review stops as Ctrl-C does: exit 130, nothing written. */
class WizardCancelled extends Error {
  override name = 'ExitPromptError';
}

export async function runWizard(
  resolved: ResolvedOptions,
  context: WizardContext,
  print: (lines: string[]) => void,
): Promise<ResolvedOptions> {
  const options: Options = { ...resolved.options };
  const sources = { ...resolved.sources };
  const asked: Question[] = [];
  const scope: QuestionContext = { ...context, fromDefault: (key) => sources[key] === 'default' };
  const eligible = (question: Question) =>
    sources[question.key] !== 'flag' && sources[question.key] !== 'policy' && (!question.when || question.when(options, scope));
  const ask = async (question: Question) => {
    if (!asked.includes(question)) asked.push(question);
    const before = options[question.key];
    const offered = question.offered ? question.offered(options, scope) : before;
    const answer = await question.ask(options, scope);
    // Taking what was offered, unchanged, keeps its source (a default stays a default).
    if (JSON.stringify(answer) === JSON.stringify(before) && JSON.stringify(answer) === JSON.stringify(offered)) return;
    (options as unknown as Record<string, unknown>)[question.key] = answer;
    sources[question.key] = 'wizard';
  };
  print(banner(context.project));
  for (const question of QUESTIONS) if (eligible(question)) await ask(question);
  for (;;) {
    print(
      review(
        asked
          .filter(eligible)
          .map((question) => ({ label: question.label, value: question.shown ? question.shown(options, scope) : options[question.key] })),
      ),
    );
    const next = await context.prompts.select({
      message: 'Write the files with these answers?',
      default: 'write',
      choices: [
        { name: 'Yes, write them', value: 'write' },
        { name: 'Change an answer', value: 'change' },
        { name: 'Cancel (write nothing)', value: 'cancel' },
      ],
    });
    if (next === 'write') return { options, sources };
    if (next === 'cancel') throw new WizardCancelled('cancelled');
    const key = await context.prompts.select({
      message: 'Which answer?',
      choices: asked.filter(eligible).map((question) => ({ name: question.label, value: question.key })),
    });
    await ask(QUESTIONS.find((question) => question.key === key)!);
    // A changed answer can make other questions relevant (a company network asks for its proxy).
    for (const question of QUESTIONS) if (eligible(question) && !asked.includes(question)) await ask(question);
  }
}

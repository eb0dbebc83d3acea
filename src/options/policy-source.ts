// Which policy applies, getting its text, and what .go-docker.yaml records about it. The
// policy is `--policy`, else $CREATE_GO_DOCKER_POLICY, else the one .go-docker.yaml records; it
// is a file, an https URL (fetched with a time limit and a size cap, through the environment's
// proxy, revalidated against the user's cache) or an npm package (fetched by `npm pack`, its
// go-docker-policy.yaml read from the tarball). Whatever the source, the text is untrusted input:
// capped, parsed with the policy schema, each value by its option's parser. The record holds the
// text's sha256, so a changed policy is a drift and a policy that cannot be had is an error,
// never a silent return to the defaults. Getting the text is policy-fetch.ts's, loaded only
// when a policy applies.
import { dirname, isAbsolute, relative } from 'node:path';
import { UsageError } from '../errors.js';
import { shown } from '../values/text.js';
import { ANSWERS_FILE } from '../plan/paths.js';
import type { AnswersFile, Policy } from './option-files.js';
import { recordedFile } from './repository.js';
import { describePolicySpec, parsePolicySpec, sameSpec, shortHash, type PolicyRecord, type PolicySpec } from './policy-spec.js';
/** How long a policy URL may take to answer (npm, which may resolve a range first, gets four times as long). */
export const POLICY_TIMEOUT_MS = 15_000;

export interface PolicyChoice {
  /** Where it was named. */
  from: 'flag' | 'variable' | 'recorded';
  spec: PolicySpec;
  /** How messages name it. */
  shown: string;
}

export interface SelectInput {
  /** --policy as given. */
  flag?: string;
  /** $CREATE_GO_DOCKER_POLICY. */
  variable?: string;
  cwd: string;
  answersPath: string;
  answers: AnswersFile | undefined;
  /** The repository every recorded path must stay in. */
  repository: string;
}

/**
 * The policy that applies, or undefined when none was given and none made the files. When
 * .go-docker.yaml says a policy made the files and it cannot be had (only its hash is recorded,
 * or the recorded file is gone), a usage error naming .go-docker.yaml's line and the fix.
 */
export function selectPolicy(input: SelectInput): PolicyChoice | undefined {
  if (input.flag !== undefined) return given('flag', '--policy', input.flag, input.cwd);
  if (input.variable !== undefined && input.variable.trim() !== '')
    return given('variable', '$CREATE_GO_DOCKER_POLICY', input.variable, input.cwd);
  const recorded = input.answers?.policy;
  if (!recorded) return undefined;
  const where = `${shown(input.answersPath)}:${recorded.line}`;
  const { spec, sha256 } = recorded.record;
  if (!spec) {
    throw new UsageError(
      `${where}: the files were made with a policy given from outside the repository ` +
        `(${shortHash(sha256 ?? '')}), which ${ANSWERS_FILE} does not record; give it with --policy or ` +
        `$CREATE_GO_DOCKER_POLICY (in CI: a secret or File variable, README "Rolling out a policy change"), ` +
        'record a source every checkout reads (a path in the repository, an https URL, npm:PACKAGE), or ' +
        'delete the policy key to go without one.',
    );
  }
  if (spec.kind === 'path') {
    const written = recorded.written ?? relative(dirname(input.answersPath), spec.path);
    const fix =
      `restore it (commit it with the repository), give the policy with --policy or $CREATE_GO_DOCKER_POLICY, ` +
      `or record another source (policy: https://... or npm:PACKAGE)`;
    recordedFile(input.answersPath, 'policy', { value: written, line: recorded.line }, input.repository, fix);
    return { from: 'recorded', spec, shown: written };
  }
  return { from: 'recorded', spec, shown: describePolicySpec(spec) };
}

function given(from: 'flag' | 'variable', input: string, value: string, cwd: string): PolicyChoice {
  const spec = parsePolicySpec(input, value, cwd);
  return { from, spec, shown: describePolicySpec(spec, value.trim()) };
}

export interface FetchedPolicy {
  policy: Policy;
  sha256: string;
  /** npm: the version the range resolved to. */
  version?: string;
}

export interface FetchContext {
  env: Record<string, string | undefined>;
  /** npm runs here, so the project's .npmrc (a scope's registry, its token) applies. */
  projectDir: string;
  /** The cache must lie outside it. */
  repository: string;
  timeoutMs: number;
  /** One fetch per source in a run (regenerate --recursive asks for the same policy in every project). */
  memo: Map<string, Promise<FetchedPolicy>>;
}

/** The policy's text from its source, hashed and parsed; a usage error naming the source when it cannot be had. */
export function fetchPolicy(choice: PolicyChoice, context: FetchContext): Promise<FetchedPolicy> {
  const key = JSON.stringify(choice.spec);
  const known = context.memo.get(key);
  if (known) return known;
  // Getting the text (https, npm, a tarball) is its own module, loaded only when a policy applies:
  // a run without one never loads node:http, node:https, node:tls or node:zlib.
  const fetched = import('./policy-fetch.js').then(({ fetchOnce }) => fetchOnce(choice, context));
  context.memo.set(key, fetched);
  return fetched;
}

export interface PolicyOutcome {
  /** What .go-docker.yaml records now. */
  record?: PolicyRecord;
  /** Lines for the summary's Policy section. */
  notes: string[];
  /** The policy is not the one that made the files (its sha256 changed): one line, for --check too. */
  change?: string;
}

/**
 * What to record about the policy that applied. A source every checkout reads is recorded when
 * --policy named it (a path inside the repository, a URL, a package) or when it was recorded
 * already; $CREATE_GO_DOCKER_POLICY is this machine's setting and never recorded, nor a path
 * outside the repository. The sha256 of the text is recorded unless the source is a path in the
 * repository, whose text every checkout has: when no source is recorded, the hash is what makes
 * regenerate refuse instead of quietly regenerating without the policy.
 */
export function policyOutcome(
  choice: PolicyChoice | undefined,
  fetched: FetchedPolicy | undefined,
  answers: AnswersFile | undefined,
  repository: string,
): PolicyOutcome {
  if (!choice || !fetched) return { notes: [] };
  const previous = answers?.policy?.record;
  const notes: string[] = [];
  let spec: PolicySpec | undefined;
  if (choice.from === 'flag') {
    const portable = choice.spec.kind !== 'path' || isWithin(repository, choice.spec.path);
    if (portable) spec = choice.spec;
    else {
      notes.push(
        `the policy ${choice.shown} is outside the repository, so ${ANSWERS_FILE} records only its sha256: ` +
          `where you regenerate (a clone, CI), give it again with --policy or $CREATE_GO_DOCKER_POLICY (in CI ` +
          'a secret or File variable), or record a source every checkout reads: a path in the repository, an ' +
          'https URL or npm:PACKAGE (README "Rolling out a policy change").',
      );
    }
  } else if (choice.from === 'variable') {
    spec = previous?.spec;
    if (!spec)
      notes.push(
        `the policy from $CREATE_GO_DOCKER_POLICY (${choice.shown}) is not recorded, only its sha256: where you ` +
          `regenerate, set the variable again or pass --policy.`,
      );
  } else {
    spec = choice.spec;
  }
  const record: PolicyRecord = spec ? { spec } : {};
  const fromRecordedSource = spec !== undefined && sameSpec(spec, choice.spec);
  // A path records no hash: every checkout has the file itself (and a mapping has no path key).
  if (spec?.kind !== 'path') record.sha256 = fetched.sha256;
  if (spec?.kind === 'npm' && fromRecordedSource && fetched.version) record.version = fetched.version;
  // The variable gives this machine's copy of the recorded package: the same text is the same
  // version, so the record stays as it was (a changed record would be a false drift).
  else if (spec?.kind === 'npm' && choice.from === 'variable' && previous?.version && previous.sha256 === fetched.sha256)
    record.version = previous.version;
  let change: string | undefined;
  if (previous?.sha256 && record.sha256 && previous.sha256 !== record.sha256) {
    const versions =
      previous.version && record.version && previous.version !== record.version ? `, version ${previous.version} -> ${record.version}` : '';
    change =
      `the policy ${choice.shown} is not the one that made the files (${shortHash(previous.sha256)} -> ` +
      `${shortHash(record.sha256)}${versions}).`;
    notes.push(change);
  }
  return { ...(spec || record.sha256 ? { record } : {}), notes, ...(change ? { change } : {}) };
}

function isWithin(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
}

// The one typed model every source (defaults, detection, policy, .go-docker.yaml, flags,
// wizard) fills. Later sources win; see resolveOptions. Every value that reaches a file is a
// checked kind (src/values/kinds.ts): only a validator can make one.
import { ANSWERS_FILE } from '../plan/paths.js';
import type {
  BuildTag,
  GoProxyList,
  GoSumDb,
  GoVersion,
  HttpUrl,
  ImageArg,
  ImageRef,
  IpAddress,
  PinnedImage,
  ModulePattern,
  PackagePath,
  Platform,
  PolicySource,
  RegistryPrefix,
} from '../values/kinds.js';

export const REGIONS = ['global', 'cn', 'custom'] as const;
export const AUTH_MODES = ['none', 'ssh', 'token'] as const;
export const BASES = ['distroless', 'alpine', 'scratch', 'debian'] as const;
export const CGO_MODES = ['auto', 'on', 'off'] as const;
export const CI_PROVIDERS = ['none', 'github', 'gitlab'] as const;
export const CI_CACHES = ['registry', 'gha'] as const;

export type Region = (typeof REGIONS)[number];
export type AuthMode = (typeof AUTH_MODES)[number];
export type Base = (typeof BASES)[number];
type CgoMode = (typeof CGO_MODES)[number];
export type CiProvider = (typeof CI_PROVIDERS)[number];
export type CiCache = (typeof CI_CACHES)[number];

export interface Options {
  region: Region;
  /** GOPROXY list as the user wrote it; undefined means "the region's default". */
  goProxy?: GoProxyList;
  /** GOSUMDB; undefined means "the region's default". */
  goSumDb?: GoSumDb;
  /** GOPRIVATE glob patterns. */
  privatePatterns: ModulePattern[];
  auth: AuthMode;
  /**
   * Scan a private git host's SSH key in every build (ssh-keyscan, trusting the first key) when
   * no key was recorded, published or found in ~/.ssh/known_hosts; without it that is an error.
   */
  sshKeyscan: boolean;
  base: Base;
  /** Exact runtime image, overriding the one `base` implies. */
  baseImage?: ImageRef;
  /** Registry/mirror prefix every FROM is pulled through. */
  registry?: RegistryPrefix;
  /** Go version for the builder image, e.g. "1.26" or "1.26.8". */
  goVersion?: GoVersion;
  /** Main package to build as the default image, e.g. "./cmd/api" or ".". */
  mainPackage?: PackagePath;
  port?: number;
  /** Build tags (-tags), from the project's release config or Makefile when obvious. */
  tags: BuildTag[];
  /** The default image's default arguments (CMD); undefined: what the plan decides (e.g. bind all interfaces). */
  args?: ImageArg[];
  /** Every binary in the default image (tools that call each other), instead of one image each. */
  bundle: boolean;
  cgo: CgoMode;
  /** Corporate root CA (PEM), path relative to the project directory or absolute. */
  caCert?: string;
  platforms: Platform[];
  /** DNS servers for daemon.json. */
  dns: IpAddress[];
  /** Docker Hub mirrors, in order, for daemon.json, buildkitd.toml and CI images; empty: the region's. */
  registryMirrors: HttpUrl[];
  /** HTTP(S) proxy for the Docker daemon and the build. */
  proxy?: HttpUrl;
  daemonJson: boolean;
  /** Write compose.yaml to run the service locally. */
  compose: boolean;
  /** Where CI builds the image: a workflow or pipeline file is written for it. */
  ci: CiProvider;
  /** The BuildKit cache CI exports and imports: the image registry (default) or GitHub's cache service. */
  ciCache: CiCache;
  /** Where CI pushes the images (registry/namespace); default: the CI's own registry. */
  ciRegistry?: RegistryPrefix;
  /** Opt-in scheduled policy roll-out: where CI fetches the organisation's policy. */
  ciRollout?: PolicySource;
  /**
   * Image pins: each image the files name, by the reference they write, with its digest. An image
   * with a pin is written name:tag@digest; regenerate --refresh-pins resolves them.
   */
  pins: PinnedImage[];
  /** Write renovate.json: Renovate keeps the pins current, in .go-docker.yaml and the files at once. */
  renovate: boolean;
}

export type OptionKey = keyof Options;
export type PartialOptions = Partial<Options>;

/**
 * Where a value came from, so the wizard can skip what is already decided. 'carried': set by
 * the Dockerfile we did not write that this run replaces (doctor/carry-over.ts).
 */
export type OptionSource = 'default' | 'detected' | 'carried' | 'policy' | 'answers' | 'flag' | 'wizard';

export const DEFAULT_OPTIONS: Options = {
  region: 'global',
  privatePatterns: [],
  auth: 'none',
  sshKeyscan: false,
  base: 'distroless',
  cgo: 'auto',
  tags: [],
  bundle: false,
  platforms: [],
  dns: [],
  registryMirrors: [],
  daemonJson: true,
  compose: false,
  ci: 'none',
  ciCache: 'registry',
  pins: [],
  renovate: false,
};

/**
 * The option keys as they are spelled in .go-docker.yaml and policy files: the flag names,
 * so a user who knows one knows the other.
 */
export const FILE_KEYS: Record<OptionKey, string> = {
  region: 'region',
  goProxy: 'goproxy',
  goSumDb: 'gosumdb',
  privatePatterns: 'private',
  auth: 'auth',
  sshKeyscan: 'ssh-keyscan',
  base: 'base',
  baseImage: 'base-image',
  registry: 'registry',
  goVersion: 'go',
  mainPackage: 'main',
  port: 'port',
  tags: 'tags',
  args: 'args',
  bundle: 'bundle',
  cgo: 'cgo',
  caCert: 'ca-cert',
  platforms: 'platforms',
  dns: 'dns',
  registryMirrors: 'registry-mirrors',
  proxy: 'proxy',
  daemonJson: 'daemon-json',
  compose: 'compose',
  ci: 'ci',
  ciCache: 'ci-cache',
  ciRegistry: 'ci-registry',
  ciRollout: 'ci-rollout',
  pins: 'pins',
  renovate: 'renovate',
};

/** The files that set options, with the line of each key, so a message can point at the line. */
export interface SourceFiles {
  /** .go-docker.yaml, as the user reaches it from where they are. */
  answers?: { path: string; lines: Record<string, number> };
  policy?: { path: string; lines: Record<string, number> };
}

/** The policy keys that constrain an option instead of fixing it: the line to name when the option itself is absent. */
const POLICY_CONSTRAINTS: Partial<Record<OptionKey, string>> = { base: 'allowed-bases', goVersion: 'min-go' };

/**
 * How a message names where a value came from: the flag, the answers file or the policy (with
 * file and line when `files` knows them), the wizard...
 */
export function describeSource(source: OptionSource, key: OptionKey, files: SourceFiles = {}): string {
  const name = FILE_KEYS[key];
  switch (source) {
    case 'flag':
      return `--${name}`;
    case 'answers': {
      const line = files.answers?.lines[name];
      return files.answers && line !== undefined ? `${files.answers.path}:${line}: ${name}` : `${ANSWERS_FILE}'s ${name}`;
    }
    case 'policy': {
      const policy = files.policy;
      const constraint = POLICY_CONSTRAINTS[key];
      const named =
        policy?.lines[name] !== undefined
          ? name
          : constraint !== undefined && policy?.lines[constraint] !== undefined
            ? constraint
            : undefined;
      return policy && named ? `the policy ${policy.path}:${policy.lines[named]}: ${named}` : `the policy's ${name}`;
    }
    case 'wizard':
      return `your ${name} answer`;
    case 'detected':
      return `the detected ${name}`;
    case 'carried':
      return `the ${name} carried over from the Dockerfile it replaces`;
    case 'default':
      return `the default ${name}`;
  }
}

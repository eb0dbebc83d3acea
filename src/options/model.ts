// The one typed model every source (defaults, detection, policy, .go-docker.yaml, flags,
// wizard) fills. Later sources win; see resolveOptions.

export const REGIONS = ['global', 'cn', 'custom'] as const;
export const AUTH_MODES = ['none', 'ssh', 'token'] as const;
export const BASES = ['distroless', 'alpine', 'scratch', 'debian'] as const;
export const CGO_MODES = ['auto', 'on', 'off'] as const;

export type Region = (typeof REGIONS)[number];
export type AuthMode = (typeof AUTH_MODES)[number];
export type Base = (typeof BASES)[number];
export type CgoMode = (typeof CGO_MODES)[number];

export interface Options {
  region: Region;
  /** GOPROXY list as the user wrote it; undefined means "the region's default". */
  goProxy?: string;
  /** GOSUMDB; undefined means "the region's default". */
  goSumDb?: string;
  /** GOPRIVATE glob patterns. */
  privatePatterns: string[];
  auth: AuthMode;
  base: Base;
  /** Exact runtime image, overriding the one `base` implies. */
  baseImage?: string;
  /** Registry/mirror prefix every FROM is pulled through. */
  registry?: string;
  /** Go version for the builder image, e.g. "1.26" or "1.26.8". */
  goVersion?: string;
  /** Main package to build as the default image, e.g. "./cmd/api" or ".". */
  mainPackage?: string;
  port?: number;
  cgo: CgoMode;
  /** Corporate root CA (PEM), path relative to the project directory or absolute. */
  caCert?: string;
  platforms: string[];
  /** DNS servers for daemon.json. */
  dns: string[];
  /** HTTP(S) proxy for the Docker daemon and the build. */
  proxy?: string;
  daemonJson: boolean;
}

export type OptionKey = keyof Options;
export type PartialOptions = Partial<Options>;

/** Where a value came from, so the wizard can skip what is already decided. */
export type OptionSource = 'default' | 'detected' | 'policy' | 'config' | 'flag' | 'wizard';

export const DEFAULT_OPTIONS: Options = {
  region: 'global',
  privatePatterns: [],
  auth: 'none',
  base: 'distroless',
  cgo: 'auto',
  platforms: [],
  dns: [],
  daemonJson: true,
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
  base: 'base',
  baseImage: 'base-image',
  registry: 'registry',
  goVersion: 'go',
  mainPackage: 'main',
  port: 'port',
  cgo: 'cgo',
  caCert: 'ca-cert',
  platforms: 'platforms',
  dns: 'dns',
  proxy: 'proxy',
  daemonJson: 'daemon-json',
};

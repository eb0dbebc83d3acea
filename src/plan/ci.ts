// --ci github|gitlab: what the CI files need. Every fact comes from the plan the Dockerfile was
// made from (images, targets, platforms, the secret or SSH agent, proxy build args), so the CI
// builds exactly what `docker build` builds here. The cache is BuildKit's own (registry by
// default), which a fresh runner imports: that is what makes the cache travel.
import type { CiCache, Options } from '../options/model.js';
import { REGION_DEFAULTS, registryMirrorsOf } from '../options/regions.js';
import { brandKnown, type HostName, type ImageRef, type RelativePath, type SafeName } from '../values/kinds.js';
import { parseImageName, throughRegistry } from './images.js';
import { imageRefProblem, policySourceParts } from '../values/network.js';
import { proxyBuildArgs } from './commands.js';
import type { ImagePlan } from './plan.js';
import { MANAGED_PATHS, pathBetween } from './paths.js';

/** The version of create-go-docker CI runs for the drift gate: this one, so the gate agrees with the files. */
export interface CiInput {
  options: Options;
  /** GitLab: .gitlab-ci.yml exists and is not ours, so ours goes beside it, to be included. */
  foreignGitlabCi: boolean;
  images: readonly ImagePlan[];
  projectDir: string;
  outDir: string;
  toolVersion: string;
  noProxy: string | undefined;
  privateHosts: readonly HostName[];
  sshHosts: readonly HostName[];
  /** The image stamps ${VERSION}. */
  hasVersion: boolean;
  /** docker/buildkitd.toml is written (mirrors or a CA): the builder is created with it. */
  buildkitdConfig?: string;
  /** Where .go-docker.yaml says the policy comes from; absent: no policy made the files. */
  policySource?: CiPolicySource;
}

/** A path in the repository, a URL, an npm package, or a policy given from outside the repository (only its sha256 recorded). */
export type CiPolicySource = 'path' | 'url' | 'npm' | 'unrecorded';

interface CiImage {
  /** The Dockerfile stage and GitLab matrix value. */
  name: SafeName;
  /** The image's own name: its bake target and, under a prefix, its repository. */
  tag: SafeName;
  /** Where it is pushed, without a tag (a CI expression or variable in it is the CI's own). */
  repository: string;
  /** Its GitHub cache scope: per image and platform set, so images and platforms never evict each other. */
  ghaScope: string;
}

export interface CiPlan {
  github: boolean;
  gitlab: boolean;
  images: CiImage[];
  /** Several images: built from docker-bake.hcl (GitHub) or a GitLab parallel matrix. */
  several: boolean;
  /** From the CI files' directory (the repository root) to the build context and to the Dockerfile. */
  context: RelativePath;
  dockerfile: string;
  /** The Dockerfile's directory, from the same place (buildctl's --local dockerfile=). */
  dockerfileDir: string;
  /** Several images: the repository every image name goes under (docker-bake.hcl's REGISTRY_IMAGE_PREFIX). */
  imagePrefix: string;
  /** GitHub: the IMAGE the workflow pushes to (several images: their prefix), lower-cased by the workflow. */
  githubImage: string;
  bakeFile: string;
  /** "linux/amd64,linux/arm64", empty for the runner's own. */
  platforms: string;
  /** Emulation for platforms other than the runner's. */
  qemu: boolean;
  cache: { registry: boolean; gha: boolean };
  /** Build args besides VERSION: the proxy, and GOPROXY, which a CI variable may change per runner network. */
  buildArgs: { name: string; value: string }[];
  goProxyDefault: string;
  hasVersion: boolean;
  netrc: boolean;
  /** Private git hosts, for the .netrc GitLab writes from its job token. */
  privateHosts: HostName[];
  ssh: boolean;
  /** Pushes go to the CI's own registry (ghcr.io, $CI_REGISTRY) or one given with --ci-registry. */
  registry: { own: boolean; host: string };
  buildkitdConfig?: string;
  /** HTTP proxy for the builder itself (pulling base images, exporting the cache). */
  builderProxy?: { proxy: string; noProxy: string };
  /** The drift gate: this create-go-docker, checking the committed files. */
  driftCommand: string;
  /**
   * What the drift job's comments say about getting the policy, per CI; npm: the job passes
   * NPM_TOKEN for a private registry; rollout: the policy only its hash records is fetched from
   * the roll-out source, as the roll-out job fetches it.
   */
  drift: { github: string[]; gitlab: string[]; npm: boolean; rollout?: NonNullable<CiPlan['rollout']> };
  rollout?: { repository?: string; path?: string; url?: string; policyFile: string; regenerateCommand: string; gitlabApiPath?: string };
  /** BuildKit in GitLab jobs: rootless, daemonless, the release the e2e suite runs (through the region's mirror or --registry). */
  buildkitImage: ImageRef;
  /** The Node.js major the drift and roll-out jobs run npx with: a current LTS. */
  nodeVersion: string;
  /** The build needs this repository's secrets (private modules): fork pull requests skip it. */
  privateModules: boolean;
  /** GitHub: each action's `uses:` value, pinned to a commit, and its release. */
  actions: Record<ActionKey, { uses: string; release: string }>;
  /** GitLab: the Node images (slim: npx only; full: git and curl too), pulled as buildkitImage is. */
  nodeImage: { slim: ImageRef; full: ImageRef };
  /** An npm registry mirror for npx (region cn: npmmirror), when the region has one. */
  npmRegistry?: string;
  /** GitLab: where the file is, and whether the project's own .gitlab-ci.yml must include it. */
  gitlabFile: string;
  gitlabInclude: boolean;
  /** GitLab: the pushed repository, as a shell word with $IMAGE for the matrix. */
  gitlabImagePrefix: string;
  gitlabRegistryUser: string;
  gitlabRegistryPassword: string;
}

/**
 * The GitHub Actions the workflows use, each pinned to a release's full commit: a tag can be
 * moved to other code (zizmor's unpinned-uses, Scorecard's Pinned-Dependencies); the release
 * goes in a comment beside it, which Dependabot and Renovate read and update.
 */
const ACTIONS = {
  checkout: { name: 'actions/checkout', release: 'v7.0.1', commit: '3d3c42e5aac5ba805825da76410c181273ba90b1' },
  setupNode: { name: 'actions/setup-node', release: 'v7.0.0', commit: '820762786026740c76f36085b0efc47a31fe5020' },
  setupQemu: { name: 'docker/setup-qemu-action', release: 'v4.2.0', commit: '96fe6ef7f33517b61c61be40b68a1882f3264fb8' },
  setupBuildx: { name: 'docker/setup-buildx-action', release: 'v4.3.0', commit: '37fe631027851001ddb9b187196cc803df7f5f0e' },
  login: { name: 'docker/login-action', release: 'v4.1.0', commit: '4907a6ddec9925e35a0a9e82d7399ccc52663121' },
  metadata: { name: 'docker/metadata-action', release: 'v6.2.0', commit: 'dc802804100637a589fabce1cb79ff13a1411302' },
  bake: { name: 'docker/bake-action', release: 'v7.1.0', commit: 'a66e1c87e2eca0503c343edf1d208c716d54b8a8' },
  buildPush: { name: 'docker/build-push-action', release: 'v7.3.0', commit: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a' },
  sshAgent: { name: 'webfactory/ssh-agent', release: 'v0.9.1', commit: 'a6f90b1f127823b31d4d4a8d96047790581349bd' },
  createPullRequest: { name: 'peter-evans/create-pull-request', release: 'v8.1.1', commit: '5f6978faf089d4d20b00c7766989d076bb2fc7f1' },
} as const;

type ActionKey = keyof typeof ACTIONS;

/** What a `uses:` line says: owner/repo@commit, and the release for its comment. */
function actionUses(): Record<ActionKey, { uses: string; release: string }> {
  const entries = Object.entries(ACTIONS) as [ActionKey, (typeof ACTIONS)[ActionKey]][];
  return Object.fromEntries(
    entries.map(([key, action]) => [key, { uses: `${action.name}@${action.commit}`, release: action.release }]),
  ) as Record<ActionKey, { uses: string; release: string }>;
}

/** The moby/buildkit release GitLab jobs run (and the e2e suite builds from source). */
const BUILDKIT_VERSION = 'v0.18.2';

/** Node.js for npx in CI: the active LTS (20 reached its end of life on 2026-04-30). */
const NODE_LTS = 24;

/**
 * A Docker Hub image a CI job runs in, as the runner can pull it: through --registry, else
 * through the region's registry mirror (cn: a runner in mainland China cannot reach Docker Hub,
 * and a shared runner's daemon has no mirror configured), else as it is.
 */
function ciImage(reference: string, options: Options): ImageRef {
  const image = brandKnown<ImageRef>(reference, imageRefProblem);
  if (options.registry) return throughRegistry(image, options.registry);
  const mirror = registryMirrorsOf(options)[0];
  if (!mirror) return image;
  const { path, suffix } = parseImageName(image);
  return brandKnown<ImageRef>(`${mirrorHost(mirror)}/${path}${suffix}`, imageRefProblem);
}

/** A registry mirror URL as image references and buildkitd.toml name it: the host, no scheme. */
function mirrorHost(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

function registryHost(prefix: string): string {
  return prefix.split('/')[0]!;
}

export function ciPlan(input: CiInput): CiPlan | undefined {
  const { options } = input;
  if (options.ci === 'none') return undefined;
  const github = options.ci === 'github';
  const several = input.images.length > 1;
  const own = options.ciRegistry === undefined;
  // ghcr.io/owner/repo (GitHub lowercases it in metadata-action) or GitLab's project registry.
  const base = options.ciRegistry ?? (github ? 'ghcr.io/${{ github.repository }}' : '${CI_REGISTRY_IMAGE}');
  // The default image first: a single-image project pushes to the base name itself.
  const ordered = [...input.images].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  const platformScope = options.platforms.map((platform) => platform.replace(/\//g, '-')).join('_');
  const images = ordered.map((image) => ({
    name: image.stageName,
    tag: image.tag,
    repository: several || !own ? `${base}/${image.tag}` : base,
    ghaScope: platformScope ? `${image.stageName}-${platformScope}` : image.stageName,
  }));
  const project = pathBetween(input.outDir, input.projectDir, 'the project directory seen from the output directory', 'the CI files');
  const cache: CiCache = options.ciCache;
  const drift = `npx --yes create-go-docker@${input.toolVersion} regenerate --check`;
  const plan: CiPlan = {
    github,
    gitlab: !github,
    images,
    several,
    context: project,
    dockerfile: MANAGED_PATHS.dockerfile,
    dockerfileDir: '.',
    imagePrefix: base,
    githubImage: several ? base : images[0]!.repository,
    bakeFile: MANAGED_PATHS.bake,
    platforms: options.platforms.join(','),
    qemu: options.platforms.some((platform) => !platform.startsWith('linux/amd64')),
    cache: { registry: cache === 'registry', gha: cache === 'gha' },
    buildArgs: proxyBuildArgs(options.proxy, input.noProxy),
    goProxyDefault: options.goProxy ?? REGION_DEFAULTS[options.region].goProxy ?? '',
    hasVersion: input.hasVersion,
    netrc: options.auth === 'token',
    privateModules: options.auth !== 'none',
    privateHosts: [...input.privateHosts],
    ssh: options.auth === 'ssh',
    registry: { own, host: !own ? registryHost(options.ciRegistry!) : github ? 'ghcr.io' : '$CI_REGISTRY' },
    driftCommand: drift,
    drift: { github: [], gitlab: [], npm: input.policySource === 'npm' },
    buildkitImage: ciImage(`moby/buildkit:${BUILDKIT_VERSION}-rootless`, options),
    nodeVersion: String(NODE_LTS),
    actions: actionUses(),
    nodeImage: { slim: ciImage(`node:${NODE_LTS}-bookworm-slim`, options), full: ciImage(`node:${NODE_LTS}-bookworm`, options) },
    gitlabFile: input.foreignGitlabCi ? MANAGED_PATHS.gitlabIncluded : MANAGED_PATHS.gitlabCi,
    gitlabInclude: input.foreignGitlabCi,
    gitlabImagePrefix: several || !own ? `${options.ciRegistry ?? '$CI_REGISTRY_IMAGE'}/$IMAGE` : '$CI_REGISTRY_IMAGE',
    gitlabRegistryUser: own ? '$CI_REGISTRY_USER' : '$REGISTRY_USERNAME',
    gitlabRegistryPassword: own ? '$CI_REGISTRY_PASSWORD' : '$REGISTRY_PASSWORD',
  };
  if (input.buildkitdConfig) plan.buildkitdConfig = input.buildkitdConfig;
  const npmRegistry = REGION_DEFAULTS[options.region].npmRegistry;
  if (npmRegistry) plan.npmRegistry = npmRegistry;
  if (options.proxy && input.noProxy) plan.builderProxy = { proxy: options.proxy, noProxy: input.noProxy };
  if (options.ciRollout) {
    const policyFile = github ? '${{ runner.temp }}/go-docker-policy.yaml' : '/tmp/go-docker-policy.yaml';
    const parts = policySourceParts(options.ciRollout);
    const source = 'url' in parts ? parts : repositorySource(parts.repository, parts.path);
    plan.rollout = { ...source, policyFile, regenerateCommand: `npx --yes create-go-docker@${input.toolVersion} regenerate` };
  }
  // Only a policy .go-docker.yaml cannot name (its hash alone) is fetched from the roll-out
  // source: any other is found through .go-docker.yaml, as every checkout finds it.
  const fromRollout = input.policySource === 'unrecorded' && plan.rollout !== undefined;
  if (fromRollout) plan.drift.rollout = plan.rollout!;
  plan.drift.github = driftComments(input.policySource, fromRollout, 'github');
  plan.drift.gitlab = driftComments(input.policySource, fromRollout, 'gitlab');
  return plan;
}

/**
 * How the drift job gets the policy, said where a maintainer reads the job: on the first
 * pipeline a path in the repository is in the checkout, a URL is fetched and a package resolved
 * by create-go-docker itself, a roll-out source is fetched as the roll-out job fetches it; only a
 * policy nobody else can read needs a secret (GitHub) or a File variable (GitLab), and without
 * it the job fails naming the policy, never with a false drift.
 */
function driftComments(source: CiPolicySource | undefined, rollout: boolean, ci: 'github' | 'gitlab'): string[] {
  const secret = ci === 'github' ? 'the repository secret GO_DOCKER_POLICY' : 'a CI/CD variable of type File named CREATE_GO_DOCKER_POLICY';
  const npmToken = ci === 'github' ? 'the repository secret NPM_TOKEN' : 'a masked CI/CD variable NPM_TOKEN';
  if (rollout)
    return [
      'The policy (.go-docker.yaml records only its sha256): fetched from the roll-out source, as the',
      'roll-out job fetches it; a change there fails this job until the roll-out is merged.',
    ];
  const lines: Record<CiPolicySource | 'none', string[]> = {
    none: [],
    path: ['The policy: the file .go-docker.yaml names, from this checkout.'],
    url: [
      'The policy: create-go-docker fetches the https URL .go-docker.yaml names; a change there',
      'fails this job (sha256 in .go-docker.yaml) until `create-go-docker regenerate` records it.',
    ],
    npm: [
      'The policy: create-go-docker resolves the npm package .go-docker.yaml names with npm; a newer',
      'version in its range fails this job until `create-go-docker regenerate` records it. A private',
      `registry: commit an .npmrc with "//HOST/:_authToken=\${NPM_TOKEN}" and add ${npmToken}.`,
    ],
    unrecorded: [
      'The policy was given from outside the repository; .go-docker.yaml records only its sha256.',
      `Put its YAML in ${secret}, or this job fails (exit 2) naming it.`,
    ],
  };
  const chosen = lines[source ?? 'none'];
  return source === 'unrecorded' ? chosen : [...chosen, `A policy kept private: its YAML in ${secret}, which wins over .go-docker.yaml's.`];
}

/** A policy in another repository: GitHub reads it with the gh CLI, GitLab through its files API. */
function repositorySource(repository: string, path: string): { repository: string; path: string; gitlabApiPath: string } {
  return { repository, path, gitlabApiPath: `projects/${encodeURIComponent(repository)}/repository/files/${encodeURIComponent(path)}/raw` };
}

/** docker/buildkitd.toml: what daemon.json does for dockerd, for BuildKit builders (buildx drivers, CI). */
export interface BuildkitdPlan {
  /** One `[registry."host"]` table per host, sorted: BuildKit refuses a table written twice. */
  registries: BuildkitdRegistry[];
}

interface BuildkitdRegistry {
  host: string;
  /** Mirror hosts (not URLs); only Docker Hub's. */
  mirrors: string[];
  /** A mirror served over plain HTTP. */
  http: boolean;
  /** The corporate CA's path in the context, for a TLS-inspecting proxy between builder and registry. */
  ca?: string;
}

export function buildkitdPlan(input: { options: Options; caPath?: string; imageRegistries: readonly string[] }): BuildkitdPlan | undefined {
  const mirrors = registryMirrorsOf(input.options).map((url) => ({
    host: mirrorHost(url),
    http: url.startsWith('http://'),
  }));
  // Images pulled through --registry need no Docker Hub mirror.
  const useMirrors = input.options.registry === undefined ? mirrors : [];
  if (useMirrors.length === 0 && !input.caPath) return undefined;
  const registries = new Map<string, BuildkitdRegistry>();
  const entry = (host: string): BuildkitdRegistry => {
    const found = registries.get(host) ?? { host, mirrors: [], http: false };
    registries.set(host, found);
    return found;
  };
  if (useMirrors.length > 0) entry('docker.io').mirrors = useMirrors.map((mirror) => mirror.host);
  for (const mirror of useMirrors) if (mirror.http) entry(mirror.host).http = true;
  if (input.caPath) {
    // The proxy that inspects TLS sits between the builder and every registry it reaches: the
    // images' registries and the HTTPS mirrors alike.
    const reached = [...input.imageRegistries, ...useMirrors.filter((mirror) => !mirror.http).map((mirror) => mirror.host)];
    for (const host of reached) entry(host).ca = input.caPath;
  }
  return { registries: [...registries.values()].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0)) };
}

// Which required modules are a company's own: the one classification that the detected GOPRIVATE
// (what --yes, a piped run and the wizard's default all take), the unattended warning and
// doctor's GCD013 share, so what we generate is what doctor accepts. A host is public when the
// table below names it, private only with evidence in its name, and otherwise unsure: we never
// guess a host private (that would send a public module past the proxy and the checksum
// database) and never guess it public (that makes the build ask the public proxy: "410 Gone").
import type { GoMod } from './gomod.js';

interface HostEntry {
  /** A host, or ".suffix" for every host below it. */
  host: string;
  /** Why it is public: whose it is, or that the public proxy serves its modules. */
  why: string;
}

/** Hosts whose modules the public proxy (proxy.golang.org) serves: code hosts and well-known vanity domains. */
const PUBLIC_HOSTS: readonly HostEntry[] = [
  { host: 'github.com', why: 'public code host (a private repository there is named with --private github.com/org/*)' },
  { host: 'gitlab.com', why: 'public code host' },
  { host: 'bitbucket.org', why: 'public code host' },
  { host: 'codeberg.org', why: 'public code host (Forgejo)' },
  { host: 'gitea.com', why: 'public code host (Gitea)' },
  { host: 'code.gitea.io', why: "Gitea's own modules" },
  { host: 'gitee.com', why: 'public code host (mainland China)' },
  { host: 'git.sr.ht', why: 'public code host (SourceHut)' },
  { host: '.googlesource.com', why: "Google's public git servers (go.googlesource.com)" },
  { host: 'golang.org', why: 'the Go project (golang.org/x)' },
  { host: 'google.golang.org', why: "Google's Go modules (grpc, protobuf, api)" },
  { host: 'cloud.google.com', why: 'Google Cloud client libraries' },
  { host: 'gopkg.in', why: 'versioned redirects to GitHub' },
  { host: 'go.uber.org', why: "Uber's public modules (zap, atomic)" },
  { host: 'k8s.io', why: 'Kubernetes' },
  { host: 'sigs.k8s.io', why: 'Kubernetes SIGs' },
  { host: 'go.opentelemetry.io', why: 'OpenTelemetry' },
  { host: 'go.etcd.io', why: 'etcd, bbolt' },
  { host: 'go.mongodb.org', why: 'the MongoDB driver' },
  { host: 'go.yaml.in', why: 'yaml' },
  { host: 'go.temporal.io', why: 'Temporal' },
  { host: 'go.starlark.net', why: 'Starlark' },
  { host: 'gocloud.dev', why: 'Go CDK' },
  { host: 'honnef.co', why: 'staticcheck' },
  { host: 'gorm.io', why: 'GORM' },
  { host: 'gotest.tools', why: 'gotest.tools' },
  { host: 'gonum.org', why: 'Gonum' },
  { host: 'dario.cat', why: 'mergo' },
  { host: 'filippo.io', why: 'age, edwards25519' },
  { host: 'modernc.org', why: 'the pure-Go SQLite' },
  { host: 'mvdan.cc', why: 'gofumpt, sh' },
  { host: 'rsc.io', why: 'Russ Cox' },
  { host: 'cuelang.org', why: 'CUE' },
  { host: 'tailscale.com', why: 'Tailscale' },
  { host: 'golang.zx2c4.com', why: 'WireGuard' },
  { host: 'gvisor.dev', why: 'gVisor' },
  { host: 'knative.dev', why: 'Knative' },
  { host: 'istio.io', why: 'Istio' },
  { host: 'helm.sh', why: 'Helm' },
  { host: 'oras.land', why: 'ORAS' },
  { host: 'nhooyr.io', why: 'websocket' },
  { host: 'lukechampine.com', why: 'blake3' },
  { host: 'code.cloudfoundry.org', why: 'Cloud Foundry' },
];

interface PrivateEvidence {
  name: string;
  /** Why a host matching it cannot be (or is very unlikely to be) on the public internet. */
  why: string;
  matches: (labels: readonly string[]) => boolean;
}

/** Top-level domains that resolve only inside a network (RFC 2606, 6761, 6762, 8375, and common intranet use). */
const INTRANET_TLDS = [
  'corp',
  'internal',
  'intranet',
  'intra',
  'lan',
  'local',
  'localdomain',
  'home',
  'private',
  'test',
  'example',
  'invalid',
];
/** Labels companies put in their internal host names (git.corp.example.com). */
const INTRANET_LABELS = ['corp', 'internal', 'intranet', 'intra', 'private', 'lan'];
/** First labels of self-hosted forges (git.acme.com, gitlab.acme.com, github.acme.com for GitHub Enterprise). */
const FORGE_LABELS = ['git', 'gitlab', 'gitea', 'forgejo', 'gogs', 'gerrit', 'bitbucket', 'stash', 'ghe', 'github', 'scm', 'code'];

const PRIVATE_EVIDENCE: readonly PrivateEvidence[] = [
  {
    name: 'intranet top-level domain',
    why: 'such names resolve only inside a network',
    matches: (labels) => INTRANET_TLDS.includes(labels.at(-1)!) || labels.slice(-2).join('.') === 'home.arpa',
  },
  {
    name: 'intranet label',
    why: 'companies name internal hosts so',
    matches: (labels) => labels.slice(0, -1).some((label) => INTRANET_LABELS.includes(label)),
  },
  {
    name: 'self-hosted forge',
    why: 'a company git server (public forges are in the table above)',
    matches: (labels) => labels.length > 2 && FORGE_LABELS.includes(labels[0]!),
  },
];

/**
 * Documentation domains (RFC 2606), the usual module path of a local module ("module
 * example.com/svc"): nothing can be downloaded from them, so a requirement there is replaced or
 * fails in go itself, and GOPRIVATE would change nothing. Their subdomains (git.corp.example.com,
 * the documentation's company host) are judged like any host.
 */
const RESERVED_DOMAINS = ['example.com', 'example.net', 'example.org'];

export type HostKind = 'public' | 'private' | 'unsure' | 'not fetched';

export function classifyHost(host: string): HostKind {
  const name = host.toLowerCase();
  // go downloads no module whose first path element has no dot ("missing dot in first path
  // element"): such a requirement is replaced by a directory, whatever GOPRIVATE says.
  if (!name.includes('.')) return 'not fetched';
  if (RESERVED_DOMAINS.includes(name)) return 'not fetched';
  if (PUBLIC_HOSTS.some((entry) => (entry.host.startsWith('.') ? name.endsWith(entry.host) : name === entry.host))) return 'public';
  const labels = name.split('.');
  if (PRIVATE_EVIDENCE.some((evidence) => evidence.matches(labels))) return 'private';
  return 'unsure';
}

/** A module the build downloads, with the host it comes from. */
export interface FetchedModule {
  /** The path go downloads: the require's, or its replacement module's. */
  path: string;
  /** The path go.mod requires it as (the same unless replaced). */
  required: string;
  host: string;
  kind: HostKind;
}

export interface ModuleHosts {
  /** Hosts that are private by their name: the detected GOPRIVATE, sorted. */
  private: string[];
  /** Hosts neither known public nor private-looking: an unattended run names them, sorted. */
  unsure: string[];
  /** Every module the build downloads. */
  modules: FetchedModule[];
}

/**
 * The modules a build downloads, from the given go.mod files: every require, except the modules
 * built from the workspace itself and those replaced by a directory; a require replaced by
 * another module counts as that module. Vendored builds download nothing: callers skip them.
 */
export function moduleHosts(goMods: readonly GoMod[]): ModuleHosts {
  const own = new Set(goMods.map((goMod) => goMod.modulePath));
  const modules: FetchedModule[] = [];
  for (const goMod of goMods) {
    for (const requirement of goMod.requires) {
      if (own.has(requirement.path)) continue;
      const replacement = goMod.replaces.find((replace) => replace.from === requirement.path);
      if (replacement?.isLocal) continue;
      const path = replacement ? replacement.to : requirement.path;
      const host = path.split('/')[0]!;
      if (!modules.some((module) => module.path === path))
        modules.push({ path, required: requirement.path, host, kind: classifyHost(host) });
    }
  }
  const hostsOf = (kind: HostKind) => [...new Set(modules.filter((module) => module.kind === kind).map((module) => module.host))].sort();
  return { private: hostsOf('private'), unsure: hostsOf('unsure'), modules };
}

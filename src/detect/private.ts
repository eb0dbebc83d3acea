// Which required modules look like a company's own: a suggestion for GOPRIVATE (the wizard's
// default, doctor's check), never a decision.

const PUBLIC_HOSTS = [
  'github.com', 'gitlab.com', 'bitbucket.org', 'golang.org', 'google.golang.org', 'gopkg.in', 'go.uber.org',
  'k8s.io', 'sigs.k8s.io', 'cloud.google.com', 'go.opentelemetry.io', 'go.etcd.io', 'honnef.co', 'gorm.io',
  'go.mongodb.org', 'gotest.tools', 'dario.cat', 'filippo.io', 'modernc.org', 'rsc.io', 'cuelang.org', 'go.yaml.in',
];

/** Hosts of required modules that look private (not a well-known public code host), sorted. */
export function suggestPrivateHosts(requirePaths: readonly string[]): string[] {
  const hosts = new Set<string>();
  for (const path of requirePaths) {
    const host = path.split('/')[0]!;
    if (!host.includes('.') || PUBLIC_HOSTS.includes(host)) continue;
    if (/(^|\.)(corp|internal|intra|local|lan|company|private)(\.|$)|^git\.|^gitlab\.|^gitea\.|^code\./.test(host)) hosts.add(host);
  }
  return [...hosts].sort();
}

// The port and bind address a service uses by default, chosen from what detect/ports.ts found,
// and how to make it reachable from outside the container (a flag's argument or an environment
// variable). Pure.
import type { PortFinding } from './ports.js';

const KIND_ORDER: Record<PortFinding['kind'], number> = { flag: 0, tag: 1, env: 2, config: 3, call: 4, literal: 5 };

export interface ListenPlan {
  port?: number;
  /** Loopback by default and how to change it: a flag's argument, or an environment variable's value. */
  loopback?: {
    flag?: string;
    fix?: string;
    env?: { name: string; value: string };
    where: string;
    subcommand?: string;
    requires?: { flag: string; where: string };
  };
  /** Where the port was found, for the summary. */
  where?: string;
  flag?: string;
  /**
   * The other ports it listens on by default, in the same command (nsqd's TCP 4150 beside HTTP
   * 4151, livego's RTMP, HTTP-FLV, HLS and API). Only its own flags and variables whose default
   * is a whole bind address: not a struct tag of a config tree (centrifugo's ACME challenge
   * server), not a library's fallback (`Addr = ":25"`), not a bare port number (often a
   * feature that is off by default: centrifugo's grpc_api.port); never a TLS, loopback or
   * debug/profiling listener. Ascending.
   */
  extraPorts?: number[];
}

/** A listener beside the service's own: TLS, metrics, profiling, admin, health (--https-address, --metrics-addr). */
const SECONDARY_NAME = /ssl|tls|https|metric|pprof|debug|admin|grpc|health|prometheus|profil/i;
/** Not a default listener at all: it listens only with certificates, or only while debugging. */
const NOT_BY_DEFAULT_NAME = /ssl|tls|https|pprof|debug|profil/i;

/**
 * The service's port and bind, from its findings: what the program does without a subcommand
 * first (or, when the root only prints usage, the subcommand the image runs, `serve`), then the
 * service's own listener before a secondary one (TLS, metrics, admin), then flags, tags, env,
 * config, calls, literals. A listen call hard-coded to loopback
 * (http.ListenAndServe("localhost:6060") behind a --profile switch) is a private debug or admin
 * listener, never the service's port.
 */
export function listenPlan(findings: readonly PortFinding[], serve?: string): ListenPlan {
  // With a root that only prints usage, the image runs `serve`: its flags first, then the root's; no other subcommand's.
  const rank = (finding: PortFinding) =>
    finding.subcommand === undefined ? (serve === undefined ? 0 : 1) : finding.subcommand === serve ? 0 : 2;
  const ordered = findings
    .filter((finding) => !((finding.kind === 'call' || finding.kind === 'literal') && finding.host === 'loopback'))
    .filter((finding) => serve === undefined || finding.subcommand === undefined || finding.subcommand === serve)
    .sort((a, b) => rank(a) - rank(b) || secondary(a) - secondary(b) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  const withPort = ordered.find((finding) => finding.port !== undefined);
  const plan: ListenPlan = {};
  if (withPort) {
    plan.port = withPort.port!;
    plan.where = withPort.where;
    if (withPort.flag) plan.flag = withPort.flag;
    const extraPorts = ordered
      .filter(
        (finding) =>
          finding.port !== undefined &&
          finding.port !== withPort.port &&
          finding.subcommand === withPort.subcommand &&
          (finding.kind === 'flag' || finding.kind === 'env') &&
          // A whole bind address (":7001", "0.0.0.0:4150"): a bare number is often the port of a feature that is off by default.
          finding.form !== 'port' &&
          finding.host !== 'loopback' &&
          !NOT_BY_DEFAULT_NAME.test(finding.flag ?? finding.env ?? ''),
      )
      .map((finding) => finding.port!);
    if (extraPorts.length > 0) plan.extraPorts = [...new Set(extraPorts)].sort((a, b) => a - b);
  }
  // The bind: the port's own finding when it names a host, else a host-only flag or tagged flag (--address 127.0.0.1).
  const bind =
    withPort && withPort.host !== 'unknown' ? withPort : ordered.find((finding) => finding.form === 'host' && finding.flag !== undefined);
  if (bind && bind.host === 'loopback') {
    const loopback: ListenPlan['loopback'] = { where: bind.where };
    if (bind.flag) {
      loopback.flag = bind.flag;
      loopback.fix = `--${bind.flag}=${bindAllValue(bind)}`;
    } else if (bind.env) loopback.env = { name: bind.env, value: bindAllValue(bind) };
    if (bind.subcommand) loopback.subcommand = bind.subcommand;
    if (bind.requires) loopback.requires = bind.requires;
    plan.loopback = loopback;
  }
  return plan;
}

function secondary(finding: PortFinding): number {
  return SECONDARY_NAME.test(finding.flag ?? finding.env ?? '') ? 1 : 0;
}

/** The same default with every interface: 0.0.0.0:8090, http://0.0.0.0:2379, 0.0.0.0. */
function bindAllValue(finding: PortFinding): string {
  const first = finding.value.split(',')[0]!.trim();
  if (finding.form === 'url') return first.replace(/^(\w+:\/\/)([^/:]+|\[[^\]]+\])/, '$10.0.0.0');
  if (finding.form === 'hostport') return `0.0.0.0:${finding.port}`;
  return '0.0.0.0';
}

/**
 * Decides, per service and once at start-up, which sandbox layers are in force on this host, and says so:
 * a warning names each layer the host cannot give and how to get it; a layer listed in `sandbox.require`
 * that the host cannot give stops start-up instead. Sessions then follow the plan; nothing is chosen by
 * guessing from the command.
 */
import type { SandboxConfig, SandboxLayer } from '../config/schema.js';
import type { HostCapabilities } from './host.js';

/** What one service's servers run under. */
export interface SandboxPlan {
  enabled: boolean;
  /** pid + mount namespaces, and by which tool. */
  isolation: 'bwrap' | 'unshare' | 'none';
  /** A read-only view of the host with the gateway's secrets hidden (bubblewrap only). */
  filesystem: 'confined' | 'host';
  /** Whose uid the server runs as. */
  uid: 'per-session' | 'configured' | 'gateway';
  /** RLIMIT_DATA, CPU, NPROC, FSIZE through prlimit. */
  rlimits: boolean;
  /** A cgroup per session: memory cap, pids cap, kill-all. */
  cgroup: { memory?: 'v1' | 'v2'; pids?: 'v1' | 'v2'; kill?: 'v1' | 'v2' } | undefined;
  /** Layers wanted but missing, each with what to do about it. */
  missing: Array<{ layer: SandboxLayer; why: string }>;
}

/** How to get what Docker's defaults take away. */
export const DOCKER_HINT =
  'in Docker run the gateway as root with --cap-add SYS_ADMIN --security-opt seccomp=unconfined --security-opt apparmor=unconfined ' +
  '(namespaces) and a writable cgroup (--cgroupns=host -v /sys/fs/cgroup:/sys/fs/cgroup:rw, or --privileged)';

/** The plan for one stdio service's sandbox on `host`. */
export function planSandbox(sb: SandboxConfig, host: HostCapabilities): SandboxPlan {
  const missing: SandboxPlan['missing'] = [];
  const off: SandboxPlan = { enabled: false, isolation: 'none', filesystem: 'host', uid: 'gateway', rlimits: false, cgroup: undefined, missing };
  if (!sb.enabled) return off;

  let isolation: SandboxPlan['isolation'] = 'none';
  const wantsBwrap = sb.isolation === 'bwrap' || sb.allowed_paths !== undefined;
  if ((sb.isolation === 'auto' || wantsBwrap) && host.bwrap.ok) isolation = 'bwrap';
  else if ((sb.isolation === 'auto' || sb.isolation === 'unshare') && !wantsBwrap && host.unshare.ok) isolation = 'unshare';
  if (sb.isolation !== 'none' && isolation !== 'bwrap') {
    const why = host.bwrap.ok ? '' : host.bwrap.why;
    if (isolation === 'none') {
      const alt = host.unshare.ok ? '' : `; ${host.unshare.why}`;
      missing.push({ layer: 'namespaces', why: `${why}${alt}: servers can see the gateway's processes (and its /proc/<pid>/environ when they share its uid)` });
    }
    missing.push({
      layer: 'filesystem',
      why: `${why || `isolation is "${sb.isolation}"`}: servers see the host filesystem, limited only by their uid; install bubblewrap`,
    });
  }

  let uid: SandboxPlan['uid'] = 'gateway';
  if (sb.user !== undefined) uid = 'configured';
  else if (host.root && host.setpriv !== undefined) uid = 'per-session';
  else {
    const why = host.root ? 'setpriv (util-linux) is not installed' : "the gateway does not run as root, so every server runs as the gateway's own user";
    missing.push({ layer: 'uid', why });
  }

  const rlimits = sb.resource_limits && host.prlimit !== undefined;
  if (sb.resource_limits && !rlimits) missing.push({ layer: 'rlimits', why: 'prlimit (util-linux) is not installed' });

  let cgroup: SandboxPlan['cgroup'];
  if (sb.resource_limits) {
    const { memory, pids, kill } = host.cgroup;
    if (memory || pids || kill) cgroup = { ...(memory ? { memory } : {}), ...(pids ? { pids } : {}), ...(kill ? { kill } : {}) };
    if (!memory) {
      missing.push({
        layer: 'memory_cgroup',
        why: `${host.cgroup.problem ?? 'no memory cgroup'}: the memory cap is per process (RLIMIT_DATA), so a server that forks can use it several times`,
      });
    }
  }
  return { enabled: true, isolation, filesystem: isolation === 'bwrap' ? 'confined' : 'host', uid, rlimits, cgroup, missing };
}

/** Whether `layer` is in force under `plan`. */
export function hasLayer(plan: SandboxPlan, layer: SandboxLayer): boolean {
  switch (layer) {
    case 'namespaces':
      return plan.isolation !== 'none';
    case 'filesystem':
      return plan.filesystem === 'confined';
    case 'uid':
      return plan.uid !== 'gateway';
    case 'memory_cgroup':
      return plan.cgroup?.memory !== undefined;
    case 'rlimits':
      return plan.rlimits;
  }
}

/** One line per service for the start-up log and `/status`. */
export function describePlan(plan: SandboxPlan): string {
  if (!plan.enabled) return 'sandbox disabled';
  const memory = plan.cgroup?.memory ? `cgroup ${plan.cgroup.memory} memory + RLIMIT_DATA` : plan.rlimits ? 'RLIMIT_DATA' : 'none';
  return [
    `namespaces: ${plan.isolation}`,
    `filesystem: ${plan.filesystem}`,
    `uid: ${plan.uid}`,
    `memory: ${memory}`,
    `limits: ${plan.rlimits ? 'rlimits' : 'none'}${plan.cgroup?.pids ? ' + pids cgroup' : ''}`,
    `kill-all: ${plan.isolation !== 'none' ? 'pid namespace' : plan.cgroup?.kill ? `cgroup ${plan.cgroup.kill}` : 'process group only'}`,
  ].join(', ');
}

/** The wire shape of one session in `GET /sessions` (and the status page). */
import type { SESSION_STATES } from '../contract.js';
import type { Session } from './session-table.js';

/** Wire shape of one entry of `GET /sessions`. */
export interface SessionInfo {
  session_id: string;
  service: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
  /** `queued` while waiting for a start slot, `starting` until the server answered initialize (and a warm-up is done), then `ready`. */
  state: (typeof SESSION_STATES)[number];
  pid?: number;
  /** The reference's names for the same facts: `service`, `last_used_at` and the idle timeout (seconds). */
  service_name: string;
  last_accessed: string;
  timeout: number;
  /** The `metadata` of the call that opened the session (`{}` when it sent none). */
  metadata: Record<string, unknown>;
  /** Seconds until the idle timeout closes the session (0 when due). */
  time_remaining: number;
}

export function describeSession(s: Session, now: number): SessionInfo {
  const lastUsed = new Date(s.lastUsedAt).toISOString();
  const info: SessionInfo = {
    session_id: s.sessionId,
    service: s.service,
    created_at: new Date(s.createdAt).toISOString(),
    last_used_at: lastUsed,
    expires_at: new Date(s.lastUsedAt + s.idleMs).toISOString(),
    // A closed session is out of the table before anyone can list it.
    state: s.state === 'closed' ? 'starting' : s.state,
    service_name: s.service,
    last_accessed: lastUsed,
    timeout: s.idleMs / 1000,
    metadata: s.metadata ?? {},
    time_remaining: Math.max(0, (s.lastUsedAt + s.idleMs - now) / 1000),
  };
  const pid = s.opened?.upstream.pid ?? s.upstream?.pid;
  if (pid !== undefined) info.pid = pid;
  return info;
}

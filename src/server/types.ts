import type { Request } from 'express';
import type { Logger } from 'pino';
import type { SwaigResponse } from '../swaig/result.js';
import type { SwmlDocument } from '../swml/types.js';

/** What the HTTP layer needs from an agent. `Agent` implements it; tests may stub it. */
export interface AgentHost {
  readonly name: string;
  /** Normalised route: `/` or `/sales` (no trailing slash). */
  readonly route: string;
  readonly logger: Logger;
  readonly credentials: { user: string; password: string };
  /** Largest accepted request body, bytes. */
  readonly maxBodyBytes: number;
  /** False while skills are still setting up. */
  isReady(): boolean;
  /** Runs per-request configuration on a copy, then renders SWML with URLs derived from this request. */
  handleSwmlRequest(req: Request): Promise<SwmlDocument>;
  /** Parses the SWAIG envelope, checks the function token and runs the function (throws 400 AgentErrors). */
  handleSwaigRequest(req: Request): Promise<SwaigResponse>;
  /** Extracts the summary from a post_prompt body and runs onSummary handlers. */
  handleSummary(body: unknown): Promise<void>;
  /** Runs onDebugEvent handlers for a `/debug_events` post. */
  handleDebugEvent(body: unknown): Promise<void>;
}

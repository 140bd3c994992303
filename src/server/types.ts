import type { Request } from 'express';
import type { Logger } from 'pino';
import type { SwaigResponse } from '../swaig/result.js';
import type { SwmlDocument } from '../swml/types.js';

/** What the agent needs to know of an HTTP request: no Express types cross into src/agent/. */
export interface IncomingRequest {
  body: unknown;
  query: Record<string, unknown>;
  /** Lower-case header names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** `http` or `https` (Express's `req.protocol`). */
  protocol: string;
}

/** The facts of an Express request the agent uses. */
export function incoming(req: Request): IncomingRequest {
  return { body: req.body as unknown, query: req.query as Record<string, unknown>, headers: req.headers, protocol: req.protocol };
}

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
  handleSwmlRequest(req: IncomingRequest): Promise<SwmlDocument>;
  /** Parses the SWAIG envelope, checks the function token and runs the function (throws 400 AgentErrors). */
  handleSwaigRequest(req: IncomingRequest): Promise<SwaigResponse>;
  /** Extracts the summary from a post_prompt body and runs onSummary handlers. */
  handleSummary(body: unknown): Promise<void>;
  /** Runs onDebugEvent handlers for a `/debug_events` post. */
  handleDebugEvent(body: unknown): Promise<void>;
}

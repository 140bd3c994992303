/** What the rest of the gateway knows of `/mcp` sessions, without loading the MCP server code (only a gateway with `mcp.enabled` does). */
/**
 * Prefix of the gateway session ids of MCP sessions. `:` is not allowed in call session ids, so a
 * `POST /services/:name/call` can never reach (or collide with) an MCP session's servers.
 */
export const MCP_SESSION_PREFIX = 'mcp:';

/** Wire shape of one downstream MCP session on `/status` (never the `Mcp-Session-Id` itself). */
export interface McpSessionInfo {
  /** The id its servers run under in the session store (`GET /sessions`). */
  session_id: string;
  /** `name/version` the client gave in initialize. */
  client?: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
  /** Services with a live server for this session. */
  services: string[];
}

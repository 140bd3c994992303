/** How gateway errors reach an MCP client: tool failures as `isError` results, the rest as JSON-RPC errors. */
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { GatewayError } from '../errors.js';

/** Key of the gateway's own `_meta` entries on results. */
export const META_ERROR = 'mcp-gateway/error';
export const META_SESSION_RESET = 'mcp-gateway/session_reset';

/** JSON-RPC code MCP uses for an unknown resource. */
export const RESOURCE_NOT_FOUND = -32002;

/** A JSON-RPC error for a request other than tools/call; the gateway code and HTTP status ride in `data`. */
export function toMcpError(err: unknown): unknown {
  if (err instanceof McpError || !(err instanceof GatewayError)) return err;
  const data = { code: err.code, status: err.status };
  if (err.status === 404) return new McpError(ErrorCode.InvalidParams, err.message, data);
  if (err.code === 'tool_timeout') return new McpError(ErrorCode.RequestTimeout, err.message, data);
  return new McpError(ErrorCode.InternalError, err.message, data);
}

/**
 * The answer to a tools/call that failed in the gateway: an unknown tool is a protocol error (as MCP asks);
 * a timeout, a crashed server or a full service is a tool failure the model can read and act on.
 */
export function toolFailure(err: unknown): CallToolResult {
  if (!(err instanceof GatewayError) || err.status === 404) throw toMcpError(err);
  return {
    content: [{ type: 'text', text: err.message }],
    isError: true,
    _meta: { [META_ERROR]: { code: err.code, status: err.status } },
  };
}

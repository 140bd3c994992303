/**
 * Public entry of the MCP gateway: the only module others import.
 *
 * ```ts
 * const gateway = await createGateway(loadGatewayConfig('config.json'));
 * const { url } = await gateway.listen(0, '127.0.0.1');
 * // ... or mount gateway.router under a prefix of another Express app
 * await gateway.close();
 * ```
 */
export { createGateway, type Gateway, type GatewayOptions } from './create-gateway.js';
export { loadGatewayConfig, parseGatewayConfig, type ParseConfigOptions } from './config/load.js';
export type { GatewayConfig, SandboxConfig, ServiceConfig } from './config/schema.js';
export { ConfigError, GATEWAY_ERROR_CODES, GatewayError } from './errors.js';
export type { GatewayErrorCode } from './errors.js';
/** The HTTP API as zod schemas (requests the routes accept, answers they give). */
export * as gatewayContract from './contract.js';
export type { RateLimitStoreFactory } from './http/rate-limits.js';
export type { UpstreamContext, UpstreamFactory } from './upstream/create-upstream.js';
export type { CallOptions, Upstream, UpstreamTool } from './upstream/types.js';

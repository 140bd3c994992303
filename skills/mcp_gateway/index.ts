/**
 * The mcp_gateway skill. Importing this module registers it, so `agent.addSkill('mcp_gateway', {...})` works:
 *
 * ```ts
 * import '../skills/mcp_gateway/index.js';
 * await agent.addSkill('mcp_gateway', { services: [{ name: 'todo', tools: '*' }] }); // embedded gateway
 * await agent.addSkill('mcp_gateway', { gateway_url: 'https://gw:8080', auth_token: '…' }); // remote gateway
 * ```
 */
import { registerSkill } from '../../src/index.js';
import { McpGatewaySkill } from './skill.js';

registerSkill(McpGatewaySkill);

export { McpGatewaySkill };
export { mcpGatewayParamsSchema, type McpGatewayParams, type McpServiceSelection } from './params.js';
export { convertInputSchema, type ConvertedParameters, type FunctionParameters } from './schema/index.js';
export type { McpFunction } from './tool-definitions.js';

/** Finds the services and tools to expose: `GET /services`, then `GET /services/:name/tools` for each. */
import type { GatewayClient, GatewayTool } from './gateway-client.js';
import type { McpServiceSelection } from './params.js';

/** A service with the tools this agent exposes from it. */
export interface DiscoveredService {
  name: string;
  description: string;
  tools: GatewayTool[];
}

/** A discovery problem the user must fix; `field` names the skill param (e.g. `services.0.tools`). */
export class DiscoveryError extends Error {
  override readonly name = 'DiscoveryError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

function isTool(value: unknown): value is GatewayTool {
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';
}

/**
 * Lists what to register. With no selection every enabled service is used; a selected service or tool the
 * gateway does not offer is an error naming the param, so a typo fails at start-up instead of silently.
 */
export async function discoverServices(client: GatewayClient, selection: readonly McpServiceSelection[]): Promise<DiscoveredService[]> {
  const catalog = await client.listServices();
  const available = Object.keys(catalog).sort();
  const chosen: McpServiceSelection[] =
    selection.length > 0 ? [...selection] : available.filter((name) => catalog[name]?.enabled !== false).map((name) => ({ name, tools: '*' }));
  const services: DiscoveredService[] = [];
  for (const [index, pick] of chosen.entries()) {
    const entry = catalog[pick.name];
    if (!entry) {
      throw new DiscoveryError(`the gateway has no service "${pick.name}" (it has: ${available.join(', ') || 'none'})`, `services.${index}.name`);
    }
    const listed = (await client.listTools(pick.name)).filter(isTool);
    let tools = listed;
    if (pick.tools !== '*') {
      const wanted = pick.tools;
      const missing = wanted.filter((name) => !listed.some((t) => t.name === name));
      if (missing.length > 0) {
        const offered = listed.map((t) => t.name).join(', ') || 'none';
        throw new DiscoveryError(`service "${pick.name}" has no tool ${missing.map((m) => `"${m}"`).join(', ')} (it has: ${offered})`, `services.${index}.tools`);
      }
      tools = listed.filter((t) => wanted.includes(t.name));
    }
    services.push({ name: pick.name, description: typeof entry.description === 'string' ? entry.description : '', tools });
  }
  return services;
}

/** One SWAIG function definition per discovered MCP tool: name, description and converted parameters. */
import type { DiscoveredService } from './discovery.js';
import type { GatewayTool } from './gateway-client.js';
import { assignFunctionNames, type ToolRef } from './naming.js';
import { isRepeatSafe } from './retry.js';
import { convertInputSchema, type FunctionParameters } from './schema/index.js';

/** What the skill registers for one MCP tool. */
export interface McpFunction {
  functionName: string;
  service: string;
  tool: GatewayTool;
  description: string;
  parameters: FunctionParameters;
  /** The tool's annotations allow re-sending after a failure that may have reached it. */
  repeatSafe: boolean;
}

function describeTool(service: string, tool: GatewayTool, inputNote: string | undefined): string {
  const base = tool.description?.trim() || tool.title?.trim() || tool.annotations?.title?.trim() || tool.name;
  const parts = [`[${service}] ${base}`];
  if (inputNote) parts.push(inputNote);
  if (tool.annotations?.destructiveHint === true && tool.annotations.readOnlyHint !== true) {
    parts.push('This cannot be undone: confirm with the caller first.');
  }
  return parts.join(' ');
}

/** Builds the definitions; names avoid `taken` (functions the agent already has). */
export function buildFunctions(services: readonly DiscoveredService[], prefix: string, taken: ReadonlySet<string>): McpFunction[] {
  const entries = services.flatMap((svc) => svc.tools.map((tool) => ({ ref: { service: svc.name, tool: tool.name } as ToolRef, tool })));
  const names = assignFunctionNames(prefix, entries.map((e) => e.ref), taken);
  return entries.map(({ ref, tool }) => {
    const { parameters, description } = convertInputSchema(tool.inputSchema);
    return {
      functionName: names.get(ref) as string,
      service: ref.service,
      tool,
      description: describeTool(ref.service, tool, description),
      parameters,
      repeatSafe: isRepeatSafe(tool.annotations),
    };
  });
}

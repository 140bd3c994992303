/** One SWAIG function definition per discovered MCP tool: name, description and converted parameters. */
import type { DiscoveredService } from './discovery.js';
import type { GatewayTool } from './gateway-client.js';
import { assignFunctionNames, type ToolRef } from './naming.js';
import type { ToolOverride } from './params.js';
import { isRepeatSafe } from './retry.js';
import { convertInputSchema, type FunctionParameters } from './schema/index.js';
import { confirmationArgument, confirmationNote, withConfirmation } from './voice/confirmation.js';

/** What the skill registers for one MCP tool. */
export interface McpFunction {
  functionName: string;
  service: string;
  tool: GatewayTool;
  description: string;
  parameters: FunctionParameters;
  /** The tool's annotations allow re-sending after a failure that may have reached it. */
  repeatSafe: boolean;
  /** Destructive tool: the argument that must be true before the call goes to the server. */
  confirmArgument?: string;
  /** The user's voice settings for the tool (`tool_overrides["service.tool"]`). */
  override?: ToolOverride;
}

/** `tool_overrides` key of a tool. */
export const overrideKey = (service: string, tool: string): string => `${service}.${tool}`;

/** A destructive tool (and not read-only) needs the caller's confirmation unless the user opted out. */
function needsConfirmation(tool: GatewayTool, override: ToolOverride | undefined): boolean {
  return tool.annotations?.destructiveHint === true && tool.annotations.readOnlyHint !== true && override?.confirm !== false;
}

function describeTool(service: string, tool: GatewayTool, inputNote: string | undefined, confirmArgument: string | undefined): string {
  const title = tool.title?.trim() || tool.annotations?.title?.trim();
  const description = tool.description?.trim();
  const base = title && description && title !== description ? `${title}: ${description}` : description || title || tool.name;
  const parts = [`[${service}] ${base}`];
  if (inputNote) parts.push(inputNote);
  if (confirmArgument !== undefined) parts.push(confirmationNote(confirmArgument));
  return parts.join(' ');
}

/** Builds the definitions; names avoid `taken` (functions the agent already has). */
export function buildFunctions(
  services: readonly DiscoveredService[],
  prefix: string,
  taken: ReadonlySet<string>,
  overrides: Readonly<Record<string, ToolOverride>> = {},
): McpFunction[] {
  const entries = services.flatMap((svc) => svc.tools.map((tool) => ({ ref: { service: svc.name, tool: tool.name } as ToolRef, tool })));
  const names = assignFunctionNames(
    prefix,
    entries.map((e) => e.ref),
    taken,
  );
  return entries.map(({ ref, tool }) => {
    const converted = convertInputSchema(tool.inputSchema);
    const override = overrides[overrideKey(ref.service, tool.name)];
    const confirmArgument = needsConfirmation(tool, override) ? confirmationArgument(converted.parameters) : undefined;
    const fn: McpFunction = {
      functionName: names.get(ref) as string,
      service: ref.service,
      tool,
      description: describeTool(ref.service, tool, converted.description, confirmArgument),
      parameters: confirmArgument === undefined ? converted.parameters : withConfirmation(converted.parameters, confirmArgument),
      repeatSafe: isRepeatSafe(tool.annotations),
    };
    if (confirmArgument !== undefined) fn.confirmArgument = confirmArgument;
    if (override !== undefined) fn.override = override;
    return fn;
  });
}

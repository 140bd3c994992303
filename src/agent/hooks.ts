import type { Logger } from 'pino';
import { toSwaigResponse, type SwaigResponse } from '../swaig/result.js';
import { safeErrorMessage } from '../swaig/dispatch.js';
import type { ToolHandler } from './tools.js';

/** Reserved SWML function names for lifecycle hooks. */
export type HookName = 'startup_hook' | 'hangup_hook';

/** Descriptions rendered for the reserved hook functions. */
export const HOOK_DESCRIPTIONS: Record<HookName, string> = {
  startup_hook: 'Called by the platform when the AI session starts',
  hangup_hook: 'Called by the platform when the call ends',
};

/**
 * One handler that runs every registered hook handler in registration order. A failing handler is logged
 * (with the call id) and does not stop the others; replies are merged (responses joined, actions concatenated).
 */
export function compositeHookHandler(hook: HookName, handlers: readonly ToolHandler[], logger: Logger): ToolHandler {
  return async (args, request) => {
    const texts: string[] = [];
    const actions: NonNullable<SwaigResponse['action']> = [];
    let failed = 0;
    for (const handler of handlers) {
      try {
        const reply = toSwaigResponse(await handler(args, request));
        if (reply.response !== undefined) texts.push(reply.response);
        if (reply.action) actions.push(...reply.action);
      } catch (err) {
        failed += 1;
        logger.error({ err, call_id: request.call_id, function: hook }, `${hook} handler failed: ${safeErrorMessage(err)}`);
      }
    }
    if (failed > 0) texts.push(`${failed} of ${handlers.length} ${hook} handler(s) failed.`);
    const out: SwaigResponse = { response: texts.join(' ') || 'Hook processed.' };
    if (actions.length > 0) out.action = actions;
    return out;
  };
}

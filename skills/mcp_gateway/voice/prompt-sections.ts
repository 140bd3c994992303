/** MCP prompts without required arguments as POM sections of the agent's prompt. */
import type { PromptSection } from '../../../src/index.js';
import type { GatewayPrompt } from '../gateway-client.js';

/** Longest section body taken from one prompt, characters. */
export const MAX_SECTION_CHARS = 4000;

function textOf(prompt: GatewayPrompt): string {
  const texts = (prompt.messages ?? []).flatMap((m) => (m.content?.type === 'text' && typeof m.content.text === 'string' ? [m.content.text.trim()] : []));
  const body = texts.filter((t) => t !== '').join('\n');
  return body.length <= MAX_SECTION_CHARS ? body : `${body.slice(0, MAX_SECTION_CHARS)}…`;
}

/** One section per prompt that has text: titled `<service>: <title or name>`. */
export function promptSectionsFor(service: string, prompts: readonly GatewayPrompt[]): PromptSection[] {
  return prompts.flatMap((prompt) => {
    const body = textOf(prompt);
    if (body === '') return [];
    const title = prompt.title?.trim() || prompt.name;
    return [{ title: `${service}: ${title}`, body }];
  });
}

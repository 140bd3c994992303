import { z } from 'zod';
import { CliError } from '../shared/cli-error.js';
import { firstZodProblem, zodProblemText } from '../../zod-issue.js';
import type { RestTarget } from './credentials.js';

/** The fields of a SignalWire phone number resource we read; unknown fields are kept. */
export const PhoneNumberSchema = z.looseObject({
  id: z.string(),
  number: z.string(),
  name: z.string().nullish(),
  call_handler: z.string().nullish(),
  call_receive_mode: z.string().nullish(),
  call_relay_script_url: z.string().nullish(),
  calling_handler_resource_id: z.string().nullish(),
});
export type PhoneNumber = z.infer<typeof PhoneNumberSchema>;

const PhoneNumberListSchema = z.looseObject({ data: z.array(PhoneNumberSchema) });

/** The body that binds a number to an SWML URL (`relay_script` handler). */
export interface BindRequestBody {
  call_handler: 'relay_script';
  call_relay_script_url: string;
  call_receive_mode: 'voice';
}

/** A request as it would go on the wire, for `--dry-run` and error messages. */
export interface RestRequest {
  method: 'GET' | 'PUT';
  url: string;
  body?: unknown;
}

function apiMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { errors?: Array<{ message?: string; detail?: string }>; error?: string; message?: string };
    const first = body.errors?.[0];
    const message = first?.message ?? first?.detail ?? body.error ?? body.message;
    if (typeof message === 'string' && message) return message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 200) || '(empty body)';
}

function networkError(request: RestRequest, error: unknown): CliError {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new CliError(`no answer from ${new URL(request.url).origin} in time (${request.method} ${request.url})`, 'network_timeout', 1, { cause: error });
  }
  const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new CliError(`cannot reach ${new URL(request.url).origin}: ${reason}`, 'network_error', 1, { cause: error });
}

/**
 * Minimal client for `/api/relay/rest/phone_numbers` (Basic auth `project:token`, JSON). Maps failures to
 * `CliError`s: 401 `bad_credentials`, 403 `forbidden`, 404 `number_not_found`, other statuses `api_error`,
 * unreachable host `network_error`, no answer within `timeoutMs` `network_timeout`.
 */
export class PhoneNumbersClient {
  private readonly authorization: string;

  /** @param timeoutMs per-request limit in milliseconds (default 15000) */
  constructor(
    private readonly target: RestTarget,
    private readonly timeoutMs = 15_000,
  ) {
    this.authorization = `Basic ${Buffer.from(`${target.project}:${target.token}`).toString('base64')}`;
  }

  /** The exact request `bind` sends, without sending it. */
  bindRequest(id: string, agentUrl: string): RestRequest & { body: BindRequestBody } {
    const body: BindRequestBody = { call_handler: 'relay_script', call_relay_script_url: agentUrl, call_receive_mode: 'voice' };
    return { method: 'PUT', url: this.url(`/phone_numbers/${encodeURIComponent(id)}`), body };
  }

  /** Looks a number up by its E.164 digits. @throws CliError `number_not_found` when the project does not own it */
  async findByNumber(number: string): Promise<PhoneNumber> {
    const query = new URLSearchParams({ filter_number: number, page_size: '50' });
    const raw = await this.send({ method: 'GET', url: this.url(`/phone_numbers?${query}`) });
    const list = this.parse(PhoneNumberListSchema, raw);
    const match = list.data.find((item) => item.number === number);
    if (!match) throw new CliError(`number ${number} not found in this project (check --space and --project)`, 'number_not_found');
    return match;
  }

  /** Reads a number by id. @throws CliError `number_not_found` on 404 */
  async get(id: string): Promise<PhoneNumber> {
    return this.parse(PhoneNumberSchema, await this.send({ method: 'GET', url: this.url(`/phone_numbers/${encodeURIComponent(id)}`) }));
  }

  /** Sends a request built by `bindRequest` and returns the updated number. */
  async update(request: RestRequest): Promise<PhoneNumber> {
    return this.parse(PhoneNumberSchema, await this.send(request));
  }

  private url(path: string): string {
    return `${this.target.apiBase}${path}`;
  }

  private parse<T>(schema: z.ZodType<T>, raw: unknown): T {
    const result = schema.safeParse(raw);
    if (!result.success) {
      const problem = firstZodProblem(result.error, { fallback: 'body' });
      throw new CliError(`unexpected answer from the SignalWire API (${zodProblemText(problem)})`, 'api_error');
    }
    return result.data;
  }

  private async send(request: RestRequest): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers: {
          authorization: this.authorization,
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw networkError(request, error);
    }
    const text = await response.text();
    if (!response.ok) throw this.statusError(request, response.status, text);
    if (!text) return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new CliError(`the SignalWire API answered ${request.method} ${request.url} with non-JSON text`, 'api_error');
    }
  }

  private statusError(request: RestRequest, status: number, text: string): CliError {
    if (status === 401) return new CliError('bad project id or API token (SignalWire answered 401)', 'bad_credentials');
    if (status === 403) {
      return new CliError('the API token may not manage phone numbers (403): give it the "Numbers" scope', 'forbidden');
    }
    if (status === 404) return new CliError(`phone number not found (${request.method} ${request.url} → 404)`, 'number_not_found');
    return new CliError(`SignalWire API error ${status} on ${request.method} ${request.url}: ${apiMessage(text)}`, 'api_error');
  }
}

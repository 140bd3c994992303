/**
 * The status page as one server-rendered HTML string: no scripts, every dynamic value escaped, one
 * inline stylesheet allowed by its hash in the page's CSP (`STATUS_CSP`).
 */
import { createHash } from 'node:crypto';
import type { McpSessionInfo } from '../mcp-server/session-info.js';
import type { LatencySummary } from '../metrics/latency-ring.js';
import type { ProgressRow } from '../metrics/progress-board.js';
import type { SessionInfo } from '../sessions/session-store.js';

/** One service row of the page. */
export interface StatusService {
  name: string;
  description: string;
  enabled: boolean;
  type: 'stdio' | 'http';
  /** Cached tools; undefined while the service has not been listed yet. */
  tools?: Array<{ name: string; description: string }>;
  liveSessions: number;
  spares: number;
  /** stdio services: sandbox layers in force and what is missing. */
  sandbox?: { layers: string; missing: string[] };
}

/** Everything the page shows. */
export interface StatusData {
  generatedAt: Date;
  uptimeSeconds: number;
  services: StatusService[];
  sessions: SessionInfo[];
  latency: LatencySummary[];
  /** Latest progress of long tool calls (running, then recently finished). */
  progress?: ProgressRow[];
  /** Open downstream MCP sessions; undefined when `/mcp` is off. */
  mcpSessions?: McpSessionInfo[];
}

const STYLE = [
  'body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222}',
  'h1{font-size:1.3rem}h2{font-size:1.1rem;margin-top:1.5rem}',
  'table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}',
  'th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#777}ul{margin:0;padding-left:1.1rem}',
].join('');

/** CSP of the page: nothing may load or run except the inline stylesheet above; scripts stay blocked. */
export const STATUS_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(2) : '–');

function table(headers: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="muted">${escapeHtml(empty)}</p>`;
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows.map((r) => `<tr>${r.join('')}</tr>`).join('')}</tbody></table>`;
}

const td = (value: unknown, numeric = false): string => `<td${numeric ? ' class="n"' : ''}>${escapeHtml(value)}</td>`;

function toolList(svc: StatusService): string {
  if (svc.tools === undefined) return '<td class="muted">not listed yet</td>';
  const items = svc.tools.map((t) => `<li><code>${escapeHtml(t.name)}</code> <span class="muted">${escapeHtml(t.description)}</span></li>`);
  return `<td><ul>${items.join('')}</ul></td>`;
}

function sandboxCell(svc: StatusService): string {
  if (svc.sandbox === undefined) return '<td class="muted">–</td>';
  const missing = svc.sandbox.missing.map((m) => `<li>missing ${escapeHtml(m)}</li>`).join('');
  return `<td>${escapeHtml(svc.sandbox.layers)}${missing === '' ? '' : `<ul>${missing}</ul>`}</td>`;
}

function servicesTable(services: StatusService[]): string {
  const rows = services.map((s) => [
    td(s.name),
    td(s.type),
    td(s.enabled ? 'enabled' : 'disabled'),
    td(s.description),
    td(s.liveSessions, true),
    td(s.spares, true),
    sandboxCell(s),
    toolList(s),
  ]);
  return table(['service', 'type', 'state', 'description', 'live sessions', 'warm spares', 'sandbox', 'tools'], rows, 'No services configured.');
}

function sessionsTable(sessions: SessionInfo[]): string {
  const rows = sessions.map((s) => [
    td(s.session_id),
    td(s.service),
    td(s.state),
    td(s.pid ?? '–', true),
    td(s.created_at),
    td(s.last_used_at),
    td(s.expires_at),
  ]);
  return table(['session', 'service', 'state', 'pid', 'created', 'last used', 'expires'], rows, 'No live sessions.');
}

function mcpSessionsTable(sessions: McpSessionInfo[]): string {
  const rows = sessions.map((s) => [
    td(s.session_id),
    td(s.client ?? '–'),
    td(s.services.join(', ') || '–'),
    td(s.created_at),
    td(s.last_used_at),
    td(s.expires_at),
  ]);
  return table(['session', 'client', 'services', 'created', 'last used', 'expires'], rows, 'No MCP sessions.');
}

function latencyTable(latency: LatencySummary[]): string {
  const rows = latency.map((l) => [td(l.service), td(l.tool), td(l.count, true), td(ms(l.p50), true), td(ms(l.p95), true)]);
  return table(['service', 'tool', 'calls', 'p50 ms', 'p95 ms'], rows, 'No calls yet.');
}

function progressTable(progress: ProgressRow[]): string {
  const rows = progress.map((p) => [
    td(p.session_id),
    td(p.service),
    td(p.tool),
    td(p.total === undefined ? p.progress : `${p.progress} / ${p.total}`, true),
    td(p.message ?? '–'),
    td(p.notifications, true),
    td(p.running ? 'running' : 'finished'),
    td(p.updated_at),
  ]);
  return table(['session', 'service', 'tool', 'progress', 'message', 'notifications', 'call', 'updated'], rows, 'No progress reported.');
}

/** Renders the whole page. */
export function renderStatusPage(data: StatusData): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1"><title>mcp-gateway status</title>',
    `<style>${STYLE}</style></head><body>`,
    '<h1>mcp-gateway status</h1>',
    `<p class="muted">Generated ${escapeHtml(data.generatedAt.toISOString())}, up ${escapeHtml(Math.round(data.uptimeSeconds))} s.</p>`,
    `<h2>Services</h2>${servicesTable(data.services)}`,
    `<h2>Live sessions (${escapeHtml(data.sessions.length)})</h2>${sessionsTable(data.sessions)}`,
    data.mcpSessions === undefined ? '' : `<h2>MCP sessions at /mcp (${escapeHtml(data.mcpSessions.length)})</h2>${mcpSessionsTable(data.mcpSessions)}`,
    data.progress === undefined ? '' : `<h2>Tool progress</h2>${progressTable(data.progress)}`,
    `<h2>Recent latency (last calls per tool)</h2>${latencyTable(data.latency)}`,
    '</body></html>',
  ].join('');
}

/**
 * An MCP stdio client transport that owns its child: spawned detached (its own process group) so that
 * closing ends the whole group, stderr always drained into the log (capped) so a chatty server never
 * blocks on a full pipe. Message framing comes from the SDK.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { ReadBuffer, serializeMessage, STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import type { LaunchSpec } from '../sandbox/launch.js';
import { releaseSessionUid } from '../sandbox/session-uid.js';
import { which } from '../sandbox/which.js';
import { groupAlive, signalGroup, terminateGroup } from './process-group.js';

/** Options of {@link ProcessGroupStdioTransport}. */
export interface StdioTransportOptions {
  /** The launch, or how to build it: built on start(), so its cgroup and uid exist only while it runs. */
  launch: LaunchSpec | (() => LaunchSpec);
  logger: Logger;
  /** stderr bytes written to the log per process (at debug); the rest is read and dropped. Default 256 KiB. */
  stderrLogLimit?: number;
  /** Wait after closing stdin, and again after SIGTERM, ms. Default 2000. */
  graceMs?: number;
}

const TAIL_BYTES = 2048;

/** What runtimes print when an allocation fails (V8, glibc, Python, C++). */
const OUT_OF_MEMORY = /out of memory|Cannot allocate memory|MemoryError|std::bad_alloc|allocation failed/i;

const mib = (bytes: number): string => `${Math.round(bytes / 1048576)} MiB`;

export class ProcessGroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private launch: LaunchSpec | undefined;
  private released = false;
  /** Read from the cgroup before it is removed. */
  private oomKilled = false;
  private exit: Promise<void> = Promise.resolve();
  private exited = false;
  private closing = false;
  private readonly readBuffer = new ReadBuffer();
  private stderrLogged = 0;
  /** The newest stderr chunks, at most TAIL_BYTES plus one chunk; decoded only when asked for. */
  private readonly tailChunks: Buffer[] = [];
  private tailBytes = 0;
  private exitInfo: string | undefined;
  /** Why the gateway itself stopped the server (an answer over the per-message cap). */
  private stoppedBecause: string | undefined;

  constructor(private readonly opts: StdioTransportOptions) {}

  /** Process id (= process group id) of the server, once started. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How the server process ended (`exit code 3`, `signal SIGKILL`, or its memory limit), once it has. */
  get exitDescription(): string | undefined {
    if (this.stoppedBecause !== undefined) return this.stoppedBecause;
    if (this.exitInfo === undefined) return undefined;
    const cap = this.launch?.memoryBytes;
    const atCap = this.oomKilled || (!this.released && this.launch?.cgroup?.oomKilled() === true) || (cap !== undefined && OUT_OF_MEMORY.test(this.stderrTail));
    return atCap && cap !== undefined ? `stopped at its memory limit of ${mib(cap)}, ${this.exitInfo}` : this.exitInfo;
  }

  /** The last ~2 KB the server wrote to stderr, for error messages. */
  get stderrTail(): string {
    return Buffer.concat(this.tailChunks).subarray(-TAIL_BYTES).toString('utf8');
  }

  async start(): Promise<void> {
    if (this.child) throw new Error('transport already started');
    const launch = typeof this.opts.launch === 'function' ? this.opts.launch() : this.opts.launch;
    this.launch = launch;
    const { command, args, env, cwd, program } = launch;
    // Behind the wrapper chain a missing server would only show as the wrapper's exit 127: say it plainly.
    if (program !== undefined && which(program, env.PATH) === undefined) {
      this.releaseSandbox();
      throw new Error(`spawn ${program} ENOENT: command not found or not executable`);
    }
    const child = spawn(command, args, { env, cwd, detached: true, stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    this.child = child;
    this.exit = once(child, 'exit').then(
      () => undefined,
      () => undefined,
    );
    child.on('exit', (code, signal) => this.handleExit(code, signal));
    child.on('close', () => this.onclose?.());
    child.stdin?.on('error', (err) => this.onerror?.(err));
    child.stdout?.on('error', (err) => this.onerror?.(err));
    child.stdout?.on('data', (chunk: Buffer) => this.handleStdout(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.handleStderr(chunk));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) => {
        this.exited = true;
        reject(err);
      });
    });
    child.on('error', (err) => this.onerror?.(err));
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.exited || stdin.destroyed) return Promise.reject(new Error('Not connected'));
    return new Promise((resolve, reject) => {
      if (stdin.write(serializeMessage(message))) return resolve();
      // A full pipe whose reader dies never drains: settle on close too.
      const drained = (): void => {
        stdin.off('close', closed);
        resolve();
      };
      const closed = (): void => {
        stdin.off('drain', drained);
        reject(new Error('Not connected'));
      };
      stdin.once('drain', drained);
      stdin.once('close', closed);
    });
  }

  /** Spec shutdown for the whole group: close stdin → wait → SIGTERM → wait → SIGKILL; then reap. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || this.closing) {
      if (!child) this.releaseSandbox();
      return this.exit;
    }
    this.closing = true;
    const pgid = child.pid;
    const grace = this.opts.graceMs ?? 2000;
    child.stdin?.end();
    if (!(await this.exitedWithin(grace)) && pgid !== undefined) {
      signalGroup(pgid, 'SIGTERM');
      if (!(await this.exitedWithin(grace))) {
        signalGroup(pgid, 'SIGKILL');
        await this.exitedWithin(grace);
      }
    }
    // The leader is gone; end whatever else is left in its group (grandchildren).
    if (pgid !== undefined && groupAlive(pgid)) await terminateGroup(pgid, grace);
    await this.launch?.cgroup?.killAll(grace);
    this.releaseSandbox();
    this.readBuffer.clear();
  }

  /** Removes the session's cgroup (empty by now: every process in it was killed) and frees its uid. */
  private releaseSandbox(): void {
    const launch = this.launch;
    if (launch === undefined || this.released) return;
    this.released = true;
    this.oomKilled = launch.cgroup?.oomKilled() === true;
    launch.cgroup?.remove();
    if (launch.sessionUid !== undefined) releaseSessionUid(launch.sessionUid);
  }

  private exitedWithin(ms: number): Promise<boolean> {
    if (this.exited) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.exited), ms);
      timer.unref();
      void this.exit.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private handleExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.exited = true;
    this.exitInfo = signal === null ? `exit code ${String(code)}` : `signal ${signal}`;
    const pid = this.child?.pid;
    this.opts.logger.debug({ child_pid: pid, code, signal }, 'mcp server exited');
    // An unexpected exit may leave grandchildren behind; they must not outlive their session.
    if (!this.closing && pid !== undefined && groupAlive(pid)) void terminateGroup(pid, this.opts.graceMs ?? 2000);
    if (!this.closing) void this.launch?.cgroup?.killAll(this.opts.graceMs ?? 2000);
  }

  private handleStdout(chunk: Buffer): void {
    try {
      this.readBuffer.append(chunk);
    } catch (err) {
      // A single line over the SDK's 10 MB cap: the stream cannot be resynchronised.
      this.stoppedBecause = `stopped by the gateway: one message was larger than the ${mib(STDIO_DEFAULT_MAX_BUFFER_SIZE)} it reads from a server`;
      this.onerror?.(err as Error);
      void this.close();
      return;
    }
    for (;;) {
      try {
        const message = this.readBuffer.readMessage();
        if (message === null) return;
        this.onmessage?.(message);
      } catch (err) {
        // Garbage on stdout (a console.log in the server) is reported and skipped, not fatal.
        this.onerror?.(err as Error);
      }
    }
  }

  // Servers that log every message (the todo server does) send a chunk per call: keeping the tail must not copy
  // or decode it (a string tail cost ~20 µs of each warm call), and it is logged only at debug level.
  private handleStderr(chunk: Buffer): void {
    this.tailChunks.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes - (this.tailChunks[0]?.length ?? 0) >= TAIL_BYTES) this.tailBytes -= this.tailChunks.shift()?.length ?? 0;
    const limit = this.opts.stderrLogLimit ?? 256 * 1024;
    if (this.stderrLogged >= limit || !this.opts.logger.isLevelEnabled('debug')) return;
    this.stderrLogged += chunk.length;
    this.opts.logger.debug({ child_pid: this.child?.pid, stderr: chunk.toString('utf8').trimEnd() }, 'mcp server stderr');
    if (this.stderrLogged >= limit) this.opts.logger.debug({ child_pid: this.child?.pid }, 'stderr log limit reached; further output is dropped');
  }
}

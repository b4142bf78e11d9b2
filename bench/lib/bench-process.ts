/**
 * The call benchmark's child processes (the call server, the fake Realtime server): each a bench script run with
 * the repo's Node and tsx from the repo's root, talked to over the IPC channel with typed messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The repo's root: bench scripts are run from here, and named relative to it. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** A bench process that sends `In` messages and is sent `Out` messages. */
export class BenchProcess<In extends { type: string }, Out extends { type: string }> {
  readonly exit: Promise<number | null>;
  private readonly child: ChildProcess;
  private readonly waiting = new Map<string, (msg: In) => void>();
  private failure: string | null = null;

  constructor(
    readonly script: string,
    nodeFlags: string[],
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exit = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.on('message', (msg: In) => {
      if (msg.type === 'failed') this.failure = (msg as unknown as { message: string }).message;
      this.waiting.get(msg.type)?.(msg);
      this.waiting.delete(msg.type);
    });
  }

  expect<T extends In['type']>(type: T, timeoutMs: number): Promise<Extract<In, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.script}: no "${type}" after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiting.set(type, (msg) => {
        clearTimeout(timer);
        resolve(msg as Extract<In, { type: T }>);
      });
      void this.exit.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${this.script} exited (${code})${this.failure ? `: ${this.failure}` : ''}`));
      });
    });
  }

  send(msg: Out): void {
    if (this.child.connected) this.child.send(msg);
  }

  request<T extends In['type']>(msg: Out, reply: T): Promise<Extract<In, { type: T }>> {
    const answer = this.expect(reply, 60_000);
    this.send(msg);
    return answer;
  }

  /** Asks it to shut down; kills it if it has not exited within 20 s. */
  async stop(shutdown: Out): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.send(shutdown);
    const exited = await Promise.race([this.exit.then(() => true), sleep(20_000).then(() => false)]);
    if (!exited) {
      this.child.kill('SIGKILL');
      await this.exit;
    }
  }
}

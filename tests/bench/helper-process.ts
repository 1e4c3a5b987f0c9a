import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

type Message = { type: string };

/**
 * A helper process of run.ts (`--helper NAME`, such as a sandbox portal), spoken to by messages: it
 * sends `ready` once up, answers each question with a message of a known type, and exits on `close`.
 */
export class HelperProcess<M extends Message> {
  private constructor(
    private readonly child: ChildProcess,
    readonly ready: Extract<M, { type: 'ready' }>,
  ) {}

  static start<M extends Message>(helper: string, env: Record<string, string>): Promise<HelperProcess<M>> {
    const child = fork(fileURLToPath(new URL('./run.ts', import.meta.url)), ['--helper', helper], { env: { ...process.env, ...env }, stdio: 'inherit' });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`${helper} host exited with code ${code}`)));
      child.once('message', (m: M) => {
        if (m.type === 'ready') resolve(new HelperProcess<M>(child, m as Extract<M, { type: 'ready' }>));
      });
    });
  }

  /** One question to the helper, answered by its next message of type `answer`. */
  ask<T extends M['type']>(question: string, answer: T): Promise<Extract<M, { type: T }>> {
    return new Promise((resolve) => {
      const on = (m: M) => {
        if (m.type !== answer) return;
        this.child.off('message', on);
        resolve(m as Extract<M, { type: T }>);
      };
      this.child.on('message', on);
      this.child.send({ type: question });
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.removeAllListeners('exit');
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ type: 'close' });
    const t = setTimeout(() => this.child.kill(), 10_000);
    await exited;
    clearTimeout(t);
  }
}

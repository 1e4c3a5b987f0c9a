import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a TypeScript file of this repo in a child node process (through tsx). */
export function spawnTs(file: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function collect(child: ChildProcess): Promise<Done> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The svodka CLI, as a user runs it. */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Done> {
  return collect(spawnTs('src/cli/main.ts', args, env));
}

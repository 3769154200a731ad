/**
 * Showing a fix taller than the terminal through a pager, as git does: `$PAGER` (a shell command
 * line; empty or `cat` means none), else `less -R` when it is installed. `LESS` defaults to `FRX`
 * as under git: colours pass through, and the text stays on the screen after the pager quits.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** True when an executable `name` is in one of the `PATH` directories. */
function onPath(name: string, env: NodeJS.ProcessEnv): boolean {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** The pager command line, or undefined when there is none. */
export function pagerCommand(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PAGER !== undefined) {
    const p = env.PAGER.trim();
    return p === '' || p === 'cat' ? undefined : p;
  }
  return onPath('less', env) ? 'less -R' : undefined;
}

/** Number of lines `text` takes on a terminal of `columns` columns (long lines wrap). */
export function screenLines(text: string, columns: number | undefined): number {
  const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
  const lines = plain.endsWith('\n') ? plain.slice(0, -1).split('\n') : plain.split('\n');
  if (!columns || columns <= 0) return lines.length;
  return lines.reduce((n, l) => n + Math.max(1, Math.ceil([...l.replace(/\t/g, '        ')].length / columns)), 0);
}

/**
 * Runs the pager on `text` with the terminal handed over (`run`); false when it could not be run or
 * failed, so the caller prints the text itself.
 */
export function page(text: string, command: string, run: <T>(fn: () => T) => T = (fn) => fn()): boolean {
  const env = { ...process.env, LESS: process.env.LESS ?? 'FRX' };
  const res = run(() => spawnSync('/bin/sh', ['-c', command], { input: text, stdio: ['pipe', 'inherit', 'inherit'], env }));
  return !res.error && res.status === 0;
}

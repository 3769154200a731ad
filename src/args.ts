/**
 * Checks on command-line values that yargs leaves to the program: whole numbers, a flag given
 * without its value, paths that hold no Go files, and gomend's version.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './files.js';

/** `--jobs`: a whole number of at least 1, written as digits (`-j abc` and `-j 1.5` are refused). */
export function parseJobs(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--jobs ${JSON.stringify(String(raw))}: expected a whole number of at least 1`);
  return Number(text);
}

/** yargs' complaint about a flag given without its value, in gomend's words. */
export function usageMessage(msg: string): string {
  const m = /^Not enough arguments following: (\S+)$/.exec(msg);
  const long: Record<string, string> = { j: 'jobs', t: 'transform' };
  if (m) return `--${long[m[1]] ?? m[1]} needs a value`;
  return msg;
}

/**
 * The paths among `args` under which no Go file was found, for a warning: a run over them does
 * nothing, which is not an error but is rarely what was meant.
 */
export function pathsWithoutGoFiles(args: string[], cwd: string, found: readonly { absPath: string }[]): string[] {
  return args.filter((arg) => {
    const abs = path.resolve(cwd, arg);
    return !found.some((f) => f.absPath === abs || f.absPath.startsWith(abs.endsWith(path.sep) ? abs : abs + path.sep));
  });
}

/** gomend's version, from its package.json (two levels above this file, in src and in dist/src alike). */
export function gomendVersion(): string {
  try {
    const url = new URL('../../package.json', import.meta.url);
    let pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
    if (pkg.name !== 'gomend') pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

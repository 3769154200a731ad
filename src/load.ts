/**
 * Resolving `--transform` values: built-in names, or paths to a user's own module (ESM or CommonJS)
 * whose default export (or `transform` export, or an array of them) implements either transform
 * contract (per file, or per package with `scope: 'package'`). A user transform is checked for the shape gomend relies on before it runs, so a typo
 * is a clear usage error rather than a crash deep in the pipeline.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from './files.js';
import type { AnyTransform } from './types.js';

function looksLikePath(spec: string): boolean {
  return spec.includes('/') || spec.includes('\\') || /\.(c|m)?js$/.test(spec);
}

/** Checks that a loaded value is a usable transform; returns a reason when it is not. */
export function transformProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return 'is not an object';
  const t = value as Partial<AnyTransform> & { scope?: unknown };
  if (typeof t.name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(t.name)) return 'needs a kebab-case string `name`';
  if (typeof t.description !== 'string') return 'needs a string `description`';
  if (t.scope !== undefined && t.scope !== 'package') return '`scope` must be "package" when given';
  if (typeof t.run !== 'function') return t.scope === 'package' ? 'needs a `run(pass)` function' : 'needs a `run(file, ctx)` function';
  if (t.mayMatch !== undefined && typeof t.mayMatch !== 'function') return '`mayMatch` must be a function';
  if (t.minGoVersion !== undefined && !/^\d+\.\d+$/.test(String(t.minGoVersion))) return '`minGoVersion` must look like "1.21"';
  return undefined;
}

async function loadModule(spec: string, cwd: string): Promise<AnyTransform[]> {
  const abs = path.resolve(cwd, spec);
  if (!existsSync(abs)) throw new UsageError(`--transform ${spec}: no such file`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`--transform ${spec}: cannot load: ${(err as Error).message}`);
  }
  let exported: unknown = mod.default ?? mod.transform;
  // CommonJS modules come through as { default: module.exports }.
  if (exported && typeof exported === 'object' && !Array.isArray(exported) && 'default' in exported && !('run' in exported)) {
    exported = (exported as { default: unknown }).default;
  }
  const list = Array.isArray(exported) ? exported : [exported];
  for (const t of list) {
    const problem = transformProblem(t);
    if (problem) throw new UsageError(`--transform ${spec}: the exported transform ${problem}`);
  }
  return list as AnyTransform[];
}

/**
 * `--transform` values as a worker thread can load them again: split at commas, module paths made
 * absolute, built-in names as they are; every built-in when none is given.
 */
export function normaliseSpecs(specs: string[], builtins: readonly AnyTransform[], cwd: string): string[] {
  const parts = specs.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) return builtins.map((b) => b.name);
  return parts.map((p) => (looksLikePath(p) ? path.resolve(cwd, p) : p));
}

/** The transforms to run for the given `--transform` values (empty: every built-in). */
export async function loadTransforms(specs: string[], builtins: readonly AnyTransform[], cwd: string): Promise<AnyTransform[]> {
  const parts = specs.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) return [...builtins];
  const out: AnyTransform[] = [];
  for (const part of parts) {
    if (looksLikePath(part)) {
      out.push(...(await loadModule(part, cwd)));
      continue;
    }
    const t = builtins.find((b) => b.name === part);
    if (!t) throw new UsageError(`unknown transform ${JSON.stringify(part)}; known: ${builtins.map((b) => b.name).join(', ')}`);
    out.push(t);
  }
  const names = new Set<string>();
  for (const t of out) {
    if (names.has(t.name)) throw new UsageError(`transform ${t.name} is selected twice`);
    names.add(t.name);
  }
  return out;
}

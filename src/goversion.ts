/**
 * The effective Go language version of a file.
 *
 * Go decides which language features and which standard-library additions a module may rely on by
 * the `go` line of its go.mod, not by the installed toolchain: inserting `slices.Clone` into a
 * `go 1.19` module compiles with a new toolchain and breaks for users of an old one. So gomend
 * follows the nearest go.mod (`go 1.21`, `go 1.21.0` and `go 1.21rc1` all mean 1.21; a go.mod
 * without a `go` line means 1.16; `toolchain` lines do not count), set for one file by a
 * `//go:build go1.N` constraint with N ≥ 21. With no go.mod at all the version is unknown unless the user gives
 * one with `--go`, and transforms then choose the conservative forms.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { buildLine } from './buildtags.js';
import type { GoVersion } from './types.js';

/** Parses "1.21", "1.21.3", "1.21rc1", "go1.21": major.minor only. */
export function parseGoVersion(text: string): GoVersion | undefined {
  const m = /^(?:go)?(\d+)\.(\d+)(?:\.\d+|(?:rc|beta)\d+)?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

export function compareGoVersions(a: GoVersion, b: GoVersion): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

export function formatGoVersion(v: GoVersion | undefined): string {
  return v ? `${v.major}.${v.minor}` : 'unknown';
}

/** True when `v` is known and at least `min`. */
export function goAtLeast(v: GoVersion | undefined, min: string): boolean {
  const m = parseGoVersion(min);
  if (!m) throw new Error(`bad Go version ${JSON.stringify(min)}`);
  return v !== undefined && compareGoVersions(v, m) >= 0;
}

/** The language version a go.mod declares: its `go` directive, or 1.16 when it has none. */
export function goModVersion(goMod: string): GoVersion {
  for (const rawLine of goMod.split('\n')) {
    const line = rawLine.replace(/\/\/.*$/, '').trim();
    const m = /^go\s+(\S+)$/.exec(line);
    if (m) {
      const v = parseGoVersion(m[1]);
      if (v) return v;
    }
  }
  return { major: 1, minor: 16 };
}

/**
 * The lowest version a `//go:build` line guarantees, when it is a plain conjunction containing
 * `go1.N` (`go1.21`, `go1.21 && linux`). Disjunctions and negations guarantee nothing.
 */
export function buildConstraintVersion(source: string): GoVersion | undefined {
  const expr = buildLine(source);
  if (!expr) return undefined;
  if (/\|\||!/.test(expr)) return undefined;
  let best: GoVersion | undefined;
  for (const term of expr.replace(/[()]/g, ' ').split(/&&/)) {
    const v = /^go(\d+\.\d+)$/.exec(term.trim());
    const parsed = v ? parseGoVersion(v[1]) : undefined;
    if (parsed && (!best || compareGoVersions(parsed, best) > 0)) best = parsed;
  }
  return best;
}

/**
 * A file's version: the module's, unless a `//go:build go1.N` line with N ≥ 21 sets it, higher or
 * lower, as the Go toolchain does since 1.21 (older constraints do not change the version).
 */
export function fileGoVersion(moduleVersion: GoVersion | undefined, source: string): GoVersion | undefined {
  const build = buildConstraintVersion(source);
  if (!build || build.major !== 1 || build.minor < 21) return moduleVersion;
  return build;
}

/**
 * Finds the version of the nearest enclosing go.mod for directories, memoised per directory so a
 * large tree reads each go.mod once.
 */
export class ModuleVersions {
  private readonly cache = new Map<string, Promise<GoVersion | undefined>>();

  constructor(private readonly fallback: GoVersion | undefined) {}

  forDir(dir: string): Promise<GoVersion | undefined> {
    const abs = path.resolve(dir);
    let hit = this.cache.get(abs);
    if (!hit) {
      hit = this.lookup(abs);
      this.cache.set(abs, hit);
    }
    return hit;
  }

  private async lookup(dir: string): Promise<GoVersion | undefined> {
    try {
      return goModVersion(await fs.readFile(path.join(dir, 'go.mod'), 'utf8'));
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return this.fallback;
      return this.forDir(parent);
    }
  }
}

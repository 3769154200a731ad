/**
 * Scratch copies of a module for `--prove`: the tests run there, never in the user's tree (a test
 * may write files, and the fixes must be tried before they are written).
 *
 * A copy holds the module as it is on disk — go.mod, go.sum, vendor and every file, minus version
 * control directories — so that `go` resolves the same dependencies. A `replace` directive that
 * points at a relative directory is made absolute in the copy's go.mod, so it still finds that
 * directory. Each module gets two copies, one that stays as the user's tree is (before) and one
 * with the planned texts (after), so the two runs of a package can go at the same time.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Directories never copied: version control and JavaScript dependencies do not affect `go`. */
const SKIP = new Set(['.git', '.hg', '.svn', 'node_modules']);

/** The directory of the nearest go.mod at or above `dir`, or undefined outside a module. */
export function moduleRoot(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'go.mod'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** The module path declared by a go.mod's text. */
export function modulePath(goMod: string): string | undefined {
  return /^\s*module\s+"?([^\s"]+)"?/m.exec(goMod)?.[1];
}

/** A go.mod's text with each relative `replace` target made absolute against `root`. */
export function absoluteReplaces(goMod: string, root: string): string {
  return goMod.replace(/(=>\s*)(\.\.?(?:\/[^\s]*)?)(?=\s*$)/gm, (_, arrow: string, rel: string) => arrow + path.resolve(root, rel));
}

export interface ScratchModule {
  /** The user's module directory. */
  root: string;
  /** The module path from its go.mod. */
  path: string;
  before: string;
  after: string;
}

/** The scratch copies of the modules a run touches, made on first use and removed by `dispose`. */
export class Scratch {
  private base: string | undefined;
  private readonly modules = new Map<string, ScratchModule>();

  /** The two copies of the module rooted at `root`. */
  module(root: string): ScratchModule {
    let m = this.modules.get(root);
    if (m) return m;
    const goMod = readFileSync(path.join(root, 'go.mod'), 'utf8');
    this.base ??= mkdtempSync(path.join(os.tmpdir(), 'gomend-prove-'));
    const n = this.modules.size;
    m = { root, path: modulePath(goMod) ?? '', before: path.join(this.base, `m${n}`, 'before'), after: path.join(this.base, `m${n}`, 'after') };
    for (const copy of [m.before, m.after]) {
      cpSync(root, copy, { recursive: true, filter: (src) => src === root || !SKIP.has(path.basename(src)) });
      writeFileSync(path.join(copy, 'go.mod'), absoluteReplaces(goMod, root));
    }
    this.modules.set(root, m);
    return m;
  }

  /** Writes `text` as the file at `abs` (in the user's module at `root`) into the copy `which`. */
  put(root: string, which: 'before' | 'after', abs: string, bytes: Uint8Array): void {
    const m = this.module(root);
    writeFileSync(path.join(m[which], path.relative(root, abs)), bytes);
  }

  dispose(): void {
    if (this.base) rmSync(this.base, { recursive: true, force: true });
  }
}

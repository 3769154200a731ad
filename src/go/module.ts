/**
 * The module view: the packages of the module around a directory (import path → directory, from
 * go.mod), each loaded only when asked (a transform wants to know what another package's function
 * returns, or who calls an exported method) and then kept for the rest of the process. Loading
 * reads files, so it lives here and not in transforms; trees are mirrored and freed at once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseGo } from '../parse.js';
import { readHeader } from '../source.js';
import type { GoFile, Package } from '../types.js';
import type { Model } from './model.js';
import { hostBuildFiles } from '../buildtags.js';

/** Other packages kept loaded at once, per module: memory stays bounded on a whole-tree run. */
const MAX_LOADED = 96;

/**
 * What the importer index keeps of one package of the module: its imports, whether its text
 * matched the hint, and the exported method names its interface types declare.
 */
export interface PackageImports {
  importPath: string;
  imports: Set<string>;
  hinted: boolean;
  interfaceMethods: Set<string>;
}

/** A file name `go build` compiles into the package (no tests; `.` and `_` files are ignored). */
function isPackageSource(name: string): boolean {
  return name.endsWith('.go') && !name.endsWith('_test.go') && !name.startsWith('.') && !name.startsWith('_');
}

/** A call of an exported function or method of another value or package: `x.Name(`. */
const CALLED = /\.(\p{Lu}[\p{L}\p{N}_]*)\s*\(/gu;

/** Directories no package of the module lives in. */
const SKIP_DIRS = new Set(['vendor', 'testdata', 'node_modules']);

/**
 * The exported method names of the interface types a Go file spells (text only): each
 * `interface {` body is read to its closing brace, and a line starting `Name(` is a method.
 */
export function interfaceMethodNames(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/\binterface\s*\{/g)) {
    let depth = 1;
    let i = m.index! + m[0].length;
    const start = i;
    while (i < source.length && depth > 0) {
      const c = source[i++];
      if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    for (const x of source.slice(start, i - 1).matchAll(/^\s*(\p{Lu}[\p{L}\p{N}_]*)\s*\(/gmu)) out.push(x[1]);
  }
  return out;
}

/** The import paths of a Go file's import declarations (text only: the block before the first declaration). */
export function importPathsOf(source: string): string[] {
  const out: string[] = [];
  const re = /^import\s*(?:\(([^)]*)\)|(?:[\w.]+\s+)?"([^"]+)")/gm;
  for (const m of source.matchAll(re)) {
    if (m[2]) out.push(m[2]);
    else for (const q of m[1].matchAll(/"([^"]+)"/g)) out.push(q[1]);
  }
  return out;
}

export class ModuleView {
  private readonly models = new Map<string, Model | null>();
  private readonly names = new Map<string, string | null>();
  /** Per hint (a regular expression's source): every package of the module, read once per process. */
  private readonly importIndex = new Map<string, PackageImports[]>();
  private readonly called = new Map<string, Set<string>>();
  /** Per hint and package: the module's packages it depends on. */
  private readonly deps = new Map<string, Set<string>>();
  /** Per hint: the importer index by import path. */
  private readonly byPath = new Map<string, Map<string, PackageImports>>();

  constructor(
    /** Directory holding go.mod. */
    readonly root: string,
    /** The module path (`module` line of go.mod). */
    readonly path: string,
    private readonly makeModel: (pkg: Package, view: ModuleView, importPath: string) => Model,
  ) {}

  /** The directory of an import path inside the module, or undefined for other modules. */
  dirOf(importPath: string): string | undefined {
    if (importPath === this.path) return this.root;
    // Go's own source tree: module std holds every path whose first element has no dot.
    if (this.path === 'std' && !importPath.split('/')[0].includes('.')) return path.join(this.root, ...importPath.split('/'));
    if (!importPath.startsWith(`${this.path}/`)) return undefined;
    return path.join(this.root, ...importPath.slice(this.path.length + 1).split('/'));
  }

  /** The import path of a directory inside the module. */
  importPathOf(dir: string): string | undefined {
    const rel = path.relative(this.root, path.resolve(dir));
    if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    if (this.path === 'std') return rel === '' ? undefined : rel.split(path.sep).join('/');
    return rel === '' ? this.path : `${this.path}/${rel.split(path.sep).join('/')}`;
  }

  private goFiles(dir: string): string[] {
    try {
      return readdirSync(dir)
        .filter(isPackageSource)
        .sort();
    } catch {
      return [];
    }
  }

  /**
   * The import paths of the module's packages (non-test files, other modules, vendor and testdata
   * left out) that import `importPath` and whose text matches `hint` somewhere. The module is read
   * once per process and hint; only each file's import paths and the hint's answer are kept.
   */
  importers(importPath: string, hint: RegExp): string[] {
    return this.index(hint)
      .filter((p) => p.hinted && p.importPath !== importPath && p.imports.has(importPath))
      .map((p) => p.importPath);
  }

  /** Every package of the module as the importer index keeps it (see `importers`). */
  index(hint: RegExp): readonly PackageImports[] {
    let index = this.importIndex.get(hint.source);
    if (!index) {
      index = this.readImports(hint);
      this.importIndex.set(hint.source, index);
    }
    return index;
  }

  /** One package of the module as the importer index of `hint` keeps it, if it is there. */
  packageImports(importPath: string, hint: RegExp): PackageImports | undefined {
    let byPath = this.byPath.get(hint.source);
    if (!byPath) this.byPath.set(hint.source, (byPath = new Map(this.index(hint).map((p) => [p.importPath, p]))));
    return byPath.get(importPath);
  }

  /**
   * The packages of the module that `from` imports, directly or through others (by the importer
   * index of `hint`), kept once computed.
   */
  dependencies(from: string, hint: RegExp): ReadonlySet<string> {
    const memo = `${hint.source}\0${from}`;
    let out = this.deps.get(memo);
    if (out) return out;
    out = new Set<string>();
    const queue = [from];
    while (queue.length > 0) {
      for (const q of this.packageImports(queue.pop()!, hint)?.imports ?? []) {
        if (out.has(q) || this.dirOf(q) === undefined) continue;
        out.add(q);
        queue.push(q);
      }
    }
    this.deps.set(memo, out);
    return out;
  }

  private readImports(hint: RegExp): PackageImports[] {
    const out: PackageImports[] = [];
    const walk = (dir: string): void => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      // A nested module is another module.
      if (dir !== this.root && entries.some((e) => e.isFile() && e.name === 'go.mod')) return;
      const importPath = this.importPathOf(dir);
      const pkg: PackageImports | undefined = importPath === undefined ? undefined : { importPath, imports: new Set(), hinted: false, interfaceMethods: new Set() };
      const called = new Set<string>();
      for (const e of entries) {
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.') && !e.name.startsWith('_')) walk(path.join(dir, e.name));
          continue;
        }
        if (!pkg || !e.isFile() || !isPackageSource(e.name)) continue;
        let source: string;
        try {
          source = readFileSync(path.join(dir, e.name), 'utf8');
        } catch {
          continue;
        }
        for (const p of importPathsOf(source)) pkg.imports.add(p);
        for (const m of source.matchAll(CALLED)) called.add(m[1]);
        if (!pkg.hinted && hint.test(source)) pkg.hinted = true;
        if (source.includes('interface')) for (const n of interfaceMethodNames(source)) pkg.interfaceMethods.add(n);
      }
      if (pkg && !this.called.has(pkg.importPath)) this.called.set(pkg.importPath, called);
      if (pkg && (pkg.imports.size > 0 || pkg.interfaceMethods.size > 0)) out.push(pkg);
    };
    if (this.path !== 'std') walk(this.root);
    return out;
  }

  /**
   * The exported names a package of the module calls as `x.Name(` in its non-test files (text
   * only, comments included): which other packages' functions and methods it may call. Read once
   * per process.
   */
  calledNames(importPath: string): Set<string> {
    let set = this.called.get(importPath);
    if (!set) {
      set = new Set();
      const dir = this.dirOf(importPath);
      for (const f of dir ? this.goFiles(dir) : []) {
        let source = '';
        try {
          source = readFileSync(path.join(dir!, f), 'utf8');
        } catch {
          continue;
        }
        for (const m of source.matchAll(CALLED)) set.add(m[1]);
      }
      this.called.set(importPath, set);
    }
    return set;
  }

  /** The package clause's name of a package of the module (undefined outside the module). */
  packageName(importPath: string): string | undefined {
    const dir = this.dirOf(importPath);
    if (!dir) return undefined;
    let n = this.names.get(importPath);
    if (n === undefined) {
      n = null;
      for (const f of this.goFiles(dir)) {
        const name = readHeader(readFileSync(path.join(dir, f), 'utf8')).packageName;
        if (name && name !== 'main' && !name.endsWith('_test')) {
          n = name;
          break;
        }
        if (name) n = name;
      }
      this.names.set(importPath, n);
    }
    return n ?? undefined;
  }

  /** The model of another package of the module (its non-test files), loaded on first request. */
  model(importPath: string): Model | undefined {
    let m = this.models.get(importPath);
    if (m !== undefined) {
      // Most recently used last: the oldest are dropped first when the cache is full.
      this.models.delete(importPath);
      this.models.set(importPath, m);
      return m ?? undefined;
    }
    if (this.models.size >= MAX_LOADED) this.models.delete(this.models.keys().next().value!);
    m = null;
    const dir = this.dirOf(importPath);
    const name = this.packageName(importPath);
    if (dir && name) {
      const files: GoFile[] = [];
      const sources = this.goFiles(dir).map((f) => ({ name: f, source: readFileSync(path.join(dir, f), 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n') }));
      for (const { name: f, source } of hostBuildFiles(sources)) {
        if (readHeader(source).packageName !== name) continue;
        let tree: ReturnType<typeof parseGo> | undefined;
        const file = { path: path.join(dir, f), source, packageName: name, goVersion: undefined, isTest: false } as GoFile;
        Object.defineProperty(file, 'tree', { get: () => (tree ??= parseGo(source)) });
        Object.defineProperty(file, 'root', { get: () => file.tree.rootNode });
        files.push(file);
      }
      m = this.makeModel({ dir, name, files }, this, importPath);
    }
    this.models.set(importPath, m);
    return m ?? undefined;
  }
}

const views = new Map<string, ModuleView | null>();

/**
 * The module view for a directory: the nearest go.mod above it, one view per module per process.
 * Undefined when there is no go.mod (or the directory is not given).
 */
export function moduleViewFor(dir: string, makeModel: (pkg: Package, view: ModuleView, importPath: string) => Model): ModuleView | undefined {
  if (!dir) return undefined;
  let d = path.resolve(dir);
  const seen: string[] = [];
  for (;;) {
    const cached = views.get(d);
    if (cached !== undefined) {
      for (const s of seen) views.set(s, cached);
      return cached ?? undefined;
    }
    seen.push(d);
    const mod = path.join(d, 'go.mod');
    if (existsSync(mod)) {
      const m = /^module\s+("?)([^\s"]+)\1/m.exec(readFileSync(mod, 'utf8'));
      const view = m ? new ModuleView(d, m[2], makeModel) : null;
      for (const s of seen) views.set(s, view);
      return view ?? undefined;
    }
    const up = path.dirname(d);
    if (up === d) {
      for (const s of seen) views.set(s, null);
      return undefined;
    }
    d = up;
  }
}

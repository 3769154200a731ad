/**
 * One pass over a package: its files opened lazily (a tree is parsed when something reads it), and
 * every selected transform run once over it through the package contract, sharing one model.
 */
import { asPackageTransform, packageMayMatch } from './contract.js';
import { newModel } from './go/model.js';
import type { Model } from './go/model.js';
import { goAtLeast } from './goversion.js';
import { ensureImport, importName } from './imports.js';
import { countSyntaxErrors, parseGo } from './parse.js';
import type { SourceFile } from './plan-types.js';
import { readHeader } from './source.js';
import { onRelease } from './trees.js';
import { suppressed } from './suppress.js';
import type { AnyTransform, Finding, GoFile, Node, Package, Pass, Tree } from './types.js';

export interface PassFinding {
  transform: AnyTransform;
  file: GoFile;
  finding: Finding;
}

/**
 * Runs every transform once over a parsed package (per-file transforms through their adapter, see
 * contract.ts). A transform that fails on a file (`pass.fail`, or a throw from `run`, which fails
 * every file) has that file recorded: it is then neither edited nor reported on, and the run goes
 * on: one bad transform or one odd file must not take the rest of a repository down with it.
 * Findings come out by file, then by transform, in the order each transform reported them.
 */
export function runTransforms(pkg: Package, transforms: AnyTransform[], failures: Map<string, string>): PassFinding[] {
  const out: { order: number; pf: PassFinding }[] = [];
  const known = transforms.map((t) => t.name);
  const fileIndex = new Map(pkg.files.map((f, i) => [f.path, i]));
  const texts = pkg.files.map((f) => f.source);
  let model: Model | undefined;
  transforms.forEach((transform, ti) => {
    const pt = asPackageTransform(transform);
    if (!packageMayMatch(pt, texts, pkg.dir)) return;
    const mine: { order: number; pf: PassFinding }[] = [];
    const fail = (file: GoFile, err: unknown) => {
      const first = String((err as Error)?.message ?? err).split('\n')[0];
      if (!failures.has(file.path)) failures.set(file.path, `transform ${transform.name} failed: ${first}`);
    };
    const pass: Pass = {
      pkg,
      files: pkg.files,
      get model() {
        return (model ??= newModel(pkg, { dropTrees: true }));
      },
      goVersion: (file) => file.goVersion,
      atLeast: (file, v) => goAtLeast(file.goVersion, v),
      ensureImport: (file, path) => {
        const e = ensureImport(file, path);
        return e && { ...e, file: file.path };
      },
      importName,
      edit: (file, start, end, text) => ({ start, end, text, file: file.path }),
      insert: (file, at, text) => ({ start: at, end: at, text, file: file.path }),
      report: (pf) => {
        const fi = fileIndex.get(pf.file);
        if (fi === undefined) throw new Error(`${transform.name} reported a finding in ${pf.file}, which is not in the package`);
        const { file: _file, ...finding } = pf;
        mine.push({ order: (fi * transforms.length + ti) * 1e7 + mine.length, pf: { transform, file: pkg.files[fi], finding } });
      },
      fail,
    };
    try {
      pt.run(pass);
    } catch (err) {
      for (const f of pkg.files) fail(f, err);
      return;
    }
    out.push(...mine);
  });
  out.sort((a, b) => a.order - b.order);
  const result: PassFinding[] = [];
  for (const { pf } of out) {
    const { transform, file, finding } = pf;
    if (file.source.includes('gomend:ignore') && suppressed(file.source, finding.start, transform.name, known)) continue;
    let f = finding;
    if (f.fix && transform.minGoVersion && !goAtLeast(file.goVersion, transform.minGoVersion)) {
      f = {
        start: f.start,
        end: f.end,
        message: `${f.message} (no fix: it needs Go ${transform.minGoVersion}, this file is Go ${file.goVersion ? `${file.goVersion.major}.${file.goVersion.minor}` : 'of unknown version'})`,
      };
    }
    result.push({ transform, file, finding: f });
  }
  return result;
}

/**
 * A package view whose trees are parsed on first use. Transforms run only on files that pass their
 * `mayMatch` test, so in most packages most files are never parsed: that is where a whole-tree run
 * saves its time. A transform that reads another file's `root` parses it then.
 */
export interface OpenPackage {
  pkg: Package;
  /** Syntax error counts of the files parsed so far. */
  errorCounts(): Map<string, number>;
  close(): void;
}

/** Per file of an open package: its tree if parsed so far (see `parsedTree`). */
const parsedTrees = new WeakMap<GoFile, () => Tree | undefined>();

/**
 * The tree the planner has parsed for a file of the package being planned, or undefined when it has
 * not parsed it (then reading `file.tree` would parse it now). Lets an analysis that copies trees
 * reuse one that another transform made, and parse (and free) the others itself.
 */
export function parsedTree(file: GoFile): Tree | undefined {
  return parsedTrees.get(file)?.();
}

export function openPackage(files: SourceFile[], dir: string): OpenPackage {
  const trees = new Map<string, Tree>();
  const roots = new Map<string, Node>();
  /** Syntax error counts of files whose trees were freed after the model copied them. */
  const released = new Map<string, number>();
  const goFiles = files.map((f) => {
    const treeOf = (): Tree => {
      let t = trees.get(f.path);
      if (!t) {
        t = parseGo(f.source);
        trees.set(f.path, t);
      }
      return t;
    };
    const file = {
      path: f.path,
      source: f.source,
      packageName: readHeader(f.source).packageName ?? '',
      goVersion: f.goVersion,
      isTest: f.path.endsWith('_test.go'),
    } as GoFile;
    Object.defineProperty(file, 'tree', { enumerable: true, get: treeOf });
    Object.defineProperty(file, 'root', {
      enumerable: true,
      get: () => {
        let r = roots.get(f.path);
        if (!r) {
          r = treeOf().rootNode;
          roots.set(f.path, r);
        }
        return r;
      },
    });
    parsedTrees.set(file, () => trees.get(f.path));
    onRelease(file, (errors) => {
      const t = trees.get(f.path);
      if (!t) {
        if (errors !== undefined) released.set(f.path, errors);
        return;
      }
      released.set(f.path, countSyntaxErrors(t.rootNode));
      t.delete();
      trees.delete(f.path);
      roots.delete(f.path);
    });
    return file;
  });
  const name = goFiles.find((f) => !f.isTest)?.packageName ?? goFiles[0]?.packageName ?? '';
  return {
    pkg: { dir, name, files: goFiles },
    errorCounts: () => new Map([...released, ...[...trees].map(([p, t]): [string, number] => [p, countSyntaxErrors(t.rootNode)])]),
    close: () => {
      for (const t of trees.values()) t.delete();
      trees.clear();
      roots.clear();
    },
  };
}


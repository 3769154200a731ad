/**
 * The two transform contracts meet here. gomend runs every transform once per package
 * (`PackageTransform.run(pass)`); a per-file `Transform` (`run(file, ctx)`, the contract of the
 * README example and of users' own transforms) is wrapped so that it runs on each file of the
 * package that passes its `mayMatch`, with the same context and the same findings as before.
 */
import { goAtLeast } from './goversion.js';
import { ensureImport, importName } from './imports.js';
import type { AnyTransform, Context, GoFile, Package, PackageTransform, Pass, Transform } from './types.js';

/** True for a transform written to the package contract. */
export function isPackageTransform(t: AnyTransform): t is PackageTransform {
  return (t as PackageTransform).scope === 'package';
}

/** The per-file context of `file`, as `run(file, ctx)` has always received it. */
export function fileContext(pkg: Package, file: GoFile): Context {
  return {
    pkg,
    goVersion: file.goVersion,
    atLeast: (v) => goAtLeast(file.goVersion, v),
    ensureImport,
    importName,
  };
}

const adapters = new WeakMap<Transform, PackageTransform>();

/**
 * The package transform that runs a per-file transform on every file passing its `mayMatch`. A
 * throw on one file fails that file only (`pass.fail`), as it always has. The same transform
 * object always gives the same adapter.
 */
export function asPackageTransform(t: AnyTransform): PackageTransform {
  if (isPackageTransform(t)) return t;
  let a = adapters.get(t);
  if (a) return a;
  a = {
    name: t.name,
    description: t.description,
    scope: 'package',
    minGoVersion: t.minGoVersion,
    layout: t.layout,
    mayMatch: (texts) => !t.mayMatch || texts.some((s) => t.mayMatch!(s)),
    run(pass: Pass) {
      for (const file of pass.files) {
        if (t.mayMatch && !t.mayMatch(file.source)) continue;
        let findings;
        try {
          findings = t.run(file, fileContext(pass.pkg, file));
        } catch (err) {
          pass.fail(file, err);
          continue;
        }
        for (const f of findings) pass.report({ ...f, file: file.path });
      }
    },
  };
  adapters.set(t, a);
  return a;
}

/** Whether any file text of a package may hold a finding of `t` (its `mayMatch`, either contract). */
export function packageMayMatch(t: AnyTransform, texts: string[], dir?: string): boolean {
  if (isPackageTransform(t)) return !t.mayMatch || t.mayMatch(texts, dir);
  return !t.mayMatch || texts.some((s) => t.mayMatch!(s));
}

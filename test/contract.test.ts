/**
 * The two transform contracts: a per-file transform run through the package adapter gives exactly
 * the output and findings it gives on its own, a package transform sees every file once per pass,
 * and a failure fails only what it should.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { asPackageTransform, isPackageTransform } from '../src/contract.js';
import { transformProblem } from '../src/load.js';
import { initParser } from '../src/parse.js';
import { planPackage } from '../src/plan.js';
import type { SourceFile } from '../src/plan.js';
import type { PackageTransform, Transform } from '../src/types.js';
import { transforms } from '../transforms/index.js';
import { discoverCases } from './fixture-cases.js';
import { repoRoot } from './fixture-cases.js';

const test = suite('contract');
test.before(async () => {
  await initParser();
});

const src = (files: Record<string, string>): SourceFile[] => Object.entries(files).map(([p, source]) => ({ path: p, source, goVersion: { major: 1, minor: 22 } }));

function summary(plan: ReturnType<typeof planPackage>): string {
  return JSON.stringify({ outputs: [...plan.outputs], findings: plan.findings, applied: plan.applied, dropped: plan.dropped, errors: [...plan.transformErrors] });
}

test('adapter: every built-in per-file transform gives identical plans through the package contract (the examples below cover the adapter when none is per file)', () => {
  const cases = discoverCases();
  let compared = 0;
  for (const t of transforms) {
    if (isPackageTransform(t)) continue;
    const wrapped = asPackageTransform(t);
    assert.is(asPackageTransform(t), wrapped, 'one adapter per transform');
    for (const c of cases.filter((x) => x.transform === t.name).slice(0, 6)) {
      const files = c.files.map((f) => ({ path: f.name, source: f.input, goVersion: undefined }));
      assert.is(summary(planPackage(files, [wrapped])), summary(planPackage(files, [t])), c.id);
      compared++;
    }
  }
  const perFile = transforms.filter((t) => !isPackageTransform(t)).length;
  assert.ok(perFile === 0 || compared > 0, 'per-file built-ins have fixtures to compare');
});

test('adapter: the example user transforms give identical plans', async () => {
  const dir = path.join(repoRoot, 'examples', 'transforms');
  const go = 'package a\n\nimport (\n\t"errors"\n\t"fmt"\n\t"strings"\n)\n\nvar E = errors.New("x")\n\nfunc f(id int) error { return errors.New(fmt.Sprintf("no user %d", id)) }\n\nfunc g(s string) string { return strings.Replace(s, "a", "b", -1) }\n';
  for (const name of ['errors-new-fmt.mjs', 'strings-replace-all.cjs']) {
    const mod = (await import(pathToFileURL(path.join(dir, name)).href)) as { default: Transform | { default: Transform } };
    const t = ('run' in mod.default ? mod.default : (mod.default as { default: Transform }).default) as Transform;
    assert.is(transformProblem(t), undefined);
    const files = src({ 'a.go': go });
    const direct = planPackage(files, [t]);
    assert.ok(direct.applied > 0, `${name} applies a fix`);
    assert.is(summary(planPackage(files, [asPackageTransform(t)])), summary(direct), name);
  }
  void readFileSync;
});

test('a package transform sees every file once per pass and reports into any of them', () => {
  const seen: string[][] = [];
  const t: PackageTransform = {
    name: 'whole',
    description: 'test transform',
    scope: 'package',
    mayMatch: (texts) => texts.some((s) => s.includes('old')),
    run(pass) {
      seen.push(pass.files.map((f) => f.path));
      assert.is(pass.model, pass.model, 'one model per pass');
      const b = pass.files.find((f) => f.path === 'b.go')!;
      const i = b.source.indexOf('old');
      if (i < 0) return;
      const imp = pass.ensureImport(b, 'sync');
      pass.report({ file: b.path, start: i, end: i + 3, message: 'old name', fix: { message: 'Rename', edits: [pass.edit(b, i, i + 3, 'new_'), ...(imp ? [imp] : [])] } });
    },
  };
  assert.is(transformProblem(t), undefined);
  const plan = planPackage(src({ 'a.go': 'package a\n', 'b.go': 'package a\n\nvar old = 1\n' }), [t]);
  assert.is(plan.outputs.get('b.go'), 'package a\n\nimport "sync"\n\nvar old = 1\n'.replace('old', 'new_'));
  // The second pass's text no longer passes mayMatch: the transform ran once.
  assert.equal(seen, [['a.go', 'b.go']]);
  assert.is(plan.findings.length, 1);
  assert.is(plan.findings[0].path, 'b.go');
});

test('a package transform is skipped when mayMatch says no, and a throw fails the package files', () => {
  let runs = 0;
  const never: PackageTransform = { name: 'never', description: 'x', scope: 'package', mayMatch: () => false, run: () => void runs++ };
  planPackage(src({ 'a.go': 'package a\n' }), [never]);
  assert.is(runs, 0);
  const thrower: PackageTransform = { name: 'thrower', description: 'x', scope: 'package', run: () => { throw new Error('boom\nmore'); } };
  const plan = planPackage(src({ 'a.go': 'package a\n', 'b.go': 'package a\n' }), [thrower]);
  assert.equal([...plan.transformErrors], [['a.go', 'transform thrower failed: boom'], ['b.go', 'transform thrower failed: boom']]);
});

test('transformProblem: the package contract is checked too', () => {
  assert.match(transformProblem({ name: 'x', description: 'd', scope: 'file', run() {} }) ?? '', /scope/);
  assert.match(transformProblem({ name: 'x', description: 'd', scope: 'package' }) ?? '', /run\(pass\)/);
});

test.run();

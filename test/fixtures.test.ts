/**
 * The data-driven fixture test: every case under fixtures/ is checked for exact bytes, a clean
 * parse, gofmt-cleanliness, idempotency and (where it ships Go tests) real behaviour under
 * `go vet` and `go test -race` before and after the rewrite.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileGoVersion, goModVersion } from '../src/goversion.js';
import { findGofmt, gofmt, layoutOutputs } from '../src/gofmt.js';
import { initParser, syntaxErrorCount } from '../src/parse.js';
import { planPackage } from '../src/plan.js';
import type { PackagePlan, SourceFile } from '../src/plan.js';
import { goAccepts } from '../src/syntax.js';
import type { AnyTransform } from '../src/types.js';
import { transformByName, transforms } from '../transforms/index.js';
import { discoverCases, materialise, removeDir, vetAndRaceTest } from './fixture-cases.js';
import type { FixtureCase } from './fixture-cases.js';

const test = suite('fixtures');
const only = process.env.GOMEND_FIXTURES?.split(',').filter(Boolean);
const cases = discoverCases().filter((c) => !only || only.some((o) => c.id === o || c.id.startsWith(`${o}/`) || c.transform === o));
const goAvailable = !process.env.GOMEND_SKIP_GO;

test.before(async () => {
  await initParser();
});

function sources(c: FixtureCase, texts: (f: FixtureCase['files'][number]) => string): SourceFile[] {
  const modVersion = goModVersion(readFileSync(path.join(c.moduleDir, 'go.mod'), 'utf8'));
  return c.files.map((f) => ({ path: f.name, source: texts(f), goVersion: fileGoVersion(modVersion, texts(f)) }));
}

/**
 * Plans as the driver does: files tree-sitter cannot read whole but gofmt accepts are planned
 * again, worked on outside what tree-sitter cannot read, and outputs are laid out by gofmt.
 */
async function plan(files: SourceFile[], transform: AnyTransform, c?: FixtureCase): Promise<PackagePlan> {
  // A case among other packages of its module is planned where it sits in that module.
  const laid = c?.layout ? materialise(c, new Map(files.map((f) => [f.path, f.source])), []) : undefined;
  try {
    return await planIn(files, transform, laid && c?.layout ? path.join(laid, c.layout.dir) : '');
  } finally {
    if (laid) removeDir(laid);
  }
}

async function planIn(files: SourceFile[], transform: AnyTransform, dir: string): Promise<PackagePlan> {
  let planned = planPackage(files, [transform], {}, dir);
  const gofmtBin = await findGofmt();
  if (!gofmtBin) return planned;
  const valid = new Set<string>();
  for (const p of planned.syntaxErrors.keys()) if ((await goAccepts(gofmtBin, files.find((f) => f.path === p)!.source)).valid) valid.add(p);
  if (valid.size) planned = planPackage(files, [transform], { localErrors: valid }, dir);
  // As the driver does: gofmt-clean where the file was, laid out by gofmt for transforms that ask.
  const failed = await layoutOutputs(gofmtBin, planned.outputs, (p) => files.find((f) => f.path === p)!.source, (p) => planned.gofmtLayout.has(p));
  assert.equal([...failed], [], 'a planned output fails gofmt');
  return planned;
}

function renderFindings(plan: ReturnType<typeof planPackage>): string {
  return plan.findings.map((f) => `${f.path}:${f.line}:${f.column}: ${f.transform}: ${f.note ? 'note: ' : ''}${f.message}`).join('\n') + (plan.findings.length ? '\n' : '');
}

test('there are fixtures for every transform', () => {
  if (only) return; // a filtered run checks only what it selected
  for (const { name } of transforms) {
    assert.ok(cases.some((c) => c.transform === name), `no fixture cases for ${name}`);
  }
});

for (const c of cases) {
  test(`${c.id}: exact output, parses, gofmt-clean, idempotent`, async () => {
    const transform = transformByName(c.transform);
    assert.ok(transform, `fixtures/${c.transform} names no transform`);
    const gofmtBin = await findGofmt();
    if (!gofmtBin && c.files.some((f) => syntaxErrorCount(f.input) > 0)) {
      console.log(`  ${c.id}: skipped, valid Go that tree-sitter cannot read needs gofmt to confirm it`);
      return;
    }
    const planned = await plan(sources(c, (f) => f.input), transform!, c);
    for (const f of c.files) {
      if (f.hasOutput) assert.not.equal(f.expected, f.input, `${f.outputPath} is identical to its input: delete it instead`);
      const actual = planned.outputs.get(f.name) ?? f.input;
      assert.fixture(actual, f.expected, `${c.id}/${f.name} differs from ${path.basename(f.outputPath)}`);
      if (actual !== f.input) {
        // Valid Go that tree-sitter cannot read keeps what it cannot read, and no more.
        assert.is(syntaxErrorCount(actual), syntaxErrorCount(f.input), `${f.name}: output does not parse`);
        if (gofmtBin) {
          const before = await gofmt(gofmtBin, f.input);
          const after = await gofmt(gofmtBin, actual);
          assert.ok(after.ok, `${f.name}: gofmt rejects the output: ${after.error}`);
          if (before.ok && before.formatted === f.input) assert.fixture(actual, after.formatted, `${f.name}: output is not gofmt-clean`);
        }
      }
    }
    assert.is(planned.unsettled, false, 'fixes still pending after the pass limit');
    const again = await plan(sources(c, (f) => planned.outputs.get(f.name) ?? f.input), transform!, c);
    assert.is(again.applied, 0, `${c.id}: a second run applies ${again.applied} more fixes`);
    if (c.findingsPath) {
      assert.fixture(renderFindings(planned), readFileSync(c.findingsPath, 'utf8'), `${c.id}: findings differ from ${path.basename(c.findingsPath)}`);
    }
  });

  if (goAvailable && (c.raceTests.length > 0 || c.contentTests.length > 0 || c.passTests.length > 0)) {
    test(`${c.id}: go vet and go test -race before and after`, async () => {
      const transform = transformByName(c.transform)!;
      const planned = await plan(sources(c, (f) => f.input), transform, c);
      const before = new Map(c.files.map((f) => [f.name, f.input]));
      const after = new Map(c.files.map((f) => [f.name, planned.outputs.get(f.name) ?? f.input]));
      const tests = [...c.raceTests, ...c.contentTests, ...c.passTests];
      for (const [label, texts, expectRace, expectFailure] of [
        ['before', before, c.raceTests.length > 0, c.contentTests.length > 0],
        ['after', after, false, false],
      ] as const) {
        const dir = materialise(c, texts, tests);
        try {
          const { vet, test: result } = await vetAndRaceTest(dir, c.layout ? `./${c.layout.dir.split(path.sep).join('/')}` : '.');
          assert.ok(vet.ok, `${c.id} ${label}: go vet failed:\n${vet.output}`);
          if (expectRace) {
            assert.not.ok(result.ok, `${c.id} ${label}: go test -race passed, but the fixture claims a race:\n${result.output}`);
            assert.match(result.output, /DATA RACE|concurrent map|race detected/, `${c.id} ${label}: the test failed without a race:\n${result.output}`);
          } else if (expectFailure) {
            assert.not.ok(result.ok, `${c.id} ${label}: go test passed, but the fixture's content test claims the input is wrong:\n${result.output}`);
            assert.match(result.output, /^--- FAIL: /m, `${c.id} ${label}: go test failed without a failing test (build error?):\n${result.output}`);
            assert.not.match(result.output, /DATA RACE/, `${c.id} ${label}: a content test failed by a race; name it .race_test.go:\n${result.output}`);
          } else {
            assert.ok(result.ok, `${c.id} ${label}: go test -race failed:\n${result.output}`);
          }
        } finally {
          removeDir(dir);
        }
      }
    });
  }
}

test.run();

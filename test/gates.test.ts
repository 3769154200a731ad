/**
 * Gates never change a result: every transform's cheap test (`mayMatch`, the text a package must
 * contain before it is parsed) is checked against the transform run without it, over every fixture
 * package and a slice of Go's own source. A gate that says "no" where the analysis would find
 * something is a silent miss on real code, which no fixture of the transform itself would show.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { asPackageTransform } from '../src/contract.js';
import { fileGoVersion, goModVersion } from '../src/goversion.js';
import { initParser } from '../src/parse.js';
import { collectCandidates } from '../src/plan.js';
import type { SourceFile } from '../src/plan.js';
import { readHeader } from '../src/source.js';
import type { AnyTransform, GoVersion } from '../src/types.js';
import { transforms } from '../transforms/index.js';
import { discoverCases } from './fixture-cases.js';

/** Packages of GOROOT/src with goroutines, maps, pools, buffers and loops: what the gates look for. */
const GOROOT_PACKAGES = ['expvar', 'sync', 'net/rpc', 'log/slog', 'os/exec', 'database/sql', 'internal/singleflight', 'text/template', 'bufio', 'encoding/json', 'net/http/httputil', 'mime/multipart'];

interface PackageSources {
  id: string;
  files: SourceFile[];
}

function goroot(): string | undefined {
  try {
    return execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/** The packages of one directory's `.go` files, grouped by package clause as a run groups them. */
function packagesOf(id: string, named: { path: string; source: string }[], version: GoVersion | undefined): PackageSources[] {
  const byName = new Map<string, SourceFile[]>();
  for (const f of named) {
    const name = readHeader(f.source).packageName;
    if (!name) continue;
    const list = byName.get(name) ?? [];
    list.push({ path: f.path, source: f.source, goVersion: fileGoVersion(version, f.source) });
    byName.set(name, list);
  }
  return [...byName].map(([name, files]) => ({ id: `${id} (${name})`, files }));
}

function fixturePackages(): PackageSources[] {
  return discoverCases().flatMap((c) => {
    const mod = path.join(c.moduleDir, 'go.mod');
    const version = existsSync(mod) ? goModVersion(readFileSync(mod, 'utf8')) : undefined;
    return packagesOf(c.id, c.files.map((f) => ({ path: f.name, source: f.input })), version);
  });
}

function gorootPackages(): PackageSources[] {
  const root = goroot();
  if (!root) return [];
  const version: GoVersion = { major: 1, minor: 26 };
  return GOROOT_PACKAGES.flatMap((p) => {
    const dir = path.join(root, 'src', p);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
    const files = readdirSync(dir)
      .filter((n) => n.endsWith('.go'))
      .map((n) => ({ path: n, source: readFileSync(path.join(dir, n), 'utf8') }));
    return packagesOf(p, files, version);
  });
}

/** The same transform with no gate: `mayMatch` absent means "always" in both contracts. */
function ungated(t: AnyTransform): AnyTransform {
  const { mayMatch: _gate, ...rest } = t;
  return rest as AnyTransform;
}

function results(files: SourceFile[], t: AnyTransform): string[] {
  const { findings } = collectCandidates(files, [t]);
  return findings.map((f) => `${f.path}:${f.line}:${f.column}: ${f.message}${f.fix ? ' (fix)' : ''}`);
}

test.before(async () => {
  await initParser();
});

const packages = [...fixturePackages(), ...gorootPackages()];

for (const t of transforms) {
  test(`${t.name}: its gate changes no result on ${packages.length} packages (fixtures and GOROOT)`, () => {
    const gated = asPackageTransform(t);
    if (!gated.mayMatch) return;
    const plain = ungated(t);
    for (const pkg of packages) {
      const texts = pkg.files.map((f) => f.source);
      if (gated.mayMatch(texts)) continue; // the gate let it through: nothing to compare
      assert.equal(results(pkg.files, plain), [], `${t.name}'s gate said no to ${pkg.id}, where the analysis finds something`);
    }
  });
}

test('the gates are tested: each says no to some package (a gate that always passes tests nothing)', () => {
  const saysNo = transforms.filter((t) => {
    const g = asPackageTransform(t).mayMatch;
    return g && packages.some((p) => !g(p.files.map((f) => f.source)));
  });
  assert.ok(saysNo.length >= 3, `only ${saysNo.map((t) => t.name).join(', ')} said no somewhere`);
});

test.run();

#!/usr/bin/env node
// Checks map-rwmutex's text gate against its analysis on real code: for every package of the given
// trees, the analysis is run without the gate, and every package where a goroutine writes a
// candidate map after initialisation (where a finding is possible) must be one the gate lets
// through. Also prints how much the gate lets through, which is what a run pays to analyse.
//
//   npm run build && node scripts/gate-check.mjs $(go env GOROOT)/src ~/src/some-module
//
// Exit code 0 when the gate missed nothing, 1 when it did (each miss is printed), 2 on bad usage.
// It runs as a gomend transform module (this file), so packages are grouped exactly as in a run.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportsOver } from './self-transform.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const self = fileURLToPath(import.meta.url);

/** The transform: one finding per package, on its first file, saying what gate and analysis said. */
const seen = new WeakSet();
const { goroutineWrites } = await import(path.join(root, 'dist/transforms/map-rwmutex/analyse.js'));
const { mayNeedLock } = await import(path.join(root, 'dist/transforms/map-rwmutex/gate.js'));
export default {
  name: 'gate-check',
  description: 'compares the map-rwmutex text gate with its analysis',
  mayMatch: (source) => source.includes('map['),
  run(file, ctx) {
    if (seen.has(ctx.pkg)) return [];
    seen.add(ctx.pkg);
    const sources = ctx.pkg.files.map((f) => f.source);
    const gate = mayNeedLock(sources);
    const bytes = sources.reduce((n, s) => n + s.length, 0);
    const writes = gate ? [] : goroutineWrites(ctx);
    return [{ start: 0, end: 0, message: JSON.stringify({ gate, bytes, writes }) }];
  },
};

if (process.argv[1] === self) {
  let packages = 0, passed = 0, passedBytes = 0, totalBytes = 0;
  const misses = [];
  for (const { path: file, report: r } of reportsOver(self, process.argv.slice(2))) {
    packages++;
    totalBytes += r.bytes;
    if (r.gate) {
      passed++;
      passedBytes += r.bytes;
    } else if (r.writes.length > 0) misses.push(`${path.dirname(file)}: ${r.writes.join(', ')}`);
  }
  const mb = (n) => (n / 1e6).toFixed(1);
  console.log(`${packages} packages with a map (${mb(totalBytes)} MB); the gate passed ${passed} (${mb(passedBytes)} MB); missed ${misses.length}`);
  for (const m of misses) console.log(`  missed: ${m}`);
  process.exit(misses.length ? 1 : 0);
}

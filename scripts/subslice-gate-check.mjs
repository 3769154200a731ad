#!/usr/bin/env node
// Checks goroutine-subslice's text test against its analysis on real code: every go or send
// statement of every file is parsed, and wherever one hands over a subslice (an argument or sent
// value that is a slice expression or a local bound to one, or a captured local bound to one) the
// file's text test must say yes. The later tests of the analysis (a parent write before a join)
// only remove hand-offs, so this is the precondition of every finding.
//
//   npm run build && node scripts/subslice-gate-check.mjs $(go env GOROOT)/src ~/src/some-module
//
// Exit code 0 when the text test missed nothing, 1 when it did (each miss is printed), 2 on bad usage.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportsOver } from './self-transform.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const self = fileURLToPath(import.meta.url);
const dist = (p) => import(path.join(root, 'dist/transforms/goroutine-subslice', p));
const { hasHandoffText, hasSliceExpr } = await dist('gate.js');
const { boundSlice, capturedSubslices } = await dist('bound.js');
const { objOf } = await dist('goroutine.js');
const { kids } = await import(path.join(root, 'dist/src/go/syntax.js'));

/** The statements of a file that hand a subslice over, as the transform finds them. */
function handoffs(root, an) {
  const out = [];
  for (const stmt of root.descendantsOfType(['go_statement', 'send_statement'])) {
    const values = [];
    if (stmt.type === 'send_statement') values.push(stmt.childForFieldName('value'));
    else {
      const call = kids(stmt)[0];
      if (call?.type !== 'call_expression') continue;
      values.push(...kids(call.childForFieldName('arguments')));
      const fn = call.childForFieldName('function');
      if (fn?.type === 'func_literal' && capturedSubslices(fn, an).length > 0) out.push(stmt);
    }
    for (const v of values) {
      if (!v) continue;
      const slice = v.type === 'slice_expression' ? v : v.type === 'identifier' ? boundSlice(objOf(an, v), an) : undefined;
      if (slice) out.push(stmt);
    }
  }
  return out;
}

export default {
  name: 'subslice-gate-check',
  description: 'compares the goroutine-subslice text test with its analysis',
  scope: 'package',
  run(pass) {
    const an = { model: pass.model, memo: new Map() };
    for (const file of pass.files) {
      if (!/\bgo\b|<-/.test(file.source)) continue;
      const found = handoffs(pass.model.rootOf(file), an);
      const gate = hasSliceExpr(file.source) && hasHandoffText(file.source);
      pass.report({ file: file.path, start: 0, end: 0, message: JSON.stringify({ gate, handoffs: found.map((s) => s.startPosition.row + 1), bytes: file.source.length }) });
    }
  },
};

if (process.argv[1] === self) {
  let files = 0, passed = 0, passedBytes = 0, withHandoff = 0;
  const misses = [];
  for (const { path: file, report: r } of reportsOver(self, process.argv.slice(2))) {
    files++;
    if (r.gate) {
      passed++;
      passedBytes += r.bytes;
    }
    if (r.handoffs.length > 0) withHandoff++;
    if (r.handoffs.length > 0 && !r.gate) misses.push(`${file}: hand-off at line ${r.handoffs.join(', ')}`);
  }
  for (const m of misses) console.log(`missed: ${m}`);
  console.log(`${files} files with go or <-; ${withHandoff} hand a subslice over; the text test passed ${passed} (${(passedBytes / 1e6).toFixed(1)} MB); missed ${misses.length}`);
  process.exit(misses.length > 0 ? 1 : 0);
}

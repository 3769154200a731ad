#!/usr/bin/env node
/**
 * How much of a Go tree the shared model (src/go/) understands: the share of identifiers resolved,
 * of `x.f` selectors resolved (members of other modules excluded), and of expressions typed, plus
 * the commonest reasons for an unknown type, and that nothing crashes. Run after `npx tsc -p .`:
 *
 *   node scripts/model-coverage.mjs <dir>
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { newModel } from '../dist/src/go/model.js';
import { initParser, parseGo } from '../dist/src/parse.js';
import { readHeader } from '../dist/src/source.js';

await initParser();
const root = process.argv[2] ?? '.';
const dirs = [];
(function walk(d) {
  const ents = readdirSync(d, { withFileTypes: true });
  const gos = ents.filter((e) => e.isFile() && e.name.endsWith('.go')).map((e) => path.join(d, e.name));
  if (gos.length) dirs.push(gos);
  for (const e of ents) if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'testdata' && e.name !== 'vendor') walk(path.join(d, e.name));
})(root);

const EXPR = ['identifier', 'selector_expression', 'call_expression', 'index_expression', 'slice_expression', 'type_assertion_expression', 'composite_literal', 'unary_expression', 'binary_expression', 'parenthesized_expression', 'func_literal'];
const c = { ids: 0, resolved: 0, sels: 0, selsResolved: 0, exprs: 0, typed: 0, crashes: 0 };
const why = new Map();
const started = Date.now();
for (const paths of dirs) {
  const byPkg = new Map();
  for (const p of paths) {
    const source = readFileSync(p, 'utf8');
    const name = readHeader(source).packageName ?? '';
    if (!byPkg.has(name)) byPkg.set(name, []);
    byPkg.get(name).push({ p, source });
  }
  for (const [name, fs] of byPkg) {
    const files = fs.map(({ p, source }) => {
      const tree = parseGo(source);
      return { path: p, source, tree, root: tree.rootNode, packageName: name, goVersion: undefined, isTest: p.endsWith('_test.go') };
    });
    try {
      const m = newModel({ dir: path.dirname(fs[0].p), name, files });
      for (const f of files) {
        const r = m.rootOf(f);
        for (const n of r.descendantsOfType(['identifier', 'field_identifier', 'type_identifier'])) {
          const p = n.parent;
          if (n.text === '_' || p?.type === 'package_clause' || p?.type === 'import_spec') continue;
          if (n.type === 'field_identifier') {
            if (p?.type !== 'selector_expression') continue;
            const op = p.childForFieldName('operand');
            if (op?.type === 'identifier' && m.objectOf(op)?.kind === 'pkgname' && !m.module?.dirOf(m.objectOf(op).pkg)) continue;
            c.sels++;
            if (m.objectOf(n)) c.selsResolved++;
            continue;
          }
          if (n.type === 'type_identifier' && p?.type === 'qualified_type') continue;
          c.ids++;
          if (m.objectOf(n)) c.resolved++;
        }
        for (const n of r.descendantsOfType(EXPR)) {
          if (n.type === 'identifier' && !(n.parent?.type === 'expression_list' || n.parent?.type === 'argument_list' || n.parent?.type.endsWith('expression'))) continue;
          if (n.type === 'identifier' && ['pkgname', 'builtin', 'type'].includes(m.objectOf(n)?.kind)) continue;
          c.exprs++;
          const t = m.typeOf(n);
          if (t.kind !== 'unknown') c.typed++;
          else {
            const k = t.why.replace(/ [\w./-]+$/, ' X').replace(/known in .*/, 'known in T');
            why.set(k, (why.get(k) ?? 0) + 1);
          }
        }
      }
    } catch (e) {
      c.crashes++;
      console.error(`crash in ${path.dirname(fs[0].p)}: ${e.stack.split('\n').slice(0, 3).join(' | ')}`);
    }
    for (const f of files) f.tree.delete();
  }
}
const pct = (a, b) => `${a}/${b} (${((100 * a) / Math.max(1, b)).toFixed(1)}%)`;
console.log(`${dirs.length} directories; identifiers resolved ${pct(c.resolved, c.ids)}; selectors ${pct(c.selsResolved, c.sels)}; expressions typed ${pct(c.typed, c.exprs)}; crashes ${c.crashes}; ${Date.now() - started} ms`);
console.log('commonest reasons for unknown:');
for (const [k, n] of [...why].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${n}\t${k}`);
process.exitCode = c.crashes ? 1 : 0;

/**
 * goroutine-subslice: subslices handed to another goroutine while the parent keeps writing the
 * array behind them.
 *
 * A `go` statement (or a channel send) copies a slice header, not the elements: the goroutine and
 * its parent share the backing array. When the parent writes that array again before it waits for
 * the goroutine (a read loop reusing `buf`, a batch marked "processing" right after a validator was
 * launched over a prefix), the goroutine reads while the parent writes: a data race, and garbage in
 * the goroutine's hands.
 *
 *   Have                                        Want
 *   for {                                       for {
 *       n, _ := r.Read(buf)                         n, _ := r.Read(buf)
 *       go handle(buf[:n])                          go handle(slices.Clone(buf[:n]))
 *   }                                           }
 *
 *   preview := items[:limit]                    preview := items[:limit]
 *   go func() { check(preview) }()              go func(preview []Item) { check(preview) }(slices.Clone(preview))
 *   for i := range items { items[i].x = 1 }     for i := range items { items[i].x = 1 }
 *
 * The copy happens in the `go` statement's arguments, which the parent evaluates before the
 * goroutine starts. A file that already imports `bytes` copies a `[]byte` with `bytes.Clone`;
 * below Go 1.21 (or when the name `slices` is taken) the copy is `append(buf[:0:0], buf[:n]...)`,
 * written only for operands without side effects.
 *
 * Declines, with a finding that says why: when the operand's type cannot be read from the source
 * (strings never need a copy, and `slices.Clone` of a string does not compile); when the goroutine
 * writes through the slice (a parallel in-place sort of `xs[:mid]` shares memory on purpose) or
 * gomend cannot see what it does with it; when a captured variable is assigned by the closure.
 * Leaves alone, without a finding: buffers allocated fresh in each iteration, parents that never
 * write the array again or wait (`wg.Wait()`, a receive, a lock) before writing, and parents that
 * signal a waiting goroutine after writing (it may mean to see the new data).
 *
 * What is handed over, besides `buf[:n]` and a local bound to it: views of memory their owner
 * reuses (`sc.Bytes()`, `b.Bytes()`, `r.Peek(n)`, `r.ReadSlice('\n')`, cloned when the owner scans,
 * reads or writes again before a join); the whole buffer of a read loop (`go handle(buf, n)` after
 * `conn.ReadFromUDP(buf)`); the elements of composite literals (`ch <- Packet{Data: buf[:n]}`, or a
 * local bound to one just before), where the clone wraps the element. Sends in select cases count
 * like any other. A `Write(p []byte)`-like method that hands p to a goroutine or a channel and
 * returns without waiting is reported, not fixed: io.Writer's contract lets the caller reuse p.
 *
 * Closures run on another goroutine (`go func() {…}()`, and func literals given to `wg.Go`,
 * errgroup's `Go`, `time.AfterFunc` or a pool's `Submit`) are closure.ts's: a view-bound local they
 * read is cloned where it is bound, a read buffer they slice themselves is copied into a fresh
 * variable just before the hand-off.
 * TODO: the receiver of a channel send is not analysed; a receiver that writes into what it gets
 * would make the copy wrong, as for goroutines that write through their parameter. For now only a
 * parent that reads the buffer again after a join is taken as a sign of that, and refused.
 */
import { fileContext } from '../../src/contract.js';
import type { Context, Finding, GoFile, Package, PackageTransform, Pass, Tree } from '../../src/types.js';
import type { SyntaxNode } from '../../src/mirror.js';
import { closureFindings, closureStarts } from './closure.js';
import { goFindings, sendFindings } from './findings.js';
import type { Analysis } from './goroutine.js';
import { mayHandOff } from './gate.js';

/**
 * The go and send statements of a file in document order, found from where their `go` and `<-`
 * tokens are in the text: asking the tree at those few places is much cheaper than walking all of
 * it, and every go statement starts with its `go` token, every send holds its `<-`.
 */
function handoffStatements(file: GoFile): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const root = file.root as unknown as SyntaxNode; // the mirrored root (see mirroredPackage)
  const at = (i: number, token: string, parent: string) => {
    const node = root.descendantForIndex(i, i + token.length);
    const p = node?.type === token ? node.parent : null;
    if (p?.type === parent) out.push(p);
  };
  for (const m of file.source.matchAll(/\bgo\b/g)) at(m.index, 'go', 'go_statement');
  for (let i = file.source.indexOf('<-'); i >= 0; i = file.source.indexOf('<-', i + 2)) at(i, '<-', 'send_statement');
  return out.sort((a, b) => a.startIndex - b.startIndex);
}

/** One file: its go and send statements and its closures run elsewhere, judged against the package's model. */
export function subsliceFindings(file: GoFile, ctx: Context, an: Analysis): Finding[] {
  const stmts = handoffStatements(file);
  const starts = /\bfunc\s*\(/.test(file.source) ? closureStarts(file, an.model) : [];
  if (stmts.length === 0 && starts.length === 0) return [];
  const out: Finding[] = [];
  for (const stmt of stmts) {
    if (stmt.type === 'go_statement') out.push(...goFindings(file, ctx, an, stmt));
    else out.push(...sendFindings(file, ctx, an, stmt));
  }
  for (const start of starts) out.push(...closureFindings(file, ctx, an, start));
  return out;
}

/**
 * The package's files as this analysis reads them: the same files, whose `root` is the model's
 * mirrored tree (plain JavaScript nodes, read many times over; the model shares them).
 */
function mirroredPackage(pass: Pass): Package {
  const files = pass.files.map((f) => {
    const view = { path: f.path, source: f.source, packageName: f.packageName, goVersion: f.goVersion, isTest: f.isTest } as GoFile;
    Object.defineProperty(view, 'root', { enumerable: true, get: () => pass.model.rootOf(f) });
    Object.defineProperty(view, 'tree', { enumerable: true, get: () => pass.model.rootOf(f).tree as unknown as Tree });
    return view;
  });
  return { ...pass.pkg, files };
}

export const goroutineSubslice: PackageTransform = {
  name: 'goroutine-subslice',
  description: 'clone subslices handed to goroutines or sent on channels while the parent keeps writing their array',
  scope: 'package',
  mayMatch: (texts) => texts.some(mayHandOff),
  run(pass) {
    const pkg = mirroredPackage(pass);
    const an: Analysis = { model: pass.model, memo: new Map() };
    // The text test per file, unless it was taken away (the gate tests compare with and without it).
    const gated = this.mayMatch !== undefined;
    for (const file of pkg.files) {
      if (gated && !mayHandOff(file.source)) continue;
      let found: Finding[];
      try {
        found = subsliceFindings(file, fileContext(pkg, file), an);
      } catch (err) {
        pass.fail(file, err);
        continue;
      }
      for (const f of found) pass.report({ ...f, file: file.path });
    }
  },
};

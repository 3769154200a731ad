/**
 * The shape of the code that runs after a hand-off: which statements follow it, which leave the
 * function, and which selects only poll.
 *
 * After the statement, the rest of each enclosing block runs; for an enclosing loop, its next
 * iteration follows (post statement, condition, body from the top); a function literal or
 * declaration ends the search, since what runs after it returns is out of sight.
 *
 * TODO: a `break` right after the hand-off still lets the next iteration count; that can only
 * cause a copy that was not needed, never a missing one.
 */
import type { SyntaxNode } from '../../src/mirror.js';
import { FUNC_TYPES, kids, sameNode } from '../../src/go/syntax.js';

/**
 * A select with a default case whose other cases all leave the function (`case <-ctx.Done():
 * return`) only polls: the path that goes on passes through the default case, unsynchronised.
 */
export function pollingSelect(node: SyntaxNode): SyntaxNode | undefined {
  const cases = kids(node);
  const dflt = cases.find((c) => c.type === 'default_case');
  if (!dflt) return undefined;
  const leaves = cases.every((c) => {
    if (c.type === 'default_case') return true;
    const last = kids(kids(c).find((k) => k.type === 'statement_list')).pop();
    return !!last && stops(last);
  });
  return leaves ? dflt : undefined;
}

/** The code that runs after `handoff`, innermost first: `[statements, loop]` pairs (loop: a wrap). */
export function segments(handoff: SyntaxNode): { stmts: SyntaxNode[]; loop?: SyntaxNode }[] {
  const out: { stmts: SyntaxNode[]; loop?: SyntaxNode }[] = [];
  let child = handoff;
  for (let node = handoff.parent; node && !FUNC_TYPES.has(node.type); child = node, node = node.parent) {
    if (node.type === 'statement_list') {
      const all = kids(node);
      out.push({ stmts: all.slice(all.findIndex((c) => sameNode(c, child)) + 1) });
    } else if (node.type === 'communication_case' && sameNode(node.childForFieldName('communication'), child)) {
      out.push({ stmts: kids(kids(node).find((c) => c.type === 'statement_list')) });
    } else if (node.type === 'for_statement' && sameNode(node.childForFieldName('body'), child)) {
      const clause = kids(node).find((c) => c.type === 'for_clause');
      const head = [clause?.childForFieldName('update'), clause?.childForFieldName('condition') ?? kids(node).find((c) => !['for_clause', 'range_clause', 'block'].includes(c.type))];
      out.push({ stmts: [...head.filter((n): n is SyntaxNode => !!n), ...kids(kids(child).find((c) => c.type === 'statement_list'))], loop: node });
    }
  }
  return out;
}

/** A statement after which the function does not go on: return, panic, os.Exit, log.Fatal. */
export function stops(stmt: SyntaxNode): boolean {
  if (stmt.type === 'return_statement') return true;
  const call = stmt.type === 'expression_statement' ? kids(stmt)[0] : undefined;
  const fn = call?.type === 'call_expression' ? call.childForFieldName('function')?.text ?? '' : '';
  return fn === 'panic' || fn === 'os.Exit' || /^log\.(Fatal|Panic)/.test(fn);
}

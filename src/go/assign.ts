/** Where an expression stands in an assignment. */
import type { SyntaxNode } from '../mirror.js';
import { exprList, field, kids, parentOutsideParens, sameNode } from './syntax.js';

/** The assignment (`=`, `op=`) or `:=` whose left-hand list holds `n` itself, if any. */
export function assignedBy(n: SyntaxNode): SyntaxNode | undefined {
  const list = n.parent;
  const s = list?.parent;
  return list?.type === 'expression_list' && (s?.type === 'assignment_statement' || s?.type === 'short_var_declaration') && sameNode(field(s, 'left'), list) ? s : undefined;
}

/** What the value `n` (with any parentheses around it) is assigned to by an `=`, `op=` or `:=`, position by position. */
export function assignedTo(n: SyntaxNode): SyntaxNode | undefined {
  const [v, list] = parentOutsideParens(n);
  const s = list?.parent;
  if (list?.type !== 'expression_list' || (s?.type !== 'assignment_statement' && s?.type !== 'short_var_declaration') || !sameNode(field(s, 'right'), list)) return undefined;
  return exprList(field(s, 'left'))[kids(list).findIndex((k) => sameNode(k, v))];
}

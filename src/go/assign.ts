/** Where an expression stands in an assignment. */
import type { SyntaxNode } from '../mirror.js';
import { field, sameNode } from './syntax.js';

/** The assignment (`=`, `op=`) or `:=` whose left-hand list holds `n` itself, if any. */
export function assignedBy(n: SyntaxNode): SyntaxNode | undefined {
  const list = n.parent;
  const s = list?.parent;
  return list?.type === 'expression_list' && (s?.type === 'assignment_statement' || s?.type === 'short_var_declaration') && sameNode(field(s, 'left'), list) ? s : undefined;
}

/**
 * strings-replace-all: a gomend user transform written as a CommonJS module.
 *
 * Reports `strings.Replace(s, old, new, -1)` (and the same in package bytes): a negative count
 * means "replace every match", which Go 1.12 named `ReplaceAll`. The rewrite says what it means and
 * cannot be misread as "replace once".
 *
 *   Have                                   Want
 *   strings.Replace(path, "\\", "/", -1)   strings.ReplaceAll(path, "\\", "/")
 *
 * `ReplaceAll(s, old, new)` is defined as `Replace(s, old, new, -1)`, so the program does not
 * change. Only a literal negative count is rewritten: a count held in a variable might be positive.
 * Files for Go below 1.12 get no fix (`minGoVersion`); a comment in the removed count declines it.
 * A file where `strings` (or `bytes`) is also a local name is passed over: there a call could not be
 * told from a method call on that value.
 *
 * Run it with:  gomend --transform ./examples/transforms/strings-replace-all.cjs .
 */
'use strict';

/** True when `node` is a negative integer literal such as `-1`. */
function isNegativeLiteral(node) {
  if (!node || node.type !== 'unary_expression') return false;
  const operand = node.childForFieldName('operand');
  return node.text.startsWith('-') && operand !== null && operand.type === 'int_literal';
}

/** True when `name` is used in the file as something other than a package qualifier (shadowed). */
function shadowed(root, name) {
  return root.descendantsOfType('identifier').some((id) => {
    if (id.text !== name) return false;
    const parent = id.parent;
    return !(parent && parent.type === 'selector_expression' && parent.childForFieldName('operand').equals(id));
  });
}

/** @type {import('gomend').Transform} */
const stringsReplaceAll = {
  name: 'strings-replace-all',
  description: 'strings.Replace(s, old, new, -1) becomes strings.ReplaceAll(s, old, new)',
  minGoVersion: '1.12',

  mayMatch(source) {
    return source.includes('.Replace(');
  },

  run(file, ctx) {
    const packages = ['strings', 'bytes']
      .map((p) => ctx.importName(file, p))
      .filter((name) => name && !shadowed(file.root, name));
    const findings = [];
    for (const call of file.root.descendantsOfType('call_expression')) {
      const callee = call.childForFieldName('function');
      if (!callee || callee.type !== 'selector_expression') continue;
      const operand = callee.childForFieldName('operand');
      const field = callee.childForFieldName('field');
      if (!operand || !field || field.text !== 'Replace' || !packages.includes(operand.text)) continue;
      const args = call.childForFieldName('arguments').namedChildren.filter((n) => n.type !== 'comment');
      if (args.length !== 4 || !isNegativeLiteral(args[3])) continue;
      const message = `${operand.text}.Replace with a negative count replaces every match; ${operand.text}.ReplaceAll says so`;
      const removed = file.source.slice(args[2].endIndex, args[3].endIndex);
      if (removed.includes('/')) {
        findings.push({ start: call.startIndex, end: call.endIndex, message: `${message}; not fixed: a comment in the count would be lost` });
        continue;
      }
      findings.push({
        start: call.startIndex,
        end: call.endIndex,
        message,
        fix: {
          message: `Call ${operand.text}.ReplaceAll`,
          edits: [
            { start: field.startIndex, end: field.endIndex, text: 'ReplaceAll' },
            { start: args[2].endIndex, end: args[3].endIndex, text: '' },
          ],
        },
      });
    }
    return findings;
  },
};

module.exports = stringsReplaceAll;

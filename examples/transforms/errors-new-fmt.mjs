/**
 * errors-new-fmt: a complete gomend user transform (ES module).
 *
 * Reports `errors.New(fmt.Sprintf(...))`, which formats a string only to wrap it in an error: that is
 * exactly what `fmt.Errorf` does, in one call and with vet's printf checks on the format.
 *
 *   Have                                              Want
 *   return errors.New(fmt.Sprintf("no user %d", id))  return fmt.Errorf("no user %d", id)
 *
 * The two are the same program only when the format has no `%w`: Sprintf prints `%w` as
 * `%!w(...)`, Errorf wraps the operand. So the fix is offered only for a string-literal format
 * without `%w` (and without numeric escapes such as `\x25`, which could spell it); any other format
 * is reported without a fix. Removing the call can leave the
 * `errors` import unused, which does not compile, so the fix is also declined when nothing else in
 * the file uses `errors`, or when `errors` is also a local name there (then a use could not be
 * told from the package). Comments inside the parts that the fix removes decline it too.
 *
 * Run it with:  gomend --transform ./examples/transforms/errors-new-fmt.mjs .
 *
 * A transform is pure: it reads `file` (text, tree-sitter tree) and `ctx` (the package and import
 * helpers) and returns findings. `start`/`end` and edit offsets index `file.source` as JavaScript
 * strings do (UTF-16 code units), like tree-sitter's `startIndex`/`endIndex` here.
 */

/** True when a Go format string literal (with its quotes) has a `%w` verb, flags and width included. */
function hasWrapVerb(literal) {
  const s = literal.slice(1, -1);
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '%') continue;
    let j = i + 1;
    if (s[j] === '%') {
      i = j;
      continue;
    }
    while (j < s.length && /[-+# 0-9.*[\]]/.test(s[j])) j++;
    if (s[j] === 'w') return true;
    i = j;
  }
  return false;
}

/** The call `pkg.fn(...)` as { call, args } when `node` is exactly such a call, else undefined. */
function qualifiedCall(node, pkg, fn) {
  if (node?.type !== 'call_expression') return undefined;
  const callee = node.childForFieldName('function');
  if (callee?.type !== 'selector_expression') return undefined;
  const operand = callee.childForFieldName('operand');
  const field = callee.childForFieldName('field');
  if (operand?.type !== 'identifier' || operand.text !== pkg || field?.text !== fn) return undefined;
  if (callee.text !== `${pkg}.${fn}`) return undefined; // a comment or line break inside the selector
  const args = node.childForFieldName('arguments');
  return args ? { call: node, args } : undefined;
}

/**
 * Uses of the package name `name` in the file, and whether it also appears as something other than
 * a package qualifier (a variable, parameter or field named like the package).
 */
function packageUses(root, name) {
  const uses = [];
  let shadowed = false;
  for (const id of root.descendantsOfType(['identifier', 'package_identifier'])) {
    if (!id || id.text !== name) continue;
    const parent = id.parent;
    if (id.type === 'package_identifier' && parent?.type === 'qualified_type') uses.push(id);
    else if (parent?.type === 'selector_expression' && parent.childForFieldName('operand')?.equals(id)) uses.push(id);
    else if (parent?.type !== 'import_spec') shadowed = true;
  }
  return { uses, shadowed };
}

/** @type {import('gomend').Transform} */
const errorsNewFmt = {
  name: 'errors-new-fmt',
  description: 'errors.New(fmt.Sprintf(...)) becomes fmt.Errorf(...)',

  // A cheap text test: a package where no file passes it is never parsed. `.New(` also catches an
  // aliased import of errors.
  mayMatch(source) {
    return source.includes('.New(');
  },

  run(file, ctx) {
    const errorsName = ctx.importName(file, 'errors');
    const fmtName = ctx.importName(file, 'fmt');
    if (!errorsName || !fmtName) return [];
    const src = file.source;
    const found = [];
    for (const node of file.root.descendantsOfType('call_expression')) {
      const outer = qualifiedCall(node, errorsName, 'New');
      if (!outer) continue;
      const argNodes = outer.args.namedChildren.filter((n) => n && n.type !== 'comment');
      if (argNodes.length !== 1) continue;
      const inner = qualifiedCall(argNodes[0], fmtName, 'Sprintf');
      if (!inner) continue;
      const format = inner.args.namedChildren.find((n) => n && n.type !== 'comment');
      found.push({ outer, inner, format });
    }
    if (found.length === 0) return [];

    // Which findings could be fixed on their own merits; the import check below looks at all of them.
    const verdicts = found.map(({ outer, inner, format }) => {
      if (!format || (format.type !== 'interpreted_string_literal' && format.type !== 'raw_string_literal')) {
        return 'its format is not a string literal, so it might hold %w, which fmt.Errorf treats differently';
      }
      // `\x25` or `\045` spell `%` too: such formats are not decoded here, so they are declined.
      if (format.type === 'interpreted_string_literal' && /\\[xuU0-7]/.test(format.text)) return 'its format has numeric escapes, which might spell %w';
      if (hasWrapVerb(format.text)) return 'its format has %w, which fmt.Sprintf prints as %!w but fmt.Errorf wraps';
      const head = src.slice(outer.args.startIndex + 1, inner.call.startIndex);
      const tail = src.slice(inner.call.endIndex, outer.call.endIndex - 1);
      if (head.trim() !== '' || !/^\s*,?\s*$/.test(tail)) return 'a comment in the call would be lost';
      return undefined;
    });
    const { uses, shadowed } = packageUses(file.root, errorsName);
    const fixable = verdicts.filter((v) => v === undefined).length;
    let fileReason;
    if (shadowed) fileReason = `${errorsName} is also a local name in this file, so its uses cannot be counted`;
    else if (uses.length - fixable <= 0) fileReason = `it is the last use of ${errorsName}, whose import would be left unused`;

    return found.map(({ outer, inner }, i) => {
      const why = verdicts[i] ?? fileReason;
      const message = 'errors.New(fmt.Sprintf(...)) formats then wraps; fmt.Errorf does both';
      const finding = { start: outer.call.startIndex, end: outer.call.endIndex, message };
      if (why) return { ...finding, message: `${message}; not fixed: ${why}` };
      return {
        ...finding,
        fix: {
          message: 'Call fmt.Errorf',
          edits: [
            // `errors.New(fmt.Sprintf` → `fmt.Errorf`, then drop the outer call's `)`.
            { start: outer.call.startIndex, end: inner.args.startIndex, text: `${fmtName}.Errorf` },
            { start: inner.call.endIndex, end: outer.call.endIndex, text: '' },
          ],
        },
      };
    });
  },
};

export default errorsNewFmt;

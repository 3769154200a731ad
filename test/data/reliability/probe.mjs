// A test transform that produces good and bad fixes on purpose, to check that gomend verifies every
// file it changes and rolls back only the file (and the fixes) that fail. A file says what it wants
// with a marker comment:
//   // probe: good         insert a comment line before `x := 1` (parses, gofmt-clean)
//   // probe: unformat     turn `x := 1` into `x  :=  1` (parses, but not gofmt-clean)
//   // probe: unparsable   turn `x := 1` into `x := (1` (does not parse)
//   // probe: pair <file>  one fix: a good edit here and an unformatted one in <file>
const DONE = '// probe: done';

function target(source) {
  const at = source.indexOf('x := 1');
  if (at === -1) return undefined;
  const lineStart = source.lastIndexOf('\n', at - 1) + 1;
  const prev = source.slice(source.lastIndexOf('\n', lineStart - 2) + 1, lineStart - 1);
  if (prev.trim() === DONE) return undefined;
  return { at, indent: source.slice(lineStart, at) };
}

/** @type {import('../../../src/types.js').Transform} */
export default {
  name: 'probe',
  description: 'good and bad fixes on purpose (test transform)',
  mayMatch: (source) => source.includes('// probe: '),
  run(file, ctx) {
    const src = file.source;
    const t = target(src);
    if (!t) return [];
    const good = { start: t.at, end: t.at, text: `${DONE}\n${t.indent}` };
    const finding = (fix) => [{ start: t.at, end: t.at + 6, message: 'x is set to 1', fix }];
    if (src.includes('// probe: good')) return finding({ message: 'Mark it', edits: [good] });
    if (src.includes('// probe: unformat')) return finding({ message: 'Space it', edits: [{ start: t.at, end: t.at + 6, text: 'x  :=  1' }] });
    if (src.includes('// probe: unparsable')) return finding({ message: 'Break it', edits: [{ start: t.at, end: t.at + 6, text: 'x := (1' }] });
    const pair = /\/\/ probe: pair (\S+)/.exec(src);
    if (pair) {
      const other = ctx.pkg.files.find((f) => f.path.endsWith(`/${pair[1]}`));
      const ot = other && target(other.source);
      if (!ot) return [];
      return finding({ message: 'Mark it and space the other', edits: [good, { file: other.path, start: ot.at, end: ot.at + 6, text: 'x  :=  1' }] });
    }
    return [];
  },
};

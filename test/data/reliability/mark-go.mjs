// A test transform for gomend's reliability tests: it puts a `// gomend: marked` line above every
// `go` and `defer` statement that starts its own line, so ordinary Go code yields many small fixes
// that still compile and stay gofmt-clean. A statement already marked is left alone, so a second
// run finds nothing. Statements sharing a line with other code (`case x: go f()`) are reported
// without a fix, which also exercises report-only findings.
const MARK = '// gomend: marked';

/** @type {import('../../../src/types.js').Transform} */
export default {
  name: 'mark-go',
  description: 'mark go and defer statements with a comment line (test transform)',
  mayMatch: (source) => source.includes('go ') || source.includes('defer '),
  run(file) {
    const src = file.source;
    const findings = [];
    for (const node of file.root.descendantsOfType(['go_statement', 'defer_statement'])) {
      if (!node || node.hasError) continue;
      const start = node.startIndex;
      const lineStart = src.lastIndexOf('\n', start - 1) + 1;
      const indent = src.slice(lineStart, start);
      const what = node.type === 'go_statement' ? 'go' : 'defer';
      if (!/^[ \t]*$/.test(indent)) {
        findings.push({ start, end: node.endIndex, message: `${what} statement shares its line; not marked` });
        continue;
      }
      const prevEnd = lineStart - 1;
      const prevStart = src.lastIndexOf('\n', prevEnd - 1) + 1;
      if (prevEnd > 0 && src.slice(prevStart, prevEnd).trim() === MARK) continue;
      findings.push({
        start,
        end: node.endIndex,
        message: `${what} statement is not marked`,
        fix: { message: 'Mark the statement', edits: [{ start, end: start, text: `${MARK}\n${indent}` }] },
      });
    }
    return findings;
  },
};

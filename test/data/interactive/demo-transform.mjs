// A tiny transform for the tests of `gomend -i`: every `// FIXME` comment is a finding whose fix
// turns it into `// FIXED`, and every call `sortInts(x)` is a finding whose fix calls `slices.Sort(x)`
// and imports "slices" (so a fix carries an import edit, as the real transforms' fixes do).
export default {
  name: 'demo-fixme',
  description: 'turn FIXME comments into FIXED, and sortInts calls into slices.Sort',
  mayMatch: (source) => source.includes('FIXME') || source.includes('sortInts('),
  run(file, ctx) {
    const findings = [];
    for (const comment of file.root.descendantsOfType('comment')) {
      const at = comment.text.indexOf('FIXME');
      if (!comment.text.startsWith('//') || at === -1) continue;
      const start = comment.startIndex + at;
      findings.push({
        start: comment.startIndex,
        end: comment.endIndex,
        message: `unresolved FIXME: ${comment.text.slice(at + 5).replace(/^[:\s]+/, '')}`,
        fix: { message: 'Mark the FIXME as fixed', edits: [{ start, end: start + 5, text: 'FIXED' }] },
      });
    }
    for (const call of file.root.descendantsOfType('call_expression')) {
      const fn = call.childForFieldName('function');
      if (!fn || fn.type !== 'identifier' || fn.text !== 'sortInts') continue;
      const edits = [{ start: fn.startIndex, end: fn.endIndex, text: 'slices.Sort' }];
      const imp = ctx.ensureImport(file, 'slices');
      if (imp) edits.push(imp);
      findings.push({ start: call.startIndex, end: call.endIndex, message: 'sortInts is slices.Sort', fix: { message: 'Call slices.Sort', edits } });
    }
    return findings;
  },
};

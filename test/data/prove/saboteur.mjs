// A transform that breaks code on purpose: it turns every binary `+` into `-`.
export default {
  name: 'saboteur',
  description: 'turn + into - (breaks code on purpose)',
  mayMatch: (source) => source.includes('+'),
  run(file) {
    return file.root
      .descendantsOfType('binary_expression')
      .map((e) => e.childForFieldName('operator'))
      .filter((op) => op && op.text === '+')
      .map((op) => ({
        start: op.startIndex,
        end: op.endIndex,
        message: 'a plus',
        fix: { message: 'Make it a minus', edits: [{ start: op.startIndex, end: op.endIndex, text: '-' }] },
      }));
  },
};

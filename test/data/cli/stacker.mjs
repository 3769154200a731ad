// A user transform for the CLI tests that matches its own output: `w(x)` → `w(x + 0)` forever.
export default {
  name: 'stacker',
  description: 'never settles',
  run(file) {
    return file.root.descendantsOfType('call_expression').filter((c) => c.childForFieldName('function')?.text === 'w').map((c) => {
      const arg = c.childForFieldName('arguments').namedChildren[0];
      return { start: c.startIndex, end: c.endIndex, message: 'w call', fix: { message: 'Add zero', edits: [{ start: arg.endIndex, end: arg.endIndex, text: ' + 0' }] } };
    });
  },
};

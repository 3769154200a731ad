// A user transform for the CLI tests whose fix leaves the file gofmt-unclean in misformat.go only.
export default {
  name: 'misformat',
  description: 'a fix that verification must reject',
  run(file) {
    if (/var\s+(fine|badly)/.test(file.source)) return [];
    const fn = file.root.descendantsOfType('function_declaration')[0];
    if (!fn) return [];
    const text = file.path.endsWith('misformat.go') ? 'var  badly = 1\n\n' : 'var fine = 1\n\n';
    return [{ start: fn.startIndex, end: fn.startIndex, message: 'needs a variable', fix: { message: 'Add a variable', edits: [{ start: fn.startIndex, end: fn.startIndex, text }] } }];
  },
};

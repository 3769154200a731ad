// A user transform for the CLI tests: renames every identifier `old` to `renamed`.
export default {
  name: 'rename-old',
  description: 'rename identifiers called old',
  mayMatch: (source) => source.includes('old'),
  run(file) {
    return file.root
      .descendantsOfType('identifier')
      .filter((id) => id.text === 'old')
      .map((id) => ({
        start: id.startIndex,
        end: id.endIndex,
        message: 'identifier named old',
        fix: { message: 'Rename it to renamed', edits: [{ start: id.startIndex, end: id.endIndex, text: 'renamed' }] },
      }));
  },
};

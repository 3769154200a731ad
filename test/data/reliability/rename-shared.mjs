// A test transform whose one fix spans the package: it renames the package-level variable `shared`
// to `sharedValue` in every file that uses it. If gomend planned with only some of the package's
// files in view (a file named alone on the command line, a .gitignore'd sibling), the rename would
// leave the other files' uses dangling and the package would no longer build.
/** @type {import('../../../src/types.js').Transform} */
export default {
  name: 'rename-shared',
  description: 'rename the package variable shared across the package (test transform)',
  mayMatch: (source) => source.includes('shared'),
  run(file, ctx) {
    const decl = file.root.descendantsOfType('var_spec').find((s) => s?.childForFieldName('name')?.text === 'shared');
    if (!decl || decl.parent?.parent?.type !== 'source_file') return [];
    const edits = [];
    for (const f of ctx.pkg.files) {
      for (const id of f.root.descendantsOfType('identifier')) {
        if (id?.text === 'shared') edits.push({ file: f.path, start: id.startIndex, end: id.endIndex, text: 'sharedValue' });
      }
    }
    const name = decl.childForFieldName('name');
    return [{ start: name.startIndex, end: name.endIndex, message: 'shared is a vague name', fix: { message: 'Rename it to sharedValue', edits } }];
  },
};

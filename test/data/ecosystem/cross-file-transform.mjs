// A test transform whose one fix edits several files of a package: it renames the package-level
// function `oldHelper` to `newHelper` at its declaration and at every call, in whichever file.
export default {
  name: 'rename-helper',
  description: 'rename oldHelper to newHelper across the package',
  mayMatch: (source) => source.includes('oldHelper'),
  run(file, ctx) {
    const decl = file.root.descendantsOfType('function_declaration').find((d) => d.childForFieldName('name')?.text === 'oldHelper');
    if (!decl) return [];
    const name = decl.childForFieldName('name');
    const edits = [];
    for (const f of ctx.pkg.files) {
      for (const id of f.root.descendantsOfType('identifier')) {
        if (id.text === 'oldHelper' && id.parent?.type === 'call_expression') {
          edits.push({ start: id.startIndex, end: id.endIndex, text: 'newHelper', ...(f.path === file.path ? {} : { file: f.path }) });
        }
      }
    }
    edits.push({ start: name.startIndex, end: name.endIndex, text: 'newHelper' });
    return [{ start: name.startIndex, end: name.endIndex, message: 'oldHelper has a new name', fix: { message: 'Rename oldHelper to newHelper', edits } }];
  },
};

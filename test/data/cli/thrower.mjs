// A user transform for the CLI tests that throws on files mentioning BOOM.
export default {
  name: 'thrower',
  description: 'fails on some files',
  run(file) {
    if (file.source.includes('BOOM')) throw new Error('kaboom\nsecond line');
    return [];
  },
};

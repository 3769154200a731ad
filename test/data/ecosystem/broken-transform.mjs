// A user transform with no run function: gomend must refuse it with a usage error (exit 2).
export default {
  name: 'no-run',
  description: 'a transform that forgot its run function',
};

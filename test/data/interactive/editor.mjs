// A scripted $EDITOR for the tests of `gomend -i`. Each call copies the file it is given to
// $EDIT_LOG.<n> (n counts the calls), then rewrites it by the n-th step of $EDIT_STEPS, a JSON list
// of [search, replace] pairs (null: leave the file alone; "exit:N": fail with status N).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
const log = process.env.EDIT_LOG;
let n = 1;
while (existsSync(`${log}.${n}`)) n++;
const text = readFileSync(file, 'utf8');
writeFileSync(`${log}.${n}`, text);
const step = JSON.parse(process.env.EDIT_STEPS ?? '[]')[n - 1] ?? null;
if (typeof step === 'string' && step.startsWith('exit:')) process.exit(Number(step.slice(5)));
if (Array.isArray(step)) writeFileSync(file, text.split(step[0]).join(step[1]));

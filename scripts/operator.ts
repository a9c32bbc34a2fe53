// npm run operator -- list | add NAME [--owner] [--password-stdin] | passwd NAME [--password-stdin] | remove NAME
// The people who sign in to the console. A password is never an argument (it would show in `ps` and the
// shell's history): --password-stdin reads it from the first line of stdin, otherwise one is generated and
// printed once. Exit 0: done. 1: refused (the reason printed) or the database unreachable. 2: a malformed command line.
import { randomBytes } from 'node:crypto';
import { createOperator, listOperators, operatorByName, removeOperator, setPassword } from '../src/operators/operators.ts';
import { runCommand } from './cli.ts';
import { readCommandLine, usageError } from './command-line.ts';

const USAGE = 'npm run operator -- list | add NAME [--owner] [--password-stdin] | passwd NAME [--password-stdin] | remove NAME';
const { values, positionals } = readCommandLine(USAGE, {
  allowPositionals: true,
  options: { owner: { type: 'boolean' }, 'password-stdin': { type: 'boolean' } },
});
const [command, name, ...extra] = positionals;
if (!['list', 'add', 'passwd', 'remove'].includes(command)) usageError(USAGE, command ? `unknown command ${command}` : 'give a command');
if (extra.length) usageError(USAGE, `unexpected ${extra.map((e) => JSON.stringify(e)).join(' ')} (quote a name with spaces: "Ana María")`);
if (command === 'list' ? name !== undefined : name === undefined) usageError(USAGE, command === 'list' ? 'list takes no name' : `${command} needs a NAME`);
if (values.owner && command !== 'add') usageError(USAGE, '--owner goes with add only');
if (values['password-stdin'] && command !== 'add' && command !== 'passwd') usageError(USAGE, `--password-stdin goes with add and passwd only`);

async function readPassword(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.split(/\r?\n/)[0];
}

// 18 random bytes: 24 characters of base64url, far past guessing, easy to paste
const generated = () => randomBytes(18).toString('base64url');

await runCommand(async ({ sql }) => {
  if (command === 'list') {
    const operators = await listOperators(sql);
    if (!operators.length) console.log('no operators yet: npm run operator -- add YOUR-NAME --owner');
    for (const o of operators) {
      console.log(`${o.id}  ${o.role.padEnd(8)}  ${o.name}  (created ${o.createdAt.toISOString().slice(0, 10)}${o.createdBy ? ` by ${o.createdBy}` : ''}, last sign-in ${o.lastLoginAt?.toISOString().slice(0, 16).replace('T', ' ') ?? 'never'})`);
    }
    return 0;
  }
  if (command === 'remove') {
    const target = await operatorByName(sql, name);
    if (!target) {
      console.error(`no operator named ${name}`);
      return 1;
    }
    const result = await removeOperator(sql, target.id);
    if (!result.ok) {
      console.error(result.problem);
      return 1;
    }
    console.log(`removed ${result.operator.name}: their sessions are over`);
    return 0;
  }
  const fromStdin = values['password-stdin'] === true;
  const password = fromStdin ? await readPassword() : generated();
  if (command === 'add') {
    const result = await createOperator(sql, { name, password, role: values.owner ? 'owner' : 'operator', createdBy: 'command line' });
    if (!result.ok) {
      console.error(result.problem);
      return 1;
    }
    console.log(`created ${result.operator.role} ${result.operator.name} (id ${result.operator.id}): sign in at /admin/login`);
  } else {
    const target = await operatorByName(sql, name);
    if (!target) {
      console.error(`no operator named ${name}`);
      return 1;
    }
    const result = await setPassword(sql, target.id, password);
    if (!result.ok) {
      console.error(result.problem);
      return 1;
    }
    console.log(`new password for ${target.name}: their sessions are over`);
  }
  if (!fromStdin) console.log(`password: ${password}\n(shown once: keep it in a password manager)`);
  return 0;
});

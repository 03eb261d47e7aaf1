// `nianjian user add NAME --role ROLE [--region CODE]`: accounts from the command line (the
// first admin). The password is read from standard input, never from an argument.
import { createAccount, type Role } from '../server/auth/accounts.js';
import { openDb } from '../server/db/client.js';
import { parseArgs } from './args.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0]!;
}

export async function userCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { flags, rest: names } = parseArgs(rest, ['role', 'region']);
  const role = flags.role as Role | undefined;
  if (sub !== 'add' || names.length !== 1 || !role || !['viewer', 'reviewer', 'admin'].includes(role)) {
    process.stderr.write('用法：echo 密码 | nianjian user add 用户名 --role viewer|reviewer|admin [--region 行政区划代码]\n');
    return 2;
  }
  const password = await readStdin();
  const store = await openDb();
  try {
    const a = await createAccount(store.db, { username: names[0]!, password, role, regionCode: flags.region ?? null, actor: 'cli' });
    process.stdout.write(`已创建账号 ${a.username}（${a.role}${a.regionCode ? `，地区 ${a.regionCode}` : ''}）\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

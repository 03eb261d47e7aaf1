// A small flag parser: `--name value` for options, `--name` for switches.
export function parseArgs(argv: string[], options: string[], switches: string[] = []): { flags: Record<string, string | undefined>; rest: string[] } {
  const flags: Record<string, string | undefined> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.startsWith('--') ? a.slice(2).split('=')[0]! : null;
    if (name && options.includes(name)) flags[name] = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
    else if (name && switches.includes(name)) flags[name] = 'true';
    else if (name) throw new UsageError(`未知选项：${a}`);
    else rest.push(a);
  }
  return { flags, rest };
}

export class UsageError extends Error {}

// `nianjian` command line. One subcommand per capability; each returns its exit code.
import { parseCommand } from './parse.js';

const USAGE = `用法：nianjian <命令> [参数]

命令：
  parse FILE... [--json]   解析年度报告（文本、Markdown、HTML），输出摘要或 JSON
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'parse':
      return parseCommand(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`未知命令：${command}\n\n${USAGE}`);
      return 2;
  }
}

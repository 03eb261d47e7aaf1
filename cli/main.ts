// `nianjian` command line. One subcommand per capability; each returns its exit code.
import { StoreLockedError } from '../server/db/client.js';
import { UsageError } from './args.js';
import { crawlCommand } from './crawl.js';
import { probeCommand } from './probe.js';
import { workerCommand } from './worker.js';
import { parseCommand } from './parse.js';
import { dbCommand, importCommand, reparseCommand } from './store-commands.js';
import { userCommand } from './user.js';

const USAGE = `用法：nianjian <命令> [参数]

命令：
  parse FILE... [--json]   解析年度报告（文本、HTML、PDF、Word、OFD、图片），输出摘要或 JSON
  import PATH... [--agency 名称] [--year 年度] [--published 日期]
                           导入文件或文件夹到数据库（同一文件重复导入不产生变化）
  reparse [--all] [--force]
                           用当前解析器重新读取已存文档，列出数值和问题的变化
  crawl [--source 站点] [--year 年度] [--since 年度] [--dry-run]
                           抓取 scrapers/sources/ 中配置的站点（--dry-run 只列出找到的报告，不存储）
  worker                   只做抓取的工作进程（PostgreSQL；可启动多个，同一网站同时只由一个进程抓取）
  probe 网址               查看一个列表页：CMS 类型、编码、robots、防护、条目数，并给出站点配置草稿
  db migrate               创建或升级数据库结构
  user add 用户名 --role viewer|reviewer|admin [--region 代码]
                           新建账号（密码从标准输入读取），用于创建第一个管理员

数据库：设置 DATABASE_URL 使用 PostgreSQL；否则使用嵌入式 PGlite（目录 ./data，或 NIANJIAN_DATA_DIR）。
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    return await dispatch(command, rest);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    // usage errors and a locked store are the user's to fix; anything else is ours: show where
    if (!(e instanceof UsageError) && !(e instanceof StoreLockedError)) process.stderr.write(`${(e as Error).stack ?? ''}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}

async function dispatch(command: string | undefined, rest: string[]): Promise<number> {
  switch (command) {
    case 'parse':
      return parseCommand(rest);
    case 'import':
      return importCommand(rest);
    case 'reparse':
      return reparseCommand(rest);
    case 'db':
      return dbCommand(rest);
    case 'crawl':
      return crawlCommand(rest);
    case 'probe':
      return probeCommand(rest);
    case 'worker':
      return workerCommand(rest);
    case 'user':
      return userCommand(rest);
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

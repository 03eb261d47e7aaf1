// `nianjian probe URL`: a list page examined, and a draft site config printed to start from.
import { probe } from '../scrapers/probe.js';
import { UsageError } from './args.js';

export async function probeCommand(argv: string[]): Promise<number> {
  if (argv.length !== 1 || !/^https?:\/\//.test(argv[0]!)) throw new UsageError('用法：nianjian probe 列表页网址（http:// 或 https://）');
  const p = await probe(argv[0]!);
  const lines = [
    `网址：${p.url}`,
    p.blocked ? `被网站防护拦截（${p.blocked}），需人工处理或改用浏览器抓取` : p.error ? `无法访问：${p.error}` : `可访问，编码 ${p.charset ?? '未知'}`,
    `robots.txt：${{ none: '没有', allowed: '允许抓取该栏目', disallowed: '不允许抓取该栏目' }[p.robots]}`,
  ];
  if (p.reachable) lines.push(`CMS：${p.family}`, `列表条目 ${p.items} 条，其中年度报告 ${p.candidates} 条；从第一页看出还有 ${p.furtherPages} 页`);
  process.stdout.write(lines.join('\n') + '\n');
  if (p.draft) process.stdout.write(`\n配置草稿（保存到 scrapers/sources/，核对 id、名称和地区代码，确认后再把 verified 改为 true）：\n${JSON.stringify(p.draft, null, 2)}\n`);
  return p.reachable ? 0 : 1;
}

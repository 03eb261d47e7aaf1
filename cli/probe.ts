// `nianjian probe URL`: a home page or a column walked as a crawl would walk it, what was
// found printed, and the config that crawls the same printed to save as it is.
import { probe } from '../scrapers/probe.js';
import { UsageError } from './args.js';

export async function probeCommand(argv: string[]): Promise<number> {
  if (argv.length !== 1 || !/^https?:\/\//.test(argv[0]!)) throw new UsageError('用法：nianjian probe 首页或栏目网址（http:// 或 https://）');
  const p = await probe(argv[0]!);
  const lines = [
    `网址：${p.url}`,
    p.blocked ? `被网站防护拦截（${p.blocked}），需人工处理或改用浏览器抓取` : p.error ? `无法访问：${p.error}` : `可访问，编码 ${p.charset ?? '未知'}`,
    `robots.txt：${{ none: '没有', allowed: '允许抓取该页', disallowed: '不允许抓取该页' }[p.robots]}`,
  ];
  if (p.reachable) {
    lines.push(`CMS：${p.family === 'unknown' ? '未能识别（不影响抓取）' : p.family}`, `看了 ${p.pages} 页，找到年度报告 ${p.reports} 份`);
    lines.push(p.columns.length ? '栏目：' : '没有找到年报栏目');
    for (const c of p.columns) lines.push(`  ${c.label}（${c.how}）${c.url}：${c.pages} 页，年度报告 ${c.reports} 份${c.total !== null ? `，分页显示共 ${c.total} 条` : ''}`);
    const refused = Object.entries(p.refused);
    if (refused.length) lines.push(`未取的链接：${refused.map(([r, n]) => `${r} ${n}`).join('，')}`);
    for (const n of p.notes) lines.push(`  ${n}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  if (p.draft) process.stdout.write(`\n站点配置（原样保存为 scrapers/sources/${String(p.draft.id)}.json 即可抓取；核对名称和地区代码，实地确认后加上 "verified": true）：\n${JSON.stringify(p.draft, null, 2)}\n`);
  return p.reachable ? 0 : 1;
}

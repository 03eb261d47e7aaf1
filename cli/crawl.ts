// `nianjian crawl [--source ID] [--year Y] [--since Y] [--dry-run]`: crawl the configured
// sites (scrapers/sources/, or NIANJIAN_SOURCES) by hand, one summary line per source.
import { loadConfigs, sourcesDir } from '../scrapers/config.js';
import { crawlSource, type CrawlSummary } from '../scrapers/crawl.js';
import { openDb } from '../server/db/client.js';
import { StoreMemo } from '../server/store/figures.js';
import { parseArgs, UsageError } from './args.js';

const STATUS: Record<CrawlSummary['status'], string> = { ok: '正常', empty: '无报告', drifted: '栏目疑似改版', blocked: '被拦截', failed: '失败' };

function year(flag: string | undefined, name: string): number | undefined {
  if (flag === undefined) return undefined;
  const y = Number(flag);
  if (!Number.isInteger(y) || y < 2008 || y > 2100) throw new UsageError(`--${name} 应为年份：${flag}`);
  return y;
}

export async function crawlCommand(argv: string[]): Promise<number> {
  const { flags, rest } = parseArgs(argv, ['source', 'year', 'since'], ['dry-run']);
  if (rest.length) throw new UsageError(`多余的参数：${rest.join(' ')}\n用法：nianjian crawl [--source 站点] [--year 年度] [--since 年度] [--dry-run]`);
  const configs = loadConfigs(sourcesDir()).filter((c) => !flags.source || c.id === flags.source);
  if (!configs.length) throw new UsageError(`没有站点配置${flags.source ? `“${flags.source}”` : ''}（${sourcesDir()}）`);
  const opts = { year: year(flags.year, 'year'), since: year(flags.since, 'since'), dryRun: flags['dry-run'] === 'true' };
  const store = await openDb();
  let bad = 0;
  try {
    const memo = new StoreMemo(store.db);
    for (const config of configs) {
      const s = await crawlSource(store.db, memo, config, opts);
      if (s.status !== 'ok') bad++;
      process.stdout.write(
        `${config.id}（${config.name}）：${STATUS[s.status]}，列表 ${s.pages} 页，候选 ${s.candidates}，` +
          (opts.dryRun
            ? `未存储（--dry-run）\n${[...s.found.map((c) => `  ${c.year ?? '年度不明'} ${c.title} ${c.url}`), ...s.refused.filter((r) => /\d/.test(r.title)).map((r) => `  未取（${r.reason}）${r.title} ${r.url}`)].join('\n')}\n`
            : `inserted ${s.inserted}, updated ${s.updated}, noop ${s.unchanged}, failed ${s.failed}, gone ${s.gone}\n`),
      );
      for (const n of s.notes) process.stdout.write(`  ${n}\n`);
    }
  } finally {
    await store.close();
  }
  return bad ? 1 : 0;
}

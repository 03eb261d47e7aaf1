// Exports for Excel and Word, fit to send with a circular: the league table, coverage,
// findings and an agency's history as XLSX or CSV with the screen's headers and columns,
// under a title naming region, years, filters and 数据截至; the 通报 draft as DOCX. Built
// from the same queries as the API, worded by the one dictionary (server/export/words.ts).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { csv, CSV_TYPE } from '../export/csv.js';
import { DOCX_TYPE, noticeDocx, noticeOf, type NoticeErrors } from '../export/notice.js';
import type { Column, Sheet } from '../export/table.js';
import { auditDate, cellLabel, cellText, KIND, ruleTitle, SEVERITY, STATE, statusSummary } from '../export/words.js';
import { xlsx, XLSX_TYPE } from '../export/xlsx.js';
import { dataAsOf, regionNameOf } from '../store/status.js';
import { agencyHistory } from './agencies.js';
import { COVERAGE_QUERY, type CoverageQuery } from './coverage.js';
import { FINDINGS_QUERY, findingRows, type FindingsQuery } from './findings.js';
import { assertInRegion, attachment, HttpError, ID_PARAM, regionOf, yearsOf, YEAR_RANGE } from './http.js';
import { LEAGUE_QUERY, type LeagueQuery } from './league.js';
import { METRICS, METRIC_BY_KEY, shownMetrics } from './metrics.js';
import { coverageRows, leagueRows } from './queries.js';

/** Export size: a whole province's league table fits. */
const MAX_ROWS = 10000;

async function regionName(db: Db, code: string): Promise<string> {
  const name = await regionNameOf(db, code);
  if (name === null) throw new HttpError(400, 'bad_request', '没有这个行政区划');
  return name;
}

const yearsText = (from: number, to: number) => (from === to ? `${from} 年度` : `${from}–${to} 年度`);
const yearsName = (from: number, to: number) => (from === to ? `${from}年度` : `${from}-${to}年度`);

/** The title lines of an export: what, where, which years, the filters, and the data's as-of time. */
async function titleOf(db: Db, region: string, what: string, years: string, filters: string[]): Promise<string[]> {
  const asOf = await dataAsOf(db, region);
  return [
    `${await regionName(db, region)} ${years} ${what}`,
    ...(filters.length ? [`筛选：${filters.join('；')}`] : []),
    `数据截至：${asOf ? auditDate(asOf) : '尚无数据'}；导出时间：${auditDate(new Date().toISOString())}`,
  ];
}

export const exportRoutes: FastifyPluginAsync = async (app) => {
  const db = app.store.db;

  function send(reply: Parameters<typeof attachment>[0], format: string, name: string, sheets: Sheet[]) {
    if (format === 'csv') return attachment(reply, `${name}.csv`, CSV_TYPE).send(csv(sheets[0]!));
    return attachment(reply, `${name}.xlsx`, XLSX_TYPE).send(Buffer.from(xlsx(sheets)));
  }

  for (const format of ['xlsx', 'csv'] as const) {
    app.get(`/export/league.${format}`, { schema: { tags: ['导出'], summary: `排行榜（${format.toUpperCase()}）`, querystring: { ...LEAGUE_QUERY, properties: { ...LEAGUE_QUERY.properties, size: { type: 'integer', minimum: 1, maximum: MAX_ROWS, default: MAX_ROWS } } } } }, async (req, reply) => {
      const q = req.query as LeagueQuery;
      const { from, to } = yearsOf(q);
      const region = regionOf(req, q.region);
      const { rows } = await leagueRows(db, { from, to, region, kind: q.kind, q: q.q, sort: q.sort, order: q.order, page: q.page, size: q.size });
      const shown = shownMetrics(q.sort);
      const sortBy = METRIC_BY_KEY.get(q.sort)!;
      const title = await titleOf(db, region, '排行榜', yearsText(from, to), [
        `按“${sortBy.label}”${q.order === 'asc' ? '从低到高' : '从高到低'}排名`,
        ...(q.kind ? [`类别：${KIND[q.kind]}`] : []),
        ...(q.q ? [`单位名称含“${q.q}”`] : []),
        '并列同名次；无该项数据或样本不足的单位列出但不排名；期内未发布报告的单位列在最后',
      ]);
      return send(reply, format, `排行榜-${await regionName(db, region)}-${yearsName(from, to)}`, [
        {
          name: `排行榜 ${from === to ? from : `${from}-${to}`}`,
          title,
          columns: [
            { header: '名次', format: 'int', width: 6 }, { header: '单位', format: 'text', width: 36 }, { header: '地区', format: 'text' }, { header: '类别', format: 'text' },
            { header: '发布情况', format: 'text', width: 20 }, { header: '报告数', format: 'int' },
            ...shown.map((m): Column => ({ header: m.label, format: m.kind === 'rate' ? 'percent' : m.kind === 'amount' ? 'decimal' : 'int', width: 14 })),
          ],
          rows: rows.map((r) => [
            r.rank ?? (r.group === 'unpublished' ? '未发布' : '不排名'), r.agency.name, r.agency.regionName, KIND[r.agency.kind] ?? '其他', statusSummary(r.statuses, r.metrics.days_late ?? null), r.reports,
            // as on screen: an agency that published nothing has no figures, only its missing years
            ...shown.map((m) => (r.insufficient.includes(m.key) ? '样本不足' : r.group === 'unpublished' && m.key !== 'missing_years' ? null : (r.metrics[m.key] ?? null))),
          ]),
        },
        { name: '指标说明', columns: [{ header: '指标', format: 'text', width: 20 }, { header: '公式', format: 'text', width: 70 }], rows: METRICS.map((m) => [m.label, m.formula]) },
      ]);
    });

    app.get(`/export/coverage.${format}`, { schema: { tags: ['导出'], summary: `覆盖情况（${format.toUpperCase()}）`, querystring: COVERAGE_QUERY } }, async (req, reply) => {
      const q = req.query as CoverageQuery;
      const { from, to } = yearsOf(q);
      const region = regionOf(req, q.region);
      const rows = await coverageRows(db, region, from, to, { kind: q.kind, q: q.q });
      const years = Array.from({ length: to - from + 1 }, (_, i) => from + i);
      const title = await titleOf(db, region, '年度报告覆盖情况', yearsText(from, to), [...(q.kind ? [`类别：${KIND[q.kind]}`] : []), ...(q.q ? [`单位名称含“${q.q}”`] : [])]);
      return send(reply, format, `覆盖情况-${await regionName(db, region)}-${yearsName(from, to)}`, [
        {
          name: '覆盖情况',
          title,
          columns: [{ header: '单位', format: 'text', width: 36 }, { header: '地区', format: 'text' }, { header: '类别', format: 'text' }, ...years.map((y) => ({ header: `${y}`, format: 'text' as const, width: 18 }))],
          rows: rows.map((r) => [r.agency.name, r.agency.regionName, KIND[r.agency.kind] ?? '其他', ...years.map((y) => { const c = r.cells[String(y)]; return c ? cellText(c) : ''; })]),
        },
      ]);
    });

    app.get(`/export/findings.${format}`, { schema: { tags: ['导出'], summary: `问题清单（${format.toUpperCase()}）`, querystring: { ...FINDINGS_QUERY, properties: { ...FINDINGS_QUERY.properties, size: { type: 'integer', minimum: 1, maximum: MAX_ROWS, default: MAX_ROWS } } } } }, async (req, reply) => {
      const q = req.query as FindingsQuery;
      const region = regionOf(req, q.region);
      const rows = await findingRows(db, region, q);
      const title = await titleOf(db, region, '问题清单', q.year ? yearsText(q.year, q.year) : '各年度', [
        ...(q.rule ? [`检查：${ruleTitle(q.rule)}`] : []), ...(q.severity ? [`级别：${SEVERITY[q.severity]}`] : []), ...(q.state ? [`审核状态：${STATE[q.state]}`] : []),
      ]);
      return send(reply, format, `问题清单-${await regionName(db, region)}${q.year ? `-${q.year}年度` : ''}`, [
        {
          name: '问题清单',
          title,
          columns: [
            { header: '单位', format: 'text', width: 36 }, { header: '地区', format: 'text' }, { header: '年度', format: 'int', width: 8 }, { header: '检查内容', format: 'text', width: 40 },
            { header: '级别', format: 'text', width: 8 }, { header: '说明', format: 'text', width: 80 }, { header: '单元格', format: 'text', width: 40 }, { header: '审核状态', format: 'text' },
            { header: '审核人', format: 'text' }, { header: '审核意见', format: 'text', width: 40 },
          ],
          rows: rows.map((f) => [f.agency, f.region_name, f.year, ruleTitle(f.rule), SEVERITY[f.severity] ?? '—', f.message, f.cells.filter((c) => c !== 'document').map(cellLabel).join('；'), STATE[f.state] ?? '—', f.reviewer, f.comment]),
        },
      ]);
    });

    app.get(`/export/agencies/:id.${format}`, { schema: { tags: ['导出'], summary: `单位历年情况（${format.toUpperCase()}）`, params: ID_PARAM } }, async (req, reply) => {
      const history = await agencyHistory(app, (req.params as { id: number }).id);
      assertInRegion(req, history.agency.regionCode);
      const facts = [
        ['本年新收申请', 'newTotal'], ['上年结转', 'carriedIn'], ['予以公开', 'granted'], ['部分公开', 'partial'], ['不予公开', 'denied'], ['无法提供', 'unable'],
        ['不予处理', 'refused'], ['（七）总计', 'closed'], ['结转下年度', 'carriedOut'], ['行政复议总计', 'reviewTotal'], ['行政诉讼总计', 'suitTotal'],
        ['行政许可', 'licensing'], ['行政处罚', 'penalty'], ['行政强制', 'coercion'], ['行政事业性收费（万元）', 'fees'], ['主动公开信息', 'proactiveItems'],
      ] as const;
      const first = history.years[0]?.year;
      const last = history.years[history.years.length - 1]?.year;
      const title = [`${history.agency.name} ${first ? yearsText(first, last!) : ''} 历年情况`, `地区：${history.agency.regionName ?? '未定地区'}；类别：${KIND[history.agency.kind] ?? '其他'}`, `导出时间：${auditDate(new Date().toISOString())}`];
      return send(reply, format, `${history.agency.name}-历年情况`, [
        {
          name: '历年数据',
          title,
          columns: [
            { header: '年度', format: 'int', width: 8 }, { header: '发布情况', format: 'text', width: 18 },
            ...facts.map(([h, k]) => ({ header: h, format: k === 'fees' ? ('decimal' as const) : ('int' as const) })), { header: '版本数', format: 'int' }, { header: '问题数', format: 'int' },
          ],
          rows: history.years.map((y) => [
            y.year, y.status ? cellText(y.status) : '—', ...facts.map(([, k]) => (y.facts ? (y.facts[k] as number | null) : null)), y.versions.length, y.findings.filter((f) => f.active).length,
          ]),
        },
        {
          name: '问题',
          columns: [{ header: '年度', format: 'int', width: 8 }, { header: '检查内容', format: 'text', width: 40 }, { header: '级别', format: 'text' }, { header: '说明', format: 'text', width: 80 }, { header: '审核状态', format: 'text' }],
          rows: history.years.flatMap((y) => y.findings.filter((f) => f.active).map((f) => [y.year, ruleTitle(f.rule), SEVERITY[f.severity] ?? '—', f.message, STATE[f.state] ?? '—'])),
        },
      ]);
    });
  }

  const NOTICE_QUERY = {
    type: 'object',
    required: ['year'],
    additionalProperties: false,
    properties: {
      year: YEAR_RANGE.year,
      region: YEAR_RANGE.region,
      errors: { type: 'string', enum: ['confirmed', 'open'], default: 'confirmed', description: '第三部分列哪些错误：confirmed 仅已确认的；open 未被驳回的全部' },
    },
  } as const;
  async function notice(req: FastifyRequest) {
    const q = req.query as { year: number; region?: string; errors: NoticeErrors };
    const region = regionOf(req, q.region);
    const name = await regionName(db, region);
    return { name, year: q.year, notice: await noticeOf(db, region, name, q.year, q.errors) };
  }

  app.get('/notice', { schema: { tags: ['导出'], summary: '通报草稿的内容（与总览同一口径）', querystring: NOTICE_QUERY } }, async (req) => (await notice(req)).notice);

  app.get('/export/notice.docx', { schema: { tags: ['导出'], summary: '通报草稿（DOCX）', querystring: NOTICE_QUERY } }, async (req, reply) => {
    const { name, year, notice: n } = await notice(req);
    return attachment(reply, `${name}${year}年度政府信息公开工作年度报告检查情况通报（草稿）.docx`, DOCX_TYPE).send(await noticeDocx(n, name, year));
  });
};

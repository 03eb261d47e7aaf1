// Exports for Excel and Word: league tables, coverage, findings and an agency's history as
// XLSX or CSV, built from the same queries as the API; and the 通报 draft as DOCX.
import type { FastifyPluginAsync } from 'fastify';
import { SEVERITY_LABEL } from '../../checks/index.js';
import { eq } from 'drizzle-orm';
import { regions } from '../db/schema.js';
import { csv, CSV_TYPE } from '../export/csv.js';
import { DOCX_TYPE, noticeDocx } from '../export/notice.js';
import type { Column, Sheet } from '../export/table.js';
import { xlsx, XLSX_TYPE } from '../export/xlsx.js';
import { agencyHistory } from './agencies.js';
import { FINDINGS_QUERY, findingRows, type FindingsQuery } from './findings.js';
import { assertInRegion, attachment, HttpError, ID_PARAM, regionOf, yearsOf, YEAR_RANGE } from './http.js';
import { LEAGUE_QUERY, type LeagueQuery } from './league.js';
import { METRICS } from './metrics.js';
import { coverageRows, leagueRows } from './queries.js';

const KIND = { government: '人民政府', department: '部门', township: '乡镇街道', other: '其他' } as Record<string, string>;
const STATUS = { found: '已发布', late: '逾期', errors: '有错误', image_only: '仅图片', missing: '未发布', pending: '未到期' } as Record<string, string>;
const SEVERITY = SEVERITY_LABEL as Record<string, string>;
const STATE = { open: '待审核', confirmed: '已确认', dismissed: '已驳回' } as Record<string, string>;
/** Export size: a whole province's league table fits. */
const MAX_ROWS = 10000;

const metricColumns: Column[] = METRICS.map((m) => ({ header: m.label, format: m.kind === 'rate' ? 'percent' : m.kind === 'amount' ? 'decimal' : 'int', width: 14 }));

export const exportRoutes: FastifyPluginAsync = async (app) => {
  const db = app.store.db;

  function send(reply: Parameters<typeof attachment>[0], format: string, name: string, sheets: Sheet[]) {
    if (format === 'csv') return attachment(reply, `${name}.csv`, CSV_TYPE).send(csv(sheets[0]!));
    return attachment(reply, `${name}.xlsx`, XLSX_TYPE).send(Buffer.from(xlsx(sheets)));
  }

  for (const format of ['xlsx', 'csv'] as const) {
    app.get(`/export/league.${format}`, { schema: { tags: ['导出'], summary: `排名表（${format.toUpperCase()}）`, querystring: { ...LEAGUE_QUERY, properties: { ...LEAGUE_QUERY.properties, size: { type: 'integer', minimum: 1, maximum: MAX_ROWS, default: MAX_ROWS } } } } }, async (req, reply) => {
      const q = req.query as LeagueQuery;
      const { from, to } = yearsOf(q);
      const region = regionOf(req, q.region);
      const { rows } = await leagueRows(db, { from, to, region, kind: q.kind, sort: q.sort, order: q.order, page: q.page, size: q.size });
      return send(reply, format, `排名表-${region || '全国'}-${from === to ? from : `${from}-${to}`}`, [
        {
          name: `排名表 ${from === to ? from : `${from}-${to}`}`,
          columns: [{ header: '名次', format: 'int', width: 6 }, { header: '机构', format: 'text', width: 36 }, { header: '类别', format: 'text' }, { header: '地区代码', format: 'text' }, { header: '地区', format: 'text' }, { header: '报告数', format: 'int' }, ...metricColumns],
          rows: rows.map((r) => [
            r.rank, r.agency.name, KIND[r.agency.kind] ?? r.agency.kind, r.agency.regionCode, r.agency.regionName, r.reports,
            ...METRICS.map((m) => (r.insufficient.includes(m.key) ? '样本不足' : r.metrics[m.key] ?? null)),
          ]),
        },
        { name: '指标说明', columns: [{ header: '指标', format: 'text', width: 20 }, { header: '公式', format: 'text', width: 70 }], rows: METRICS.map((m) => [m.label, m.formula]) },
      ]);
    });

    app.get(`/export/coverage.${format}`, { schema: { tags: ['导出'], summary: `覆盖情况（${format.toUpperCase()}）`, querystring: { type: 'object', additionalProperties: false, properties: { ...YEAR_RANGE } } } }, async (req, reply) => {
      const q = req.query as { year?: number; from?: number; to?: number; region?: string };
      const { from, to } = yearsOf(q);
      const region = regionOf(req, q.region);
      const rows = await coverageRows(db, region, from, to);
      const years = Array.from({ length: to - from + 1 }, (_, i) => from + i);
      return send(reply, format, `覆盖情况-${region || '全国'}-${from}-${to}`, [
        {
          name: '覆盖情况',
          columns: [{ header: '机构', format: 'text', width: 36 }, { header: '地区代码', format: 'text' }, ...years.map((y) => ({ header: `${y}年`, format: 'text' as const }))],
          rows: rows.map((r) => [r.agency.name, r.agency.regionCode, ...years.map((y) => STATUS[r.cells[String(y)]?.status ?? 'pending'] ?? '')]),
        },
      ]);
    });

    app.get(`/export/findings.${format}`, { schema: { tags: ['导出'], summary: `问题清单（${format.toUpperCase()}）`, querystring: { ...FINDINGS_QUERY, properties: { ...FINDINGS_QUERY.properties, size: { type: 'integer', minimum: 1, maximum: MAX_ROWS, default: MAX_ROWS } } } } }, async (req, reply) => {
      const q = req.query as FindingsQuery;
      const rows = await findingRows(db, regionOf(req, q.region), q);
      return send(reply, format, `问题清单${q.year ? `-${q.year}` : ''}`, [
        {
          name: '问题清单',
          columns: [
            { header: '机构', format: 'text', width: 36 }, { header: '地区代码', format: 'text' }, { header: '年度', format: 'int', width: 8 }, { header: '规则', format: 'text' },
            { header: '级别', format: 'text', width: 8 }, { header: '说明', format: 'text', width: 80 }, { header: '单元格', format: 'text', width: 40 }, { header: '审核状态', format: 'text' },
            { header: '审核人', format: 'text' }, { header: '审核意见', format: 'text', width: 40 },
          ],
          rows: rows.map((f) => [f.agency, f.region_code, f.year, f.rule, SEVERITY[f.severity] ?? f.severity, f.message, f.cells.join('、'), STATE[f.state] ?? f.state, f.reviewer, f.comment]),
        },
      ]);
    });

    app.get(`/export/agencies/:id.${format}`, { schema: { tags: ['导出'], summary: `机构历年情况（${format.toUpperCase()}）`, params: ID_PARAM } }, async (req, reply) => {
      const history = await agencyHistory(app, (req.params as { id: number }).id);
      assertInRegion(req, history.agency.regionCode);
      const facts = [
        ['本年新收申请', 'newTotal'], ['上年结转', 'carriedIn'], ['予以公开', 'granted'], ['部分公开', 'partial'], ['不予公开', 'denied'], ['无法提供', 'unable'],
        ['不予处理', 'refused'], ['（七）总计', 'closed'], ['结转下年度', 'carriedOut'], ['行政复议总计', 'reviewTotal'], ['行政诉讼总计', 'suitTotal'],
        ['行政许可', 'licensing'], ['行政处罚', 'penalty'], ['行政强制', 'coercion'], ['行政事业性收费（万元）', 'fees'], ['主动公开信息', 'proactiveItems'],
      ] as const;
      return send(reply, format, `${history.agency.name}-历年情况`, [
        {
          name: '历年数据',
          columns: [{ header: '年度', format: 'int', width: 8 }, ...facts.map(([h, k]) => ({ header: h, format: k === 'fees' ? ('decimal' as const) : ('int' as const) })), { header: '版本数', format: 'int' }, { header: '问题数', format: 'int' }],
          rows: history.years.map((y) => [y.year, ...facts.map(([, k]) => (y.facts ? (y.facts[k] as number | null) : null)), y.versions.length, y.findings.filter((f) => f.active).length]),
        },
        {
          name: '问题',
          columns: [{ header: '年度', format: 'int', width: 8 }, { header: '规则', format: 'text' }, { header: '级别', format: 'text' }, { header: '说明', format: 'text', width: 80 }, { header: '审核状态', format: 'text' }],
          rows: history.years.flatMap((y) => y.findings.filter((f) => f.active).map((f) => [y.year, f.rule, SEVERITY[f.severity] ?? f.severity, f.message, STATE[f.state] ?? f.state])),
        },
      ]);
    });
  }

  app.get(
    '/export/notice.docx',
    {
      schema: {
        tags: ['导出'],
        summary: '通报草稿（DOCX）',
        querystring: { type: 'object', required: ['year'], additionalProperties: false, properties: { year: YEAR_RANGE.year, region: YEAR_RANGE.region } },
      },
    },
    async (req, reply) => {
      const q = req.query as { year: number; region?: string };
      const region = regionOf(req, q.region);
      if (!region) throw new HttpError(400, 'bad_request', '请指定地区');
      const [r] = await db.select().from(regions).where(eq(regions.code, region));
      if (!r) throw new HttpError(400, 'bad_request', `没有代码为 ${region} 的行政区划`);
      const doc = await noticeDocx(db, region, r.name, q.year);
      return attachment(reply, `${r.name}${q.year}年度政府信息公开工作年度报告检查情况通报（草稿）.docx`, DOCX_TYPE).send(doc);
    },
  );
};


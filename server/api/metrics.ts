// Every metric of the league tables, defined once: an SQL aggregate over an agency's
// report_facts rows (f) for the chosen years, its Chinese name and the formula shown to
// reviewers. The API and the exports both build their queries from this list. Rates are
// ranked only where their base reaches the minimum; below it they are 样本不足.
import { sql, type SQL } from 'drizzle-orm';

export interface Metric {
  key: string;
  label: string;
  formula: string;
  kind: 'count' | 'amount' | 'rate';
  /** the aggregate, over report_facts f (and the agency a) */
  expr: SQL;
  /** for rates: the denominator, which must reach the minimum base */
  base?: SQL;
}

/**
 * Figures of a table read with doubt do not count. Sums are numeric, which cannot overflow:
 * no stored value, however large, makes a league table fail.
 */
const s3 = (col: string) => sql.raw(`sum(f.${col}::numeric) filter (where f.s3_ok)`);
const s2 = (col: string) => sql.raw(`sum(f.${col}::numeric) filter (where f.s2_ok)`);
const s4 = (col: string) => sql.raw(`sum(f.${col}::numeric) filter (where f.s4_ok)`);
const rate = (num: SQL, den: SQL) => sql`(${num}) / nullif(${den}, 0)`;

const closed = s3('closed');
const cases = sql`${s4('review_total')} + ${s4('suit_total')}`;

export const METRICS: Metric[] = [
  { key: 'requests_received', label: '本年新收申请', formula: '第三部分“一、本年新收”总计', kind: 'count', expr: s3('new_total') },
  { key: 'carried_in', label: '上年结转申请', formula: '第三部分“二、上年结转”总计', kind: 'count', expr: s3('carried_in') },
  { key: 'closed', label: '办结申请', formula: '第三部分“（七）总计”', kind: 'count', expr: closed },
  { key: 'proactive_items', label: '主动公开信息', formula: '第一部分所述主动公开信息条数', kind: 'count', expr: sql.raw('sum(f.proactive_items::numeric)') },
  { key: 'normative_issued', label: '制发规范性文件', formula: '第二部分行政规范性文件“本年制发件数”', kind: 'count', expr: s2('normative_issued') },
  { key: 'licensing', label: '行政许可决定', formula: '第二部分行政许可“本年处理决定数量”', kind: 'count', expr: s2('licensing') },
  { key: 'penalty', label: '行政处罚决定', formula: '第二部分行政处罚“本年处理决定数量”', kind: 'count', expr: s2('penalty') },
  { key: 'coercion', label: '行政强制决定', formula: '第二部分行政强制“本年处理决定数量”', kind: 'count', expr: s2('coercion') },
  { key: 'fees', label: '行政事业性收费（万元）', formula: '第二部分“本年收费金额”', kind: 'amount', expr: s2('fees') },
  {
    key: 'disclosure_rate',
    label: '实质公开率',
    formula: '（予以公开 + 部分公开）÷ 办结（（七）总计）',
    kind: 'rate',
    expr: rate(sql`${s3('granted')} + ${s3('partial')}`, closed),
    base: closed,
  },
  { key: 'denial_rate', label: '不予公开率', formula: '不予公开（1–8 项之和）÷ 办结', kind: 'rate', expr: rate(s3('denied'), closed), base: closed },
  { key: 'unable_rate', label: '无法提供率', formula: '无法提供（1–3 项之和）÷ 办结', kind: 'rate', expr: rate(s3('unable'), closed), base: closed },
  { key: 'refused_rate', label: '不予处理率', formula: '不予处理（1–5 项之和）÷ 办结', kind: 'rate', expr: rate(s3('refused'), closed), base: closed },
  {
    key: 'carry_rate',
    label: '结转率',
    formula: '结转下年度继续办理 ÷（本年新收 + 上年结转）',
    kind: 'rate',
    expr: rate(s3('carried_out'), sql`${s3('new_total')} + ${s3('carried_in')}`),
    base: sql`${s3('new_total')} + ${s3('carried_in')}`,
  },
  {
    key: 'correction_rate',
    label: '复议诉讼纠错率',
    formula: '（行政复议结果纠正 + 行政诉讼结果纠正）÷（行政复议总计 + 行政诉讼总计）',
    kind: 'rate',
    expr: rate(sql`${s4('review_corrected')} + ${s4('suit_corrected')}`, cases),
    base: cases,
  },
  // the status columns (s) come from the one definition of statuses (server/store/status.ts)
  { key: 'errors', label: '错误', formula: '报告内容中未被驳回的“错误”级问题数（逾期、未发布另计）', kind: 'count', expr: sql.raw('max(s.errors)') },
  { key: 'warnings', label: '警告', formula: '报告内容中未被驳回的“警告”级问题数', kind: 'count', expr: sql.raw('max(s.warnings)') },
  {
    key: 'days_late',
    label: '逾期天数',
    formula: '最早可信的发布日期（页面日期、栏目列表日期、首次抓取发现日）晚于期限的天数（多年相加）',
    kind: 'count',
    expr: sql.raw('max(s.days_late)'),
  },
  {
    key: 'missing_years',
    label: '未发布年度数',
    formula: '期限已过仍未发布年度报告的年数',
    kind: 'count',
    expr: sql.raw('max(s.missing_years)'),
  },
];

export const METRIC_BY_KEY = new Map(METRICS.map((m) => [m.key, m]));

/** Below this base (requests closed, cases) a rate is 样本不足 and not ranked. */
export const MIN_BASE = Number(process.env.NIANJIAN_MIN_BASE ?? 30);

/** The metrics a league table shows beside the one it is sorted by (screen and export alike). */
export const ALWAYS_SHOWN = ['requests_received', 'closed', 'disclosure_rate', 'errors', 'days_late'];
export const shownMetrics = (sort: string): Metric[] => [sort, ...ALWAYS_SHOWN.filter((k) => k !== sort)].map((k) => METRIC_BY_KEY.get(k)!).filter(Boolean);

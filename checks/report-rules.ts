// The single-report checks: small pure functions over a parsed report. Each returns the
// violations it found (cells on both sides, expected and actual), or says why it could
// not check. A cell that is missing is never treated as zero.
import {
  AMOUNT_KEYS,
  S2_TABLES,
  S3_COLUMNS,
  S3_ORG_COLUMNS,
  S3_PART_COLUMNS,
  S3_ROWS,
  S4_COLUMNS,
  S4_GROUPS,
  SECTION_NUMERALS,
  SIGNED_KEYS,
  groupRows,
  outcomeRows,
  type Format,
} from '../parser/layout.js';
import { feeStatementYear, openingYear, periodYear, yearOf } from '../parser/meta.js';
import type { ParsedReport, TableId } from '../parser/types.js';
import { readCell } from '../parser/values.js';

export interface Violation {
  /** cells on the expected side */
  cells: string[];
  /** cells on the actual side */
  actualCells?: string[];
  expected: number | string | null;
  actual: number | string | null;
  params?: Record<string, string | number>;
  /** where a rule's severity depends on the cell (XY.CARRY: error on 总计, warning elsewhere) */
  severity?: 'error' | 'warning' | 'info';
}

export type CheckResult = Violation[] | { notChecked: string };
export type ReportCheck = (r: ParsedReport) => CheckResult;

const label = (s: string) => s.replace(/^(?:[一二三四五六七八九十]+、|（[一二三四五六七]）|\d+\.)/, '').replace(/（区分处理的.*$/, '');
const ROW_LABEL = new Map(Object.values(S3_ROWS).flat().map((r) => [r.key, label(r.label)]));
const S3_COL_LABEL = new Map([...S3_COLUMNS.map((c) => [c.key, c.label] as const), ['subtotal', '法人或其他组织小计']]);

/** Sum of the cells, or null when any is missing (never read as zero). */
export function sum(r: ParsedReport, keys: string[]): number | null {
  let total = 0;
  for (const k of keys) {
    const v = r.values[k];
    if (v === undefined) return null;
    total += v;
  }
  return Math.round(total * 10000) / 10000;
}

/** § 三 as the parser read it (the 2021 rows unless it saw the 2019 single （六） row). */
function s3Format(r: ParsedReport): Format {
  return r.layout.s3 ?? '2021';
}

function s3ColumnKeys(r: ParsedReport): string[] {
  return r.layout.s3Columns ?? S3_COLUMNS.map((c) => c.key);
}

function s3RowKeys(r: ParsedReport): string[] {
  return S3_ROWS[s3Format(r)].map((s) => s.key).filter((k) => `${k}.total` in r.evidence);
}

const rowTotal: ReportCheck = (r) => {
  const out: Violation[] = [];
  const hasSubtotal = s3ColumnKeys(r).includes('subtotal');
  for (const row of s3RowKeys(r)) {
    const parts = S3_PART_COLUMNS.map((c) => `${row}.${c}`);
    const expected = sum(r, parts);
    const actual = r.values[`${row}.total`];
    if (expected !== null && actual !== undefined && expected !== actual) {
      out.push({ cells: parts, actualCells: [`${row}.total`], expected, actual, params: { row: ROW_LABEL.get(row)!, column: '总计' } });
    }
    if (hasSubtotal) {
      const orgs = S3_ORG_COLUMNS.map((c) => `${row}.${c}`);
      const e = sum(r, orgs);
      const a = r.values[`${row}.subtotal`];
      if (e !== null && a !== undefined && e !== a) {
        out.push({ cells: orgs, actualCells: [`${row}.subtotal`], expected: e, actual: a, params: { row: ROW_LABEL.get(row)!, column: '法人或其他组织小计' } });
      }
    }
  }
  return out;
};

const outcomeTotal: ReportCheck = (r) => {
  const out: Violation[] = [];
  const format = s3Format(r);
  const outcomes = outcomeRows(format);
  const groups = groupRows(format);
  for (const col of s3ColumnKeys(r)) {
    const cells = outcomes.map((row) => `${row}.${col}`);
    const expected = sum(r, cells);
    const actual = r.values[`s3.total.${col}`];
    if (expected !== null && actual !== undefined && expected !== actual) {
      out.push({ cells, actualCells: [`s3.total.${col}`], expected, actual, params: { column: S3_COL_LABEL.get(col)!, parts: '（一）至（六）各项', total: '（七）总计' } });
    }
    for (const [group, members] of Object.entries(groups)) {
      const printed = r.values[`${group}.${col}`];
      if (printed === undefined) continue;
      const gCells = members.map((m) => `${m}.${col}`);
      const e = sum(r, gCells);
      if (e !== null && e !== printed) {
        out.push({ cells: gCells, actualCells: [`${group}.${col}`], expected: e, actual: printed, params: { column: S3_COL_LABEL.get(col)!, parts: `“${ROW_LABEL.get(group)}”各小项`, total: '该项小计' } });
      }
    }
  }
  return out;
};

const balance: ReportCheck = (r) => {
  const out: Violation[] = [];
  for (const col of s3ColumnKeys(r)) {
    const left = [`s3.new.${col}`, `s3.carried_in.${col}`];
    const right = [`s3.total.${col}`, `s3.carried_out.${col}`];
    const expected = sum(r, left);
    const actual = sum(r, right);
    if (expected !== null && actual !== null && expected !== actual) {
      out.push({ cells: left, actualCells: right, expected, actual, params: { column: S3_COL_LABEL.get(col)! } });
    }
  }
  return out;
};

const s4GroupTotal: ReportCheck = (r) => {
  const out: Violation[] = [];
  for (const g of S4_GROUPS) {
    const parts = S4_COLUMNS.filter((c) => c.key !== 'total').map((c) => `s4.${g.key}.${c.key}`);
    const expected = sum(r, parts);
    const actual = r.values[`s4.${g.key}.total`];
    if (expected !== null && actual !== undefined && expected !== actual) {
      out.push({ cells: parts, actualCells: [`s4.${g.key}.total`], expected, actual, params: { group: g.label } });
    }
  }
  return out;
};

function tableOf(key: string): TableId | null {
  const t = key.slice(0, 2);
  return t === 's2' || t === 's3' || t === 's4' ? t : null;
}

/** Cells of tables read with confidence; a doubtful table's cells may sit under the wrong key. */
function confidentCells(r: ParsedReport): string[] {
  return Object.keys(r.evidence).filter((k) => {
    const t = tableOf(k);
    return t !== null && r.tables[t] === 'ok';
  });
}

const value: ReportCheck = (r) => {
  const out: Violation[] = [];
  for (const key of confidentCells(r)) {
    const ev = r.evidence[key]!;
    const cell = readCell(ev.printed);
    if (!cell || cell.semantics !== 'number' || cell.value === null) continue;
    let problem: string | null = null;
    let severity: Violation['severity'];
    if (AMOUNT_KEYS.has(key)) {
      if (cell.value < 0) problem = '金额为负数';
      else if (cell.decimals > 6) {
        // 6 decimals of 万元 are exact to the 分, as governments print them; more is a slip to verify
        problem = `金额有 ${cell.decimals} 位小数，超过 6 位`;
        severity = 'warning';
      }
    } else if (!Number.isInteger(cell.value)) problem = '件数不是整数';
    else if (cell.value < 0 && !SIGNED_KEYS.has(key)) problem = '件数为负数';
    if (problem) out.push({ cells: [key], expected: null, actual: cell.value, params: { cell: key, printed: ev.printed, problem }, ...(severity ? { severity } : {}) });
  }
  return out;
};

/** The message names this many blank cells; the finding's `cells` keeps them all. */
const BLANK_LISTED = 12;
const blank: ReportCheck = (r) => {
  const cells = confidentCells(r).filter((k) => {
    const s = r.evidence[k]!.semantics;
    return s === 'blank' || s === 'dash' || s === 'slash';
  });
  if (!cells.length) return [];
  const list = cells.length > BLANK_LISTED ? `${cells.slice(0, BLANK_LISTED).join('、')} 等` : cells.join('、');
  return [{ cells, expected: null, actual: cells.length, params: { count: cells.length, list } }];
};

type Level = 'county' | 'above' | 'unknown';
/** A township body: 乡/镇 government or 街道办事处. */
const TOWNSHIP = /[乡镇](?:人民)?政府|街道办事处|街道工作委员会/;
/** The place a name starts with is a county, district or banner (社区, 园区, 景区… are not places). */
const COUNTY_PLACE = /^(?:[\u4e00-\u9fff]{2,7}?[省市])?(?:[\u4e00-\u9fff]{2,7}?市)?[\u4e00-\u9fff]{1,6}?(?<![社园景校厂矿片营院小城])(?<!自治)(?:县|旗|区)/;

/** Administrative level from the agency's name, only where the name makes it plain. */
export function agencyLevel(agency: string | null): Level {
  if (!agency) return 'unknown';
  if (TOWNSHIP.test(agency) || COUNTY_PLACE.test(agency)) return 'county';
  if (/省|自治区|市/.test(agency)) return 'above';
  return 'unknown';
}

const countyRules: ReportCheck = (r) => {
  const level = agencyLevel(r.agency);
  if (level === 'unknown') return { notChecked: '无法从机构名称判断行政层级' };
  if (level !== 'county') return [];
  const key = 's2.rules.issued' in r.values ? 's2.rules.issued' : 's2.rules.made';
  const n = r.values[key];
  return n !== undefined && n > 0 ? [{ cells: [key], expected: 0, actual: n, params: { agency: r.agency! } }] : [];
};

const docStock: ReportCheck = (r) => {
  const out: Violation[] = [];
  for (const row of S2_TABLES['2021'][0]!.rows) {
    const issued = r.values[`${row.key}.issued`];
    const stock = sum(r, [`${row.key}.in_force`, `${row.key}.repealed`]);
    if (issued !== undefined && stock !== null && issued > stock) {
      out.push({ cells: [`${row.key}.in_force`, `${row.key}.repealed`], actualCells: [`${row.key}.issued`], expected: stock, actual: issued, params: { row: row.label } });
    }
  }
  return out;
};

/** 万元 figures above this (1 billion yuan) are implausible for a county-level body. */
const FEE_PLAUSIBLE_MAX = 100000;
const feeUnit: ReportCheck = (r) => {
  const amount = r.values['s2.fees.amount'];
  if (amount === undefined) return [];
  let reason: string | null = null;
  if (r.units?.['s2.fees.amount'] === '元') reason = '单位印为“元”';
  else if (amount >= FEE_PLAUSIBLE_MAX && agencyLevel(r.agency) === 'county') reason = `超过 ${FEE_PLAUSIBLE_MAX} 万元，县级机关不大可能`;
  return reason ? [{ cells: ['s2.fees.amount'], expected: null, actual: amount, params: { reason } }] : [];
};

const sections: ReportCheck = (r) => {
  if (r.status === 'not_report') return { notChecked: '不是年度报告' };
  // with no heading recognised at all, the text was extracted badly rather than written so
  if (r.sections.length === 0) return { notChecked: '未识别到任何章节标题' };
  // a section whose content is there under an unrecognised heading is the parser's doubt
  const missing = SECTION_NUMERALS.filter((n) => !r.sections.includes(n) && !r.unrecognisedSections.includes(n));
  const order = r.sections.filter((n) => (SECTION_NUMERALS as readonly string[]).includes(n));
  const sorted = [...order].sort((a, b) => SECTION_NUMERALS.indexOf(a as never) - SECTION_NUMERALS.indexOf(b as never));
  const out: Violation[] = [];
  if (missing.length) {
    out.push({ cells: missing.map((n) => `section.${n}`), expected: 6, actual: 6 - missing.length, params: { problem: `缺少第${missing.join('、')}部分` } });
  }
  if (!missing.length && r.unrecognisedSections.length) {
    return { notChecked: `第${r.unrecognisedSections.join('、')}部分的标题未能识别` };
  }
  if (order.join() !== sorted.join()) {
    out.push({ cells: order.map((n) => `section.${n}`), expected: sorted.join(''), actual: order.join(''), params: { problem: `各部分顺序为 ${order.join('、')}，应为 ${sorted.join('、')}` } });
  }
  return out;
};

const REPORT_TITLE = /政府信息公开工作年度报告$/;
const title: ReportCheck = (r) => {
  if (!r.title) return { notChecked: '未读到标题' };
  const t = r.title.replace(/\s+/g, '').replace(/[（(][^）)]*[)）]$/, '');
  return REPORT_TITLE.test(t) && yearOf(t) !== null ? [] : [{ cells: ['meta.title'], expected: '××××年政府信息公开工作年度报告', actual: r.title }];
};

const year: ReportCheck = (r) => {
  const sources: Array<[string, string, number | null]> = [
    ['meta.title', '标题', yearOf(r.title)],
    ['meta.opening', '正文开头', openingYear(r.narrative['一'] ?? '')],
    ['meta.period', '统计期限', periodYear(Object.values(r.narrative).join('\n'))],
    ['meta.section6', '第六部分', feeStatementYear(r.narrative['六'] ?? '')],
  ];
  const stated = sources.filter((s): s is [string, string, number] => s[2] !== null);
  if (stated.length < 2) return stated.length ? [] : { notChecked: '报告中未读到年份' };
  const distinct = new Set(stated.map((s) => s[2]));
  if (distinct.size === 1) return [];
  const [first, ...rest] = stated;
  const odd = rest.filter((s) => s[2] !== first![2]);
  return [
    {
      cells: [first![0]],
      actualCells: odd.map((s) => s[0]),
      expected: first![2],
      actual: odd[0]![2],
      params: { list: stated.map((s) => `${s[1]} ${s[2]} 年`).join('，') },
    },
  ];
};

const format: ReportCheck = (r) => {
  if (r.year === null || r.format === 'unknown') return { notChecked: '年度或格式未知' };
  if (r.year < 2021 || r.format !== '2019') return [];
  const detail = r.layout.s2 === '2019' ? '第二部分为旧栏目' : '（六）其他处理只有一行';
  return [{ cells: ['meta.format'], expected: '2021', actual: '2019', params: { year: r.year, detail } }];
};

interface Stated {
  text: string;
  target: string;
  cells: string[];
  table: TableId;
}
const STATED: Stated[] = [
  { text: 'text.requests_received', target: '本年新收申请', cells: ['s3.new.total'], table: 's3' },
  { text: 'text.requests_closed', target: '（七）总计', cells: ['s3.total.total'], table: 's3' },
  { text: 'text.review_cases', target: '行政复议总计', cells: ['s4.review.total'], table: 's4' },
  { text: 'text.suit_cases', target: '行政诉讼总计', cells: ['s4.suit_direct.total', 's4.suit_after_review.total'], table: 's4' },
];

const textRequests: ReportCheck = (r) => {
  const out: Violation[] = [];
  for (const s of STATED) {
    const said = r.values[s.text];
    if (said === undefined || r.tables[s.table] !== 'ok') continue;
    const table = sum(r, s.cells);
    // zero against non-zero is TEXT.NO_REQUESTS's case for requests received
    if (s.text === 'text.requests_received' && (said === 0 || table === 0)) continue;
    // "共受理申请N件" often counts last year's carried-over requests too
    if (s.text === 'text.requests_received' && table !== null && said === table + (r.values['s3.carried_in.total'] ?? 0)) continue;
    if (table !== null && table !== said) {
      out.push({ cells: [s.text], actualCells: s.cells, expected: said, actual: table, params: { printed: r.evidence[s.text]?.printed ?? '', target: s.target } });
    }
  }
  return out;
};

const textNoRequests: ReportCheck = (r) => {
  const said = r.values['text.requests_received'];
  const table = r.values['s3.new.total'];
  if (said === undefined || table === undefined) return [];
  const cells = ['text.requests_received'];
  if (said === 0 && table > 0) {
    return [{ cells, actualCells: ['s3.new.total'], expected: 0, actual: table, params: { problem: `正文称未收到政府信息公开申请，但第三部分本年新收申请为 ${table} 件` } }];
  }
  if (said > 0 && table === 0) {
    return [{ cells, actualCells: ['s3.new.total'], expected: said, actual: 0, params: { problem: `正文称收到申请 ${said} 件，但第三部分本年新收申请为 0` } }];
  }
  return [];
};

const MIN_SECTION5 = 40;
const section5: ReportCheck = (r) => {
  const text = r.narrative['五'];
  if (text === undefined) return { notChecked: '未找到第五部分' };
  const t = text.replace(/\s+/g, '');
  let problem: string | null = null;
  if (t === '' || /^无[。.]?$/.test(t)) problem = '为空或只写“无”';
  else if (t.length < MIN_SECTION5) problem = `只有 ${t.length} 个字，不足以说明问题和改进`;
  else if (!/问题|不足|短板|差距/.test(t)) problem = '未写明存在的问题';
  else if (!/改进|措施|整改|下一步|加强|提升|完善|优化/.test(t)) problem = '未写明改进情况';
  return problem ? [{ cells: ['section.五'], expected: null, actual: t.length, params: { problem } }] : [];
};

const feeNotice: ReportCheck = (r) => {
  const n = r.values['s3.other.no_fee.total'];
  if (n === undefined || n === 0) return [];
  const other = r.narrative['六'];
  if (other === undefined) return { notChecked: '未找到第六部分' };
  return /处理费|收费通知|收取费用|收费/.test(other) ? [] : [{ cells: ['s3.other.no_fee.total'], actualCells: ['section.六'], expected: null, actual: n }];
};

const govReview: ReportCheck = (r) => {
  if (!r.agency?.endsWith('人民政府')) return [];
  const overview = r.narrative['一'];
  if (overview === undefined) return { notChecked: '未找到第一部分' };
  return /考核|社会评议|责任追究|评议/.test(overview) ? [] : [{ cells: ['section.一'], expected: null, actual: null, params: { agency: r.agency } }];
};

export const REPORT_CHECKS: Record<string, ReportCheck> = {
  'S3.ROW_TOTAL': rowTotal,
  'S3.OUTCOME_TOTAL': outcomeTotal,
  'S3.BALANCE': balance,
  'S4.GROUP_TOTAL': s4GroupTotal,
  'S.VALUE': value,
  'S.BLANK': blank,
  'S2.COUNTY_RULES': countyRules,
  'S2.DOC_STOCK': docStock,
  'S2.FEE_UNIT': feeUnit,
  'META.SECTIONS': sections,
  'META.TITLE': title,
  'META.YEAR': year,
  'META.FORMAT': format,
  'TEXT.REQUESTS': textRequests,
  'TEXT.NO_REQUESTS': textNoRequests,
  'TEXT.SECTION5': section5,
  'TEXT.FEE_NOTICE': feeNotice,
  'TEXT.GOV_REVIEW': govReview,
};

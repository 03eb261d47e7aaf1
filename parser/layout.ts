// The official table layouts as data: canonical keys (format.md), the label each row is
// printed with, and the short distinctive phrase the reader anchors on. Matchers are
// deliberately short so that labels broken over lines, interleaved with other cells or
// printed with OCR slips still anchor; row order is fixed by the format and the reader
// searches them in order, which is what keeps short phrases unambiguous.

export type Format = '2021' | '2019';

export interface RowSpec {
  /** row key, e.g. `s3.denied.secret` */
  key: string;
  /** the label as the official format prints it (used for summaries and test renderings) */
  label: string;
  /** distinctive phrase found in the (whitespace-free, normalised) label text */
  match: RegExp;
  /** the phrase must cover a whole printed token (for very short labels such as 规章) */
  whole?: boolean;
  /** a group subtotal row: only some reports print it, with its own figures */
  group?: boolean;
}

export interface ColumnSpec {
  key: string;
  label: string;
}

export interface S2Table {
  /** 第二十条第（N）项 */
  item: string;
  columns: ColumnSpec[];
  rows: RowSpec[];
}

// § 三 columns in printed order; `subtotal` is the 法人或其他组织 小计 column some reports add.
export const S3_COLUMNS: ColumnSpec[] = [
  { key: 'natural', label: '自然人' },
  { key: 'commercial', label: '商业企业' },
  { key: 'research', label: '科研机构' },
  { key: 'social', label: '社会公益组织' },
  { key: 'legal', label: '法律服务机构' },
  { key: 'other', label: '其他' },
  { key: 'total', label: '总计' },
];
export const S3_PART_COLUMNS = ['natural', 'commercial', 'research', 'social', 'legal', 'other'] as const;
export const S3_ORG_COLUMNS = ['commercial', 'research', 'social', 'legal', 'other'] as const;

const s3Head: RowSpec[] = [
  { key: 's3.new', label: '一、本年新收政府信息公开申请数量', match: /本年新收/ },
  { key: 's3.carried_in', label: '二、上年结转政府信息公开申请数量', match: /上年结转/ },
  { key: 's3.granted', label: '（一）予以公开', match: /予以公开/ },
  { key: 's3.partial', label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', match: /部分公开/ },
  { key: 's3.denied', label: '（三）不予公开', match: /不予公开/, group: true },
  { key: 's3.denied.secret', label: '1.属于国家秘密', match: /国家秘密/ },
  { key: 's3.denied.law', label: '2.其他法律行政法规禁止公开', match: /法规禁止/ },
  { key: 's3.denied.safety', label: '3.危及“三安全一稳定”', match: /三安全|一稳定|危及/ },
  { key: 's3.denied.third_party', label: '4.保护第三方合法权益', match: /第三方/ },
  { key: 's3.denied.internal', label: '5.属于三类内部事务信息', match: /内部事务/ },
  { key: 's3.denied.process', label: '6.属于四类过程性信息', match: /过程性/ },
  { key: 's3.denied.enforcement', label: '7.属于行政执法案卷', match: /执法案卷/ },
  { key: 's3.denied.query', label: '8.属于行政查询事项', match: /查询事项/ },
  { key: 's3.unable', label: '（四）无法提供', match: /无法提供/, group: true },
  { key: 's3.unable.not_held', label: '1.本机关不掌握相关政府信息', match: /不掌握/ },
  { key: 's3.unable.needs_making', label: '2.没有现成信息需要另行制作', match: /另行制作|没有现成/ },
  { key: 's3.unable.unclear', label: '3.补正后申请内容仍不明确', match: /仍不明确|补正后申请/ },
  { key: 's3.refused', label: '（五）不予处理', match: /不予处理/, group: true },
  { key: 's3.refused.petition', label: '1.信访举报投诉类申请', match: /信访|举报投诉/ },
  { key: 's3.refused.repeat', label: '2.重复申请', match: /重复申请/ },
  { key: 's3.refused.publication', label: '3.要求提供公开出版物', match: /出版物/ },
  { key: 's3.refused.massive', label: '4.无正当理由大量反复申请', match: /大量反复/ },
  { key: 's3.refused.confirm', label: '5.要求行政机关确认或重新出具已获取信息', match: /重新出具|确认或重新/ },
];
const s3Tail: RowSpec[] = [
  { key: 's3.total', label: '（七）总计', match: /总计/ },
  { key: 's3.carried_out', label: '四、结转下年度继续办理', match: /结转下年/ },
];

export const S3_ROWS: Record<Format, RowSpec[]> = {
  '2021': [
    ...s3Head,
    { key: 's3.other', label: '（六）其他处理', match: /其他处理/, group: true },
    {
      key: 's3.other.no_correction',
      label: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
      match: /逾期不补正/,
    },
    {
      key: 's3.other.no_fee',
      label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
      match: /收费通知|缴纳费用/,
    },
    { key: 's3.other.other', label: '3.其他', match: /其他/, whole: true },
    ...s3Tail,
  ],
  '2019': [...s3Head, { key: 's3.other.other', label: '（六）其他处理', match: /其他处理/ }, ...s3Tail],
};

/**
 * The outcome rows whose sum is （七）总计: 21 in the 2021 layout (format.md says 22, but
 * its own list, like the printed table, has 25 rows of which 4 are not outcomes), 19 in 2019.
 */
export function outcomeRows(format: Format): string[] {
  const rows = S3_ROWS[format];
  const from = rows.findIndex((r) => r.key === 's3.granted');
  const to = rows.findIndex((r) => r.key === 's3.total');
  return rows.slice(from, to).filter((r) => !r.group).map((r) => r.key);
}

/** Group subtotal rows and the detail rows they sum. */
export function groupRows(format: Format): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of S3_ROWS[format]) {
    if (r.group) out[r.key] = [];
    else {
      const g = Object.keys(out).find((k) => r.key.startsWith(k + '.'));
      if (g) out[g]!.push(r.key);
    }
  }
  return out;
}

export const S4_GROUPS: ColumnSpec[] = [
  { key: 'review', label: '行政复议' },
  { key: 'suit_direct', label: '行政诉讼·未经复议直接起诉' },
  { key: 'suit_after_review', label: '行政诉讼·复议后起诉' },
];
export const S4_COLUMNS: ColumnSpec[] = [
  { key: 'upheld', label: '结果维持' },
  { key: 'corrected', label: '结果纠正' },
  { key: 'other', label: '其他结果' },
  { key: 'pending', label: '尚未审结' },
  { key: 'total', label: '总计' },
];
export const S4_KEYS: string[] = S4_GROUPS.flatMap((g) => S4_COLUMNS.map((c) => `s4.${g.key}.${c.key}`));

const decisions: ColumnSpec[] = [{ key: 'decisions', label: '本年处理决定数量' }];
const itemChange: ColumnSpec[] = [
  { key: 'prev_items', label: '上一年项目数量' },
  { key: 'change', label: '本年增/减' },
];

export const S2_TABLES: Record<Format, S2Table[]> = {
  '2021': [
    {
      item: '（一）',
      columns: [
        { key: 'issued', label: '本年制发件数' },
        { key: 'repealed', label: '本年废止件数' },
        { key: 'in_force', label: '现行有效件数' },
      ],
      rows: [
        { key: 's2.rules', label: '规章', match: /规章/, whole: true },
        { key: 's2.normative', label: '行政规范性文件', match: /规范性文件/ },
      ],
    },
    { item: '（五）', columns: decisions, rows: [{ key: 's2.licensing', label: '行政许可', match: /行政许可/ }] },
    {
      item: '（六）',
      columns: decisions,
      rows: [
        { key: 's2.penalty', label: '行政处罚', match: /行政处罚/ },
        { key: 's2.coercion', label: '行政强制', match: /行政强制/ },
      ],
    },
    {
      item: '（八）',
      columns: [{ key: 'amount', label: '本年收费金额（单位：万元）' }],
      rows: [{ key: 's2.fees', label: '行政事业性收费', match: /事业性收费/ }],
    },
  ],
  '2019': [
    {
      item: '（一）',
      columns: [
        { key: 'made', label: '本年新制作数量' },
        { key: 'published', label: '本年新公开数量' },
        { key: 'public_total', label: '对外公开总数量' },
      ],
      rows: [
        { key: 's2.rules', label: '规章', match: /规章/, whole: true },
        { key: 's2.normative', label: '规范性文件', match: /规范性文件/ },
      ],
    },
    {
      item: '（五）',
      columns: [...itemChange, { key: 'decisions', label: '处理决定数量' }],
      rows: [
        { key: 's2.licensing', label: '行政许可', match: /行政许可/ },
        { key: 's2.other_services', label: '其他对外管理服务事项', match: /对外管理服务/ },
      ],
    },
    {
      item: '（六）',
      columns: [...itemChange, { key: 'decisions', label: '处理决定数量' }],
      rows: [
        { key: 's2.penalty', label: '行政处罚', match: /行政处罚/ },
        { key: 's2.coercion', label: '行政强制', match: /行政强制/ },
      ],
    },
    {
      item: '（八）',
      columns: itemChange,
      rows: [{ key: 's2.fees', label: '行政事业性收费', match: /事业性收费/ }],
    },
    {
      item: '（九）',
      columns: [
        { key: 'items', label: '采购项目数量' },
        { key: 'amount', label: '采购总金额' },
      ],
      rows: [{ key: 's2.procurement', label: '政府集中采购', match: /集中采购/ }],
    },
  ],
};

/** Keys whose value is an amount (decimals allowed) rather than a count. */
export const AMOUNT_KEYS = new Set(['s2.fees.amount', 's2.procurement.amount']);
/** Keys that may legitimately be negative (a year-on-year change). */
export const SIGNED_KEYS = new Set(['s2.licensing.change', 's2.other_services.change', 's2.penalty.change', 's2.coercion.change', 's2.fees.change']);

/** Header words that only one layout prints in § 二. */
export const S2_FORMAT_MARKERS: Record<Format, RegExp> = {
  '2021': /本年制发|本年废止|现行有效|本年收费金额/,
  '2019': /新制作|新公开|对外公开总数|上一年项目|本年增|集中采购|对外管理服务/,
};

export const SECTION_NUMERALS = ['一', '二', '三', '四', '五', '六'] as const;
export type SectionNumeral = (typeof SECTION_NUMERALS)[number];

/**
 * Section headings, matched on the heading text without its numbering: the distinctive
 * end of each (wording varies a little in the wild).
 */
export const SECTION_HEADINGS: Record<SectionNumeral, RegExp> = {
  一: /(?:总体|基本)情况$/,
  二: /主动公开政府信息(?:的)?情况$/,
  三: /收到和处理政府信息公开申请(?:的)?情况$/,
  四: /行政复议[、，,和及与]?(?:提起)?(?:行政)?诉讼(?:的)?情况$/,
  五: /^(?:工作中)?(?:存在的?)?(?:主要)?问题(?:及|和|与|以及)[\u4e00-\u9fff]{0,12}$/,
  六: /其他需要报告的?事项$/,
};

/** The headings as the format prints them, without numbering: what a misprinted heading is aligned with. */
export const SECTION_TITLES: Record<SectionNumeral, string> = {
  一: '总体情况',
  二: '主动公开政府信息情况',
  三: '收到和处理政府信息公开申请情况',
  四: '政府信息公开行政复议、行政诉讼情况',
  五: '存在的主要问题及改进情况',
  六: '其他需要报告的事项',
};

/** The official wordings, for headings run into surrounding text on one line. */
export const SECTION_HEADINGS_INLINE: Record<SectionNumeral, string> = {
  一: '总体情况',
  二: '主动公开政府信息(?:的)?情况',
  三: '收到和处理政府信息公开申请(?:的)?情况',
  四: '[\u4e00-\u9fff]{0,8}?行政复议[、，,和及与]?(?:提起)?(?:行政)?诉讼(?:的)?情况',
  五: '存在的?主要问题(?:及|和)(?:改进|整改)(?:情况|措施)',
  六: '其他需要报告的?事项',
};

// Renders a report's figures back into the shapes found in the wild, so that the test
// suite can generate variants of the seeds: HTML pages with rowspan/colspan tables inside
// site chrome, one big table or several, PDF-like text with broken labels and wrapped
// rows, the 2019 layout, the 法人或其他组织 subtotal column, blanks and full-width digits.
import { S2_TABLES, S3_COLUMNS, S3_ROWS, S4_KEYS, type Format } from '../../parser/layout.js';

export interface Model {
  title: string;
  format: Format;
  values: Record<string, number>;
  /** printed text per key, overriding the value (e.g. '' for blank, '—', '/', '１２') */
  printed?: Record<string, string>;
  narrative: { 一: string; 五: string; 六: string };
  /** section numerals to print, in order (default 一…六) */
  sections?: string[];
  subtotal?: boolean;
  fullWidth?: boolean;
  feeUnit?: string;
}

const HEADINGS: Record<string, string> = {
  一: '一、总体情况',
  二: '二、主动公开政府信息情况',
  三: '三、收到和处理政府信息公开申请情况',
  四: '四、政府信息公开行政复议、行政诉讼情况',
  五: '五、存在的主要问题及改进情况',
  六: '六、其他需要报告的事项',
};

function fw(s: string): string {
  return s.replace(/[0-9.,]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

export function printedValue(m: Model, key: string): string {
  if (m.printed && key in m.printed) return m.printed[key]!;
  const v = m.values[key];
  if (v === undefined) throw new Error(`model has no value for ${key}`);
  return m.fullWidth ? fw(String(v)) : String(v);
}

export function s3Columns(m: Model): string[] {
  const cols = S3_COLUMNS.map((c) => c.key);
  if (m.subtotal) cols.splice(6, 0, 'subtotal');
  return cols;
}

export function s3Value(m: Model, row: string, col: string): string {
  if (col === 'subtotal' && !m.printed?.[`${row}.subtotal`]) {
    const sum = ['commercial', 'research', 'social', 'legal', 'other'].reduce((a, c) => a + (m.values[`${row}.${c}`] ?? 0), 0);
    return String(sum);
  }
  return printedValue(m, `${row}.${col}`);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const td = (text: string, attrs = '') => `<td${attrs}>${text === '' ? '&nbsp;' : esc(text)}</td>`;

function htmlS2(m: Model): string[] {
  const rows: string[] = [];
  for (const t of S2_TABLES[m.format]) {
    const width = 1 + Math.max(...S2_TABLES[m.format].map((x) => x.columns.length));
    rows.push(`<tr>${td(`第二十条第${t.item}项`, ` colspan="${width}"`)}</tr>`);
    const header = t.columns.map((c) => (c.key === 'amount' && m.feeUnit ? `本年收费金额（单位：${m.feeUnit}）` : c.label));
    rows.push(`<tr>${td('信息内容')}${header.map((h, i) => td(h, i === header.length - 1 && header.length < width - 1 ? ` colspan="${width - header.length}"` : '')).join('')}</tr>`);
    for (const r of t.rows) {
      const cells = t.columns.map((c) => printedValue(m, `${r.key}.${c.key}`));
      rows.push(`<tr>${td(r.label)}${cells.map((c, i) => td(c, i === cells.length - 1 && cells.length < width - 1 ? ` colspan="${width - cells.length}"` : '')).join('')}</tr>`);
    }
  }
  return rows;
}

function htmlS3(m: Model): string[] {
  const cols = s3Columns(m);
  const rows: string[] = [];
  const orgs = cols.length - 2;
  rows.push(`<tr>${td('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', ' colspan="3" rowspan="3"')}${td('申请人情况', ` colspan="${cols.length}"`)}</tr>`);
  rows.push(`<tr>${td('自然人', ' rowspan="2"')}${td('法人或其他组织', ` colspan="${orgs}"`)}${td('总计', ' rowspan="2"')}</tr>`);
  rows.push(`<tr>${['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', ...(m.subtotal ? ['小计'] : [])].map((h) => td(h)).join('')}</tr>`);
  const specs = S3_ROWS[m.format].filter((s) => !s.group);
  const groups = S3_ROWS[m.format].filter((s) => s.group);
  const outcomeCount = specs.length - 3; // 三、本年度办理结果 spans the outcomes and （七）总计
  specs.forEach((s, i) => {
    const vals = cols.map((c) => td(s3Value(m, s.key, c))).join('');
    let label: string;
    if (i < 2 || s.key === 's3.carried_out') label = td(s.label, ' colspan="3"');
    else {
      const group = groups.find((g) => s.key.startsWith(g.key + '.'));
      const members = group ? specs.filter((x) => x.key.startsWith(group.key + '.')) : [];
      const first = i === 2 ? td('三、本年度办理结果', ` rowspan="${outcomeCount}"`) : '';
      if (!group) label = first + td(s.label, ' colspan="2"');
      else label = first + (members[0] === s ? td(group.label, ` rowspan="${members.length}"`) : '') + td(s.label);
    }
    rows.push(`<tr>${label}${vals}</tr>`);
  });
  return rows;
}

function htmlS4(m: Model): string[] {
  const sub = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
  return [
    `<tr>${td('行政复议', ' colspan="5"')}${td('行政诉讼', ' colspan="10"')}</tr>`,
    `<tr>${sub.map((h) => td(h, ' rowspan="2"')).join('')}${td('未经复议直接起诉', ' colspan="5"')}${td('复议后起诉', ' colspan="5"')}</tr>`,
    `<tr>${[...sub, ...sub].map((h) => td(h)).join('')}</tr>`,
    `<tr>${S4_KEYS.map((k) => td(printedValue(m, k))).join('')}</tr>`,
  ];
}

const TABLES: Record<string, (m: Model) => string[]> = { 二: htmlS2, 三: htmlS3, 四: htmlS4 };

/** A detail page of a county portal: chrome, metadata, the report, footer. */
export function renderHtml(m: Model, opts: { oneTable?: boolean } = {}): string {
  const order = m.sections ?? ['一', '二', '三', '四', '五', '六'];
  const body: string[] = [];
  let big: string[] = [];
  const flushBig = () => {
    if (big.length) body.push(`<table border="1" cellspacing="0">${big.join('\n')}</table>`);
    big = [];
  };
  for (const n of order) {
    const table = TABLES[n];
    if (table && opts.oneTable) {
      big.push(`<tr><td colspan="10"><strong>${HEADINGS[n]}</strong></td></tr>`, ...table(m));
      continue;
    }
    flushBig();
    body.push(`<p style="text-indent:2em"><strong>${HEADINGS[n]}</strong></p>`);
    if (table) body.push(`<table border="1" cellspacing="0">\n${table(m).join('\n')}\n</table>`);
    else for (const para of m.narrative[n as '一' | '五' | '六'].split('\n')) body.push(`<p>${esc(para)}</p>`);
  }
  flushBig();
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(m.title)}_郏县人民政府</title>
<meta name="ArticleTitle" content="${esc(m.title)}"><meta name="PubDate" content="2025-01-20 10:31">
<script>var $_ts = {}; document.write("<p>二、主动公开政府信息情况 99 99 99</p>");</script><style>p{margin:0}</style></head>
<body><div class="top">无障碍 长者版 <a href="/">首页</a> | 政务公开 | 政务服务 | 互动交流</div>
<div class="crumb">当前位置：首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>
<div class="main"><h1 class="title">${esc(m.title)}</h1>
<table class="xxgk_table"><tr><td>索引号</td><td>005452065/2025-00001</td><td>发布日期</td><td>2025-01-20</td></tr></table>
<div class="TRS_Editor">${body.join('\n')}</div></div>
<div class="footer">主办单位：郏县人民政府办公室　网站标识码 4104250001　豫ICP备12345678号　2025 年</div></body></html>`;
}

/**
 * PDF text layer as pdftotext prints it: labels broken over lines, a row's last value
 * wrapped onto the next line, group labels shattered, optionally a value row printed
 * on the line before its label.
 */
export function renderPdfText(m: Model, opts: { valuesBeforeLabel?: string[] } = {}): string {
  const out: string[] = [m.title.slice(0, 22), m.title.slice(22), ''];
  const order = m.sections ?? ['一', '二', '三', '四', '五', '六'];
  for (const n of order) {
    out.push('', HEADINGS[n]!, '');
    if (n === '二') {
      for (const t of S2_TABLES[m.format]) {
        out.push(`第二十条第${t.item}项`, `信息内容 ${t.columns.map((c) => c.label).join(' ')}`, '');
        for (const r of t.rows) out.push(`${r.label} ${t.columns.map((c) => printedValue(m, `${r.key}.${c.key}`)).join(' ')}`, '');
      }
    } else if (n === '三') {
      const cols = s3Columns(m);
      out.push('（本列数据的勾稽关系为：第一项加第二项之和，等', '于第三项加第四项之和）', '', '申请人情况', '', '自然', '人', '', '法人或其他组织', '', '总计商业', '企业', '', '科研', '机构', '', '社会', '公益', '组织', '', '法律', '服务', '机构', '', '其他', '');
      if (m.subtotal) out.push('小计', '');
      let lastGroup = '';
      for (const s of S3_ROWS[m.format]) {
        if (s.group) continue;
        const group = S3_ROWS[m.format].find((g) => g.group && s.key.startsWith(g.key + '.'));
        if (group && group.key !== lastGroup) out.push(group.label.slice(0, 4), group.label.slice(4), '');
        lastGroup = group?.key ?? '';
        if (s.key === 's3.granted') out.push('三、本', '年度办', '理结果', '');
        const vals = cols.map((c) => s3Value(m, s.key, c));
        const label = s.label.length > 18 ? [s.label.slice(0, 17), s.label.slice(17)] : [s.label];
        const valueLines = s.label.length > 18 ? [vals.slice(0, -1).join(' '), vals[vals.length - 1]!] : [vals.join(' ')];
        if (opts.valuesBeforeLabel?.includes(s.key)) out.push(...valueLines, ...label, '');
        else if (label.length > 1) out.push(...label, '', ...valueLines, '');
        else out.push(`${label[0]} ${valueLines[0]}`, '');
      }
    } else if (n === '四') {
      out.push('行政复议 行政诉讼', '', '结果', '维持', '', '结果', '纠正', '', '其他', '结果', '', '尚未', '审结', '', '总计', '未经复议直接起诉 复议后起诉', '');
      out.push(S4_KEYS.map((k) => printedValue(m, k)).join(' '), '');
    } else out.push(...m.narrative[n as '一' | '五' | '六'].split('\n'), '');
  }
  return out.join('\n');
}

// OCR slips in the printed labels of the official format (数量 read as 效量, 部分 as 邵分)
// corrected to the nearest label the format prints, when that label is near enough and no
// other is as near. Only labels and headings are corrected; a value is never changed.
import { S2_TABLES, S3_COLUMNS, S3_ROWS, S4_COLUMNS } from '../layout.js';
import { distance } from '../align.js';
import { matchForm } from '../normalize.js';

const HEADINGS = [
  '一、总体情况', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况',
  '四、政府信息公开行政复议、行政诉讼情况', '五、存在的主要问题及改进情况', '六、其他需要报告的事项',
];
const OTHER = ['申请人情况', '法人或其他组织', '三、本年度办理结果', '信息内容', '行政复议', '行政诉讼', '未经复议直接起诉', '复议后起诉'];

const VOCABULARY: string[] = [
  ...new Set([
    ...HEADINGS,
    ...OTHER,
    ...Object.values(S3_ROWS).flatMap((rows) => rows.map((r) => r.label)),
    ...S3_COLUMNS.map((c) => c.label),
    ...S4_COLUMNS.map((c) => c.label),
    ...Object.values(S2_TABLES).flatMap((ts) => ts.flatMap((t) => [`第二十条第${t.item}项`, ...t.rows.map((r) => r.label), ...t.columns.map((c) => c.label)])),
  ]),
];
/** Numbering is compared apart from the words: OCR drops the full stop of "8." often. */
const NUMBERING = /^(?:\(?[一二三四五六七八九十]+\)[、.]?|[一二三四五六七八九十]+[、.]|\d+[.、．]?)/;
const FORMS = VOCABULARY.map((label) => ({ label, form: matchForm(label).replace(NUMBERING, '') }));

/** Units stay as printed: a report printing 元 where the format says 万元 is a finding, not a slip. */
const unitsOf = (s: string) => (s.match(/[万千]?元/g) ?? []).join(',');
/** The numbering as printed (一、 （三） 8.), kept: the words are corrected, never the order. */
const PRINTED_NUMBERING = /^\s*(?:[（(]\s*[一二三四五六七八九十]+\s*[)）][、.]?|[一二三四五六七八九十]+\s*[、.]|\d+\s*[.、．]?)/;

/** The format's label this OCR text most likely is (its printed numbering and units kept), or the text itself. */
export function nearestLabel(text: string): string {
  const form = matchForm(text).replace(NUMBERING, '');
  if (form.length < 3 || form.length > 60) return text;
  const units = unitsOf(text);
  let best: string | null = null;
  let bestD = Infinity;
  let second = Infinity;
  for (const f of FORMS) {
    if (f.form === form) return text;
    if (unitsOf(f.label) !== units) continue;
    // a slip in three characters at most, and never more than five
    const max = Math.min(5, Math.floor(f.form.length / 3));
    if (max < 1) continue;
    const d = distance(form, f.form, max);
    if (d > max) continue;
    if (d < bestD) [best, second, bestD] = [f.label, bestD, d];
    else if (d < second && f.label !== best) second = d;
  }
  // only a clear winner: another label as near means the text could be either
  if (!best || second <= bestD) return text;
  const printed = PRINTED_NUMBERING.exec(text)?.[0].trim() ?? '';
  return printed + best.replace(PRINTED_NUMBERING, '');
}

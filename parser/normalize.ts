// Text normalisation used for matching labels and headings, never for values shown to a
// reviewer: evidence keeps the printed text.

// Traditional forms (and a few look-alikes) that appear in the official labels. Kept to
// characters of the report's own vocabulary so that narrative text is not rewritten.
const TRADITIONAL =
  '郟郏處处開开請请數数總总計计結结轉转與与決决訴诉訟讼議议復复審审維维糾纠資资機机關关構构組组織织業业會会務务國国險险護护權权內内過过執执詢询現现製制補补確确認认費费繳缴規规範范許许罰罚強强額额廢废發发實实報报區区縣县鄉乡鎮镇辦办體体況况問问題题進进項项條条於于屬属應应對对為为門门網网頁页類类統统員员單单導导簡简細细書书據据當当雙双歲岁產产';
const TRAD_MAP = new Map<string, string>();
for (let i = 0; i + 1 < TRADITIONAL.length; i += 2) TRAD_MAP.set(TRADITIONAL[i]!, TRADITIONAL[i + 1]!);
const TRAD_RE = new RegExp(`[${[...TRAD_MAP.keys()].join('')}]`, 'g');

/** Place names commonly mangled by OCR or typing (traditional forms are handled above). */
const PLACE_SLIPS: [RegExp, string][] = [[/沐阳/g, '沭阳']];

/** Full-width ASCII (digits, letters, punctuation) to half-width; ideographic space to space. */
const FULL_WIDTH = /[\uff01-\uff5e]/g;
const WIDE_SPACE = /[\u3000\u00a0\u2002-\u200b\ufeff]/g;
const fromFullWidth = (c: string) => String.fromCharCode(c.charCodeAt(0) - 0xfee0);

export function toHalfWidth(s: string): string {
  return s.replace(FULL_WIDTH, fromFullWidth).replace(WIDE_SPACE, ' ');
}

export function simplify(s: string): string {
  return s.replace(TRAD_RE, (c) => TRAD_MAP.get(c)!);
}

/**
 * The form labels and headings are matched in: half-width, simplified, no whitespace,
 * round brackets unified, Markdown emphasis and heading marks removed.
 */
export function matchForm(s: string): string {
  return simplify(toHalfWidth(s))
    .replace(/[\s*#|]/g, '')
    .replace(/[【〔［\[]/g, '(')
    .replace(/[】〕］\]]/g, ')')
    .replace(/[“”"「」『』]/g, '"');
}

/** Official form of an agency name: simplified characters and known place-name slips fixed. */
export function agencyForm(s: string): string {
  let out = simplify(toHalfWidth(s)).replace(/\s+/g, '');
  for (const [re, to] of PLACE_SLIPS) out = out.replace(re, to);
  return out;
}

/** Collapse runs of whitespace; drop spaces that merely separate CJK from digits or CJK. */
export function tidy(s: string): string {
  return toHalfWidth(s)
    .replace(/\s+/g, ' ')
    .replace(/(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef\d])/g, '')
    .replace(/(?<=\d)\s+(?=[\u3000-\u9fff\uff00-\uffef])/g, '')
    .trim();
}

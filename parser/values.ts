// What a printed cell means: a number, or one of the ways reports print "nothing".
import type { Semantics } from './types.js';
import { toHalfWidth } from './normalize.js';

export interface CellValue {
  semantics: Semantics;
  /** the number, when semantics is `number`; 0 for "/" and "无" (recorded as zero, with a warning) */
  value: number | null;
  /** decimals as printed (S.VALUE: a 万元 fee is exact to the 分 at 6) */
  decimals: number;
  /** a unit printed in the cell itself, e.g. 元 in "251000元" */
  unit?: string;
}

const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;
const GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const DASH = /^[-—–―─－~～…]+$/;
const SLASH = /^[/／\\]$/;
const WITH_UNIT = /^(.*?\d)(万元|元|件|个|条|项|次)$/;

const PLAIN_INTEGER = /^\d{1,15}$/;
/** Two numbers in one cell ("30 5", a converter's merge): not a value that can be read. */
const TWO_NUMBERS = /\d[\s\u3000]+[+-]?\d/;
/** 2019 layout 本年增/减 printed in words: 增加4, 减少4. */
const CHANGE_WORDS = /^(增加|增|减少|减)(\d+)$/;

/** Classify printed cell text; `null` when it is not a value at all (a label, or unreadable). */
export function readCell(printed: string): CellValue | null {
  if (PLAIN_INTEGER.test(printed)) return { semantics: 'number', value: Number(printed), decimals: 0 };
  if (TWO_NUMBERS.test(toHalfWidth(printed))) return null;
  const t = toHalfWidth(printed).replace(/\s+/g, '').replace(/，/g, ',');
  if (t === '') return { semantics: 'blank', value: null, decimals: 0 };
  let num = t;
  if (GROUPED.test(num)) num = num.replace(/,/g, '');
  if (NUMBER.test(num)) {
    const dot = num.indexOf('.');
    // + 0 turns a printed "-0" into 0
    return { semantics: 'number', value: Number(num) + 0, decimals: dot < 0 ? 0 : num.length - dot - 1 };
  }
  const change = CHANGE_WORDS.exec(t);
  if (change) return { semantics: 'number', value: (change[1]!.startsWith('减') ? -1 : 1) * Number(change[2]) + 0, decimals: 0 };
  const unit = WITH_UNIT.exec(t);
  if (unit) {
    const inner = readCell(unit[1]!);
    if (inner?.semantics === 'number') return { ...inner, unit: unit[2] };
  }
  if (DASH.test(t)) return { semantics: 'dash', value: null, decimals: 0 };
  if (SLASH.test(t)) return { semantics: 'slash', value: 0, decimals: 0 };
  if (t === '无') return { semantics: 'none', value: 0, decimals: 0 };
  return null;
}

/** A running-text token is a value only if it stands alone; these follow a quantity in prose. */
const UNIT_AFTER = /^[条件篇次人个项家户元年月日号期%万亿余多]/;
/** List enumerators such as `1.` `2、` `(3)` are label text, not values. */
const ENUMERATOR = /^(?:\d+[.、．]|[(（]\d+[)）])$/;

export function isProseNumber(next: string | undefined): boolean {
  return next !== undefined && UNIT_AFTER.test(toHalfWidth(next));
}

export function isEnumerator(token: string): boolean {
  return ENUMERATOR.test(toHalfWidth(token));
}

// The seed 003 report (郏县人民政府 2024, the one with non-zero figures everywhere) as a
// model to render variants from.
import { analyse } from '../../checks/index.js';
import type { Model } from './render.js';
import { seed, seedBytes } from './seeds.js';

const s = seed('003');
const parsed = analyse({ bytes: seedBytes(s.file) });

export function baseModel(): Model {
  return {
    title: '郏县人民政府2024年政府信息公开工作年度报告',
    format: '2021',
    values: { ...s.values },
    narrative: { 一: parsed.narrative['一']!, 五: parsed.narrative['五']!, 六: parsed.narrative['六']! },
  };
}

/** Values of seed 003 in the 2019 trial layout: its § 二 columns and one （六）其他处理 row. */
export function model2019(): Model {
  const m = baseModel();
  const v = m.values;
  for (const k of Object.keys(v)) if (k.startsWith('s2.')) delete v[k];
  Object.assign(v, {
    's2.rules.made': 0, 's2.rules.published': 0, 's2.rules.public_total': 0,
    's2.normative.made': 3, 's2.normative.published': 3, 's2.normative.public_total': 31,
    's2.licensing.prev_items': 120, 's2.licensing.change': -4, 's2.licensing.decisions': 74833,
    's2.other_services.prev_items': 15, 's2.other_services.change': 2, 's2.other_services.decisions': 960,
    's2.penalty.prev_items': 300, 's2.penalty.change': 0, 's2.penalty.decisions': 50835,
    's2.coercion.prev_items': 12, 's2.coercion.change': 1, 's2.coercion.decisions': 833,
    's2.fees.prev_items': 8, 's2.fees.change': 0,
    's2.procurement.items': 42, 's2.procurement.amount': 1375.5,
  });
  for (const c of ['natural', 'commercial', 'research', 'social', 'legal', 'other', 'total']) {
    v[`s3.other.other.${c}`] = v[`s3.other.no_correction.${c}`]! + v[`s3.other.no_fee.${c}`]! + v[`s3.other.other.${c}`]!;
    delete v[`s3.other.no_correction.${c}`];
    delete v[`s3.other.no_fee.${c}`];
  }
  return { ...m, format: '2019', title: '郏县人民政府2020年政府信息公开工作年度报告' };
}

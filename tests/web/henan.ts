// A whole local web of Henan county sites for the demo and the crawl benchmark: counties
// in turn on each CMS family, each publishing its government's, departments' and a
// township's reports for 2019–2024 (the 2019 layout before 2021), one department late
// every year and one missing for the last year; for the demo, one more county behind a
// 521 challenge that its config does not let the browser pass, so that it shows blocked.
// Each agency's figures are its own, drawn from skewed distributions like a province's
// (a government receives dozens of requests, a township a handful), consistent from year
// to year (what one year carries over, the next carries in); a few reports carry a genuine
// mistake of each kind a reviewer meets, and 郏县's 2024 report is only attachments (a photo, DOCX, PDF).
import type { SiteConfig } from '../../scrapers/config.js';
import { hanwebCounty, nextLinkCounty, pdsCounty, scriptCounty, sitesourcesCounty, trsCounty, vsbCounty, type County, type Published, type Who } from './county.js';

const COUNTIES: Array<[string, string, string]> = [
  ['410425', 'pingdingshan.jiaxian', '郏县'], ['410421', 'pingdingshan.baofeng', '宝丰县'], ['410422', 'pingdingshan.yexian', '叶县'],
  ['410423', 'pingdingshan.lushan', '鲁山县'], ['410482', 'pingdingshan.ruzhou', '汝州市'], ['410481', 'pingdingshan.wugang', '舞钢市'],
  ['411025', 'xuchang.xiangcheng', '襄城县'], ['411024', 'xuchang.yanling', '鄢陵县'], ['411081', 'xuchang.yuzhou', '禹州市'],
  ['411082', 'xuchang.changge', '长葛市'], ['410323', 'luoyang.xinan', '新安县'], ['410324', 'luoyang.luanchuan', '栾川县'],
  ['410325', 'luoyang.songxian', '嵩县'], ['410326', 'luoyang.ruyang', '汝阳县'], ['410327', 'luoyang.yiyang', '宜阳县'],
  ['410328', 'luoyang.luoning', '洛宁县'], ['410329', 'luoyang.yichuan', '伊川县'], ['410522', 'anyang.anyangxian', '安阳县'],
  ['410523', 'anyang.tangyin', '汤阴县'], ['410526', 'anyang.huaxian', '滑县'], ['410527', 'anyang.neihuang', '内黄县'],
  ['410581', 'anyang.linzhou', '林州市'], ['410307', 'luoyang.yanshi', '偃师区'], ['410502', 'anyang.wenfeng', '文峰区'],
  ['410182', 'zhengzhou.xingyang', '荥阳市'], ['410184', 'zhengzhou.xinzheng', '新郑市'],
];
const DEPARTMENTS = ['财政局', '教育局', '民政局', '卫生健康委员会', '自然资源局'];

/** A deterministic generator per name, so that the demo is the same on every run. */
function random(name: string): () => number {
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return () => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const normal = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
const lognormal = (r: () => number, median: number, sigma: number) => median * Math.exp(sigma * normal(r));

/** `n` items shared out by weight. */
function share(r: () => number, weights: number[], n: number): number[] {
  const out = weights.map(() => 0);
  const sum = weights.reduce((a, w) => a + w, 0);
  for (let i = 0; i < n; i++) {
    let x = r() * sum;
    let k = 0;
    while (k < weights.length - 1 && (x -= weights[k]!) >= 0) k++;
    out[k]!++;
  }
  return out;
}

const COLUMNS = ['natural', 'commercial', 'research', 'social', 'legal', 'other'];
const APPLICANTS = [82, 8, 1.5, 2, 3, 3.5];
/** How requests end, roughly as county reports print them; rows a layout lacks are left out. */
const OUTCOMES: Record<string, number> = {
  granted: 40, partial: 8, 'denied.secret': 0.5, 'denied.law': 1, 'denied.safety': 0.5, 'denied.third_party': 2, 'denied.internal': 2, 'denied.process': 2,
  'denied.enforcement': 1, 'denied.query': 1, 'unable.not_held': 18, 'unable.needs_making': 4, 'unable.unclear': 2, 'refused.petition': 6, 'refused.repeat': 4,
  'refused.publication': 1, 'refused.massive': 1, 'refused.confirm': 1, 'other.no_correction': 2, 'other.no_fee': 0.5, 'other.other': 3,
};
/** The mistakes planted, one kind per agency-year picked (about one report in eight). */
const MISTAKES: Array<(v: Record<string, number>) => void> = [
  // a row's 总计 is not the sum of its applicants (S3.ROW_TOTAL)
  (v) => (v['s3.granted.total']! += 1),
  // a column's outcomes do not add up to （七）总计 (S3.OUTCOME_TOTAL)
  (v) => ((v['s3.unable.not_held.natural']! += 1), (v['s3.unable.not_held.total']! += 1)),
  // received and carried in is not handled and carried over (S3.BALANCE)
  (v) => ((v['s3.carried_out.natural']! += 2), (v['s3.carried_out.total']! += 2)),
  // a review group's total is not the sum of its results (S4.GROUP_TOTAL)
  (v) => (v['s4.review.total']! += 1),
];

/**
 * One agency's figures for each year: requests by applicant, what they came to, review and
 * litigation, decisions and fees, scaled to the kind of agency it is.
 */
function figuresOf(agency: string, years: number[]): Map<number, (v: Record<string, number>) => void> {
  const r = random(agency);
  const scale = /人民政府$/.test(agency) ? (/镇|乡/.test(agency) ? 3 : 45) : 9;
  const level = lognormal(r, scale, 0.8);
  let carried = COLUMNS.map(() => 0);
  const out = new Map<number, (v: Record<string, number>) => void>();
  for (const year of years) {
    const received = share(r, APPLICANTS, Math.max(0, Math.round(lognormal(r, level, 0.3))));
    const carriedIn = carried;
    const carriedOut = received.map((n, i) => Math.round((n + carriedIn[i]!) * r() * 0.12));
    carried = carriedOut;
    const y = random(`${agency}${year}`);
    const cases = (median: number) => share(y, [60, 10, 20, 10], Math.round(Math.max(0, lognormal(y, median, 0.9) - median * 0.6)));
    const groups: Record<string, number[]> = { review: cases(scale / 20), suit_direct: cases(scale / 40), suit_after_review: cases(scale / 60) };
    const decisions = { licensing: lognormal(y, scale * 30, 0.7), penalty: lognormal(y, scale * 6, 0.9), coercion: lognormal(y, scale / 3, 1) };
    const fees = Math.round(lognormal(y, scale / 6, 1) * 100) / 100;
    const mistake = y() < 0.13 ? MISTAKES[Math.floor(y() * MISTAKES.length)] : undefined;
    out.set(year, (v) => {
      const rows = [...new Set(Object.keys(v).filter((k) => k.startsWith('s3.')).map((k) => k.slice(0, k.lastIndexOf('.'))))];
      const outcomes = rows.filter((k) => k.slice(3) in OUTCOMES);
      COLUMNS.forEach((c, i) => {
        const handled = received[i]! + carriedIn[i]! - carriedOut[i]!;
        v[`s3.new.${c}`] = received[i]!;
        v[`s3.carried_in.${c}`] = carriedIn[i]!;
        v[`s3.carried_out.${c}`] = carriedOut[i]!;
        v[`s3.total.${c}`] = handled;
        share(y, outcomes.map((k) => OUTCOMES[k.slice(3)]!), handled).forEach((n, k) => (v[`${outcomes[k]}.${c}`] = n));
      });
      for (const row of rows) v[`${row}.total`] = COLUMNS.reduce((a, c) => a + (v[`${row}.${c}`] ?? 0), 0);
      for (const [g, [upheld, corrected, other, pending]] of Object.entries(groups)) {
        Object.assign(v, { [`s4.${g}.upheld`]: upheld, [`s4.${g}.corrected`]: corrected, [`s4.${g}.other`]: other, [`s4.${g}.pending`]: pending });
        v[`s4.${g}.total`] = upheld! + corrected! + other! + pending!;
      }
      for (const [k, n] of Object.entries(decisions)) if (`s2.${k}.decisions` in v) v[`s2.${k}.decisions`] = Math.round(n);
      if ('s2.fees.amount' in v) v['s2.fees.amount'] = fees;
      mistake?.(v);
    });
  }
  return out;
}
const FAMILIES = [trsCounty, hanwebCounty, vsbCounty, sitesourcesCounty, pdsCounty, nextLinkCounty];
export const YEARS = [2019, 2020, 2021, 2022, 2023, 2024];

export interface HenanWeb {
  counties: County[];
  configs: SiteConfig[];
  /** reports published across the web where a crawler can reach them (not behind the challenge) */
  reports: number;
  close(): Promise<void>;
}

/** `realistic`: the demo's figures (varied, with planted mistakes); without it every report is seed 003's, as the crawl tests count on. */
export async function startHenanWeb(sites = 6, years = YEARS, perPage = 15, { blocked = false, realistic = false } = {}): Promise<HenanWeb> {
  const counties: County[] = [];
  for (let k = 0; k < sites; k++) {
    const [regionCode, id, place] = COUNTIES[k % COUNTIES.length]!;
    const who: Who = { id: `henan.${id}${k >= COUNTIES.length ? `.${k}` : ''}`, name: `${place}人民政府`, regionCode };
    const agencies = [`${place}人民政府`, ...DEPARTMENTS.map((d) => `${place}${d}`), `${place}城关镇人民政府`];
    const reports: Published[] = [];
    const figures = new Map(agencies.map((a) => [a, figuresOf(a, years)]));
    for (const year of years) {
      for (const [i, agency] of agencies.entries()) {
        // every county misses one department's report for the last year
        if (year === years[years.length - 1] && i === 2) continue;
        // and publishes one department's report of each year in May, after the deadline
        const published = i === 3 ? `${year + 1}-05-18` : undefined;
        // 郏县 puts its own 2024 report up only as attachments, three times over: a phone photo
        // of the printed page, the Word file, then the PDF (seed 003 itself), so its report has a
        // picture, a DOCX and a PDF version, the PDF current
        if (agency === '郏县人民政府' && year === 2024 && realistic) for (const attached of ['jpg', 'docx', 'pdf'] as const) reports.push({ agency, year, published, attached });
        else reports.push({ agency, year, published, change: realistic ? figures.get(agency)!.get(year)! : (v) => (v['s3.new.natural'] = 30 + ((k + i + year) % 9)) });
      }
    }
    counties.push(await FAMILIES[k % FAMILIES.length]!(reports, { who, perPage }));
  }
  const reachable = counties.reduce((a, c) => a + c.reports.length, 0);
  if (blocked) {
    const place = '登封市';
    const reports = years.map((year) => ({ agency: `${place}人民政府`, year }));
    counties.push(await scriptCounty(reports, { who: { id: 'henan.zhengzhou.dengfeng', name: `${place}人民政府`, regionCode: '410185' }, obstacles: { challenge: true } }));
  }
  return {
    counties,
    configs: counties.map((c) => c.config),
    reports: reachable,
    close: async () => {
      for (const c of counties) await c.site.close();
    },
  };
}

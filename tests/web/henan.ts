// A whole local web of Henan county sites for the demo and the crawl benchmark: counties
// in turn on each CMS family, each publishing its government's, departments' and a
// township's reports for 2019–2024 (the 2019 layout before 2021), one department late
// every year and one missing for the last year; for the demo, one more county behind a
// 521 challenge that its config does not let the browser pass, so that it shows blocked.
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
const FAMILIES = [trsCounty, hanwebCounty, vsbCounty, sitesourcesCounty, pdsCounty, nextLinkCounty];
export const YEARS = [2019, 2020, 2021, 2022, 2023, 2024];

export interface HenanWeb {
  counties: County[];
  configs: SiteConfig[];
  /** reports published across the web where a crawler can reach them (not behind the challenge) */
  reports: number;
  close(): Promise<void>;
}

export async function startHenanWeb(sites = 6, years = YEARS, perPage = 15, { blocked = false } = {}): Promise<HenanWeb> {
  const counties: County[] = [];
  for (let k = 0; k < sites; k++) {
    const [regionCode, id, place] = COUNTIES[k % COUNTIES.length]!;
    const who: Who = { id: `henan.${id}${k >= COUNTIES.length ? `.${k}` : ''}`, name: `${place}人民政府`, regionCode };
    const agencies = [`${place}人民政府`, ...DEPARTMENTS.map((d) => `${place}${d}`), `${place}城关镇人民政府`];
    const reports: Published[] = [];
    for (const year of years) {
      for (const [i, agency] of agencies.entries()) {
        // every county misses one department's report for the last year
        if (year === years[years.length - 1] && i === 2) continue;
        // and publishes one department's report of each year in May, after the deadline
        const published = i === 3 ? `${year + 1}-05-18` : undefined;
        reports.push({ agency, year, published, change: (v) => (v['s3.new.natural'] = 30 + ((k + i + year) % 9)) });
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

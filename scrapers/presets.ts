// What each CMS family's pages look like: list items and their title/link/date, the pager,
// the detail container — hints and overrides beside discover.ts, which finds the same by
// what things are, and the markers `nianjian probe` names a family by. Selectors are
// "selector@attribute | fallback" chains read by list.ts; `.` is the item itself.
import type { ChildrenSpec, DetailSpec, ListSpec, PaginationSpec } from './config.js';

export type Preset = 'trs' | 'hanweb' | 'vsb' | 'sitesources' | 'pds' | 'generic';

interface PresetSpec {
  /** markers on a page that tell the family (for `nianjian probe`) */
  markers: RegExp[];
  list: ListSpec;
  pagination: PaginationSpec;
  /** what a sub-column's address looks like in the family, and whether it sits in the column's folder */
  children: Partial<ChildrenSpec>;
  detail: DetailSpec;
}

const CONTAINERS = ['.TRS_Editor', '#zoom', '#vsb_content', '.v_news_content', '#UCAP-CONTENT', '.article-content', '.article-details', '.hap_xq_content', '#ivs_content', '.pages_content'];

export const PRESETS: Record<Preset, PresetSpec> = {
  trs: {
    markers: [/createPageHTML\s*\(/, /TRS_Editor/, /\/P0\d{8,}/],
    list: { mode: 'html', item: 'ul.pageList li, table.gl_list tr, .xxgk_list li, ul.list li', title: 'a@title | a', link: 'a@href', date: 'span.time | span | td:last-child' },
    pagination: { type: 'trs_create_page_html', maxPages: 30 },
    // ./bmxxgknb/ or ./2024n/index.html; never the column's own index_1.html
    children: { href: '/(?:index\\.s?html?)?$', below: true },
    detail: { container: ['.TRS_Editor', '.trs_editor_view', ...CONTAINERS], attachments: true },
  },
  hanweb: {
    markers: [/<datastore>/, /dataproxy\.jsp/, /Produced By 大汉/, /ZJEG_RSS/],
    list: { mode: 'cdata_datastore', item: 'li, tr', title: 'a@title | a', link: 'a@href', date: 'span | b | td:last-child' },
    pagination: { type: 'hanweb_jpage', maxPages: 30 },
    children: { href: '/col/col\\d+/(?:index\\.html)?$' },
    detail: { container: ['#zoom', '.zoom', ...CONTAINERS], attachments: true },
  },
  vsb: {
    markers: [/p_next p_fun/, /vsb_content/, /_sitegray/],
    list: { mode: 'html', item: 'div.list ul li, ul.list li', title: 'a@title | a', link: 'a@href', date: 'span' },
    pagination: { type: 'vsb', maxPages: 30 },
    // zfxxgknb/bmnb.htm, not the pager's zfxxgknb/3.htm
    children: { href: '/[a-z][\\w-]*\\.htm$', below: true },
    detail: { container: ['#vsb_content', '.v_news_content', ...CONTAINERS], attachments: true },
  },
  sitesources: {
    markers: [/sitesources/, /hap_infoBox/, /script\.json/],
    list: { mode: 'html', item: '.hap_infoBox li, .hap_infoBox a', title: 'a@title | a | .', link: 'a@href | .@href', date: 'span' },
    pagination: { type: 'script_json', maxPages: 30 },
    children: { href: '/list1\\.html$', below: true },
    detail: { container: ['.hap_xq_content', ...CONTAINERS], attachments: true, title: '.hap_xq_tit', date: '.hap_xq_data' },
  },
  pds: {
    markers: [/\/channels\/\d+/, /content_list/, /page-info/],
    list: { mode: 'html', item: '.content_list li, .content_list a', title: 'a@title | a | .', link: 'a@href | .@href', date: 'span' },
    pagination: { type: 'url_template', template: '{base}_{n}.html', maxPages: 30 },
    children: { href: '/channels/\\d+\\.html$' },
    detail: { container: ['.article-details', ...CONTAINERS], attachments: true, title: '.article-title', date: '.article-info', unit: '.article-info' },
  },
  generic: {
    markers: [],
    list: { mode: 'html', item: 'ul li, table tr', title: 'a@title | a', link: 'a@href', date: 'span | td:last-child' },
    pagination: { type: 'next_link', maxPages: 30 },
    children: {},
    detail: { container: CONTAINERS, attachments: true },
  },
};

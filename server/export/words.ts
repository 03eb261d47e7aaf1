// The one zh-CN dictionary of the codes the store and the API use, shared by the dashboard
// (web/src/lib/words.ts re-exports it) and the exports, so a screen and its file say the
// same thing. No code reaches a reviewer: what this file does not know is said generically.
import { RULE_BY_ID } from '../../checks/catalogue.js';
import { S2_TABLES, S3_COLUMNS, S3_ROWS, S4_COLUMNS, S4_GROUPS } from '../../parser/layout.js';

export const STATUS: Record<string, string> = {
  found: '按时发布',
  late: '逾期发布',
  image_only: '仅有图片',
  missing: '未发布',
  pending: '未到期',
};
/** 有错误 is not a status but a second dimension, counted beside the statuses. */
export const WITH_ERRORS = '有错误';

export const DATE_SOURCE: Record<string, string> = { page: '页面所载日期', list: '栏目列表日期', first_seen: '首次抓取发现日' };

export const KIND: Record<string, string> = { government: '人民政府', department: '部门', township: '乡镇（街道）', other: '其他' };
export const SEVERITY: Record<string, string> = { error: '错误', warning: '警告', info: '提示' };
export const STATE: Record<string, string> = { open: '待审核', confirmed: '已确认', dismissed: '已驳回' };
export const HEALTH: Record<string, string> = { never: '未抓取', ok: '正常', empty: '无报告', drifted: '疑似改版', blocked: '被拦截', failing: '失败', failed: '失败', running: '抓取中' };
export const ROLE: Record<string, string> = { viewer: '只读', reviewer: '审核员', admin: '管理员' };
export const TABLE_STATUS: Record<string, string> = { ok: '已读取', doubtful: '解析存疑', absent: '未找到' };
export const AGENCY_STATUS: Record<string, string> = { confirmed: '已确认', unconfirmed: '待确认', merged: '已合并' };
export const SCOPE: Record<string, string> = { report: '单份报告', history: '跨年度比对', publication: '发布情况', peer: '同类单位比较' };
/** The CMS families of the crawled sites. */
export const PRESET: Record<string, string> = {
  trs: '拓尔思（TRS）',
  hanweb: '大汉（Hanweb）',
  vsb: '博达（VSB）',
  sitesources: '站群系统',
  pds: '平顶山栏目系统',
  generic: '通用网站',
};

const WAF: Record<string, string> = { ruishu: '瑞数', jiasule: '加速乐', block_page: '拦截页面' };
const CRAWL_ERROR: Record<string, string> = {
  timeout: '超时',
  redirects: '重定向过多',
  robots: 'robots.txt 不允许',
  soft_404: '页面不存在',
  too_large: '文件过大',
  not_report: '不是年度报告',
  not_imported: '未能入库',
  network: '网络错误',
  interrupted: '抓取中断',
  too_deep: '网页嵌套过深',
};

/** A crawl error kind (timeout, http_503, blocked:jiasule, failed:…) in Chinese. */
export function crawlError(kind: string): string {
  const [head, rest] = [kind.split(':')[0]!, kind.slice(kind.indexOf(':') + 1)];
  if (head === 'blocked') return `被网站防护拦截（${WAF[rest] ?? '其他防护'}）`;
  if (head === 'failed') return rest && /[\u4e00-\u9fff]/.test(rest) ? `未能读取：${rest}` : '未能读取';
  const http = /^http_(\d+|\dxx)$/.exec(kind);
  if (http) return `网站返回错误（HTTP ${http[1]}）`;
  return CRAWL_ERROR[kind] ?? '其他错误';
}

/** A crawl run's note, with any protection service named in Chinese (the crawler writes its code). */
export function crawlNote(note: string): string {
  return note.replace(/\b(ruishu|jiasule|block_page)\b/g, (w) => WAF[w] ?? w).replace(/\bblocked:(\w+)/g, (_, w: string) => `被拦截（${WAF[w] ?? '其他防护'}）`);
}

export const AUDIT_ACTION: Record<string, string> = {
  'finding.confirmed': '确认问题',
  'finding.dismissed': '驳回问题',
  'finding.open': '重新打开问题',
  'figure.correct': '更正读数',
  'agency.confirm': '确认单位',
  'agency.merge': '合并单位',
  'crawl.run': '立即抓取',
  'account.create': '新建账号',
  'account.disable': '停用账号',
  'account.enable': '启用账号',
  'account.reset': '重置密码',
  'account.password': '修改本人密码',
};
export const auditAction = (a: string) => AUDIT_ACTION[a] ?? '其他操作';

const FAMILY: Record<string, string> = { XY: '跨年度比对', PUB: '发布情况', S2: '第二部分', S3: '第三部分', S4: '第四部分', T: '文字部分' };

/** A rule's title (what it checks), never its id; `XY.*` is a family of rules. */
export function ruleTitle(id: string): string {
  const family = /^([A-Z0-9]+)\.\*$/.exec(id);
  if (family) return `${FAMILY[family[1]!] ?? '一组'}的各项检查`;
  return RULE_BY_ID.get(id)?.title ?? '其他检查';
}

const stripNote = (label: string) => label.replace(/（[^）]*）$/, (m, at: number) => (at === 0 ? m : ''));

const TEXT: Record<string, string> = {
  'text.proactive_items': '正文所述主动公开信息条数',
  'text.requests_received': '正文所述收到申请数',
  'text.requests_closed': '正文所述办结申请数',
  'text.review_cases': '正文所述行政复议案件数',
  'text.suit_cases': '正文所述行政诉讼案件数',
  'meta.format': '报告所用格式',
  'meta.opening': '正文开头的年份',
  'meta.period': '统计期限',
  'meta.published': '发布日期',
  'meta.section6': '第六部分的年份',
  'meta.title': '标题',
  narrative: '全文',
  document: '整份报告',
};

/** A figure's cell as the table prints it, e.g. "三、（一）予以公开 · 自然人"; "2023:…" is the year before's. */
export function cellLabel(key: string): string {
  const year = /^(\d{4}):(.+)$/.exec(key);
  if (year) return `${year[1]} 年度${cellLabel(year[2]!)}`;
  const parts = key.split('.');
  if (key in TEXT) return TEXT[key]!;
  if (parts[0] === 'section') return `第${parts[1]}部分文字`;
  if (parts[0] === 's3') {
    const rowKey = parts.slice(0, -1).join('.');
    const col = S3_COLUMNS.find((c) => c.key === parts[parts.length - 1]);
    const rows = [...S3_ROWS['2021'], ...S3_ROWS['2019']];
    const row = rows.find((r) => r.key === rowKey);
    if (row && col) {
      const group = rows.find((r) => r.group && rowKey.startsWith(`${r.key}.`));
      const label = `${group ? `${stripNote(group.label)} ` : ''}${stripNote(row.label)}`;
      return `${label.startsWith('（') ? '三、' : ''}${label} · ${col.label}`;
    }
    return '第三部分的其他数值';
  }
  if (parts[0] === 's4') {
    const g = S4_GROUPS.find((x) => x.key === parts[1]);
    const c = S4_COLUMNS.find((x) => x.key === parts[2]);
    return g && c ? `${g.label} · ${c.label}` : '第四部分的其他数值';
  }
  if (parts[0] === 's2') {
    for (const t of [...S2_TABLES['2021'], ...S2_TABLES['2019']]) {
      const r = t.rows.find((x) => x.key === `${parts[0]}.${parts[1]}`);
      const c = t.columns.find((x) => x.key === parts[2]);
      if (r && c) return `${r.label} · ${c.label}`;
    }
    return '第二部分的其他数值';
  }
  return '其他数值';
}

/** What an audit entry is about, in words (its target is `finding:N`, `version:N:key`, `agency:N`, `account:N`, `source:ID`). */
export function auditTarget(target: string, names: { agency?: string | null; rule?: string | null; account?: string | null; source?: string | null; year?: number | null }): string {
  const [kind, , key] = target.split(':');
  if (kind === 'finding') return `问题：${names.rule ? ruleTitle(names.rule) : '（已删除）'}${names.year ? `（${names.year} 年度）` : ''}`;
  if (kind === 'version') return `读数：${key ? cellLabel(key) : '—'}`;
  if (kind === 'agency') return `单位：${names.agency ?? '—'}`;
  if (kind === 'account') return `账号：${names.account ?? '—'}`;
  if (kind === 'source') return `抓取站点：${names.source ?? '—'}`;
  return '—';
}

/** A cell of the coverage grid, as the screen and the exports print it: "逾期 107 天", "按时发布 · 有错误 2". */
export function cellText(c: { status: string; lateDays: number; errors: number }): string {
  const status = c.status === 'late' ? `逾期 ${c.lateDays} 天` : (STATUS[c.status] ?? '—');
  return c.errors > 0 ? `${status} · ${WITH_ERRORS} ${c.errors}` : status;
}

/** An agency's years in a league row: "逾期 107 天", or over several years "按时发布 2 · 未发布 1". */
export function statusSummary(statuses: Record<string, number>, daysLate: number | null): string {
  const entries = Object.entries(statuses).filter(([, n]) => n > 0);
  const years = entries.reduce((a, [, n]) => a + n, 0);
  if (years === 1) return entries[0]![0] === 'late' ? `逾期 ${daysLate ?? 0} 天` : (STATUS[entries[0]![0]] ?? '—');
  return Object.keys(STATUS)
    .filter((k) => statuses[k])
    .map((k) => (k === 'late' ? `逾期 ${statuses[k]} 年（共 ${daysLate ?? 0} 天）` : `${STATUS[k]} ${statuses[k]}`))
    .join(' · ');
}

/** A moment as Beijing time, "2025-03-10 09:30". */
export function auditDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

// The Chinese the app shows for the API's codes, and how numbers are printed.

export const STATUS: Record<string, string> = {
  found: '按时发布',
  late: '逾期发布',
  errors: '有错误',
  image_only: '仅有图片',
  missing: '未发布',
  pending: '未到期',
};
/** Colours of the statuses, the same in the coverage grid and the charts. */
export const STATUS_COLOUR: Record<string, string> = {
  found: '#3a8f5c',
  late: '#d89614',
  errors: '#c8372d',
  image_only: '#7a5bb5',
  missing: '#5b5b5b',
  pending: '#b9c2cc',
};
export const KIND: Record<string, string> = { government: '人民政府', department: '部门', township: '乡镇（街道）', other: '其他' };
export const SEVERITY: Record<string, string> = { error: '错误', warning: '警告', info: '提示' };
export const STATE: Record<string, string> = { open: '待审核', confirmed: '已确认', dismissed: '已驳回' };
export const HEALTH: Record<string, string> = { never: '未抓取', ok: '正常', empty: '无报告', drifted: '疑似改版', blocked: '被拦截', failing: '失败' };
export const ROLE: Record<string, string> = { viewer: '只读', reviewer: '审核员', admin: '管理员' };
export const TABLE_STATUS: Record<string, string> = { ok: '已读取', doubtful: '解析存疑', absent: '未找到' };

/** The report year whose deadline has passed most recently (reports are due in January of the next year). */
export function latestYear(now = new Date()): number {
  return now.getMonth() >= 1 ? now.getFullYear() - 1 : now.getFullYear() - 2;
}

export function num(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : v.toLocaleString('zh-CN', { maximumFractionDigits: 2 });
}

export function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
}

export function date(v: string | null | undefined): string {
  if (!v) return '—';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return v;
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export function day(v: string | null | undefined): string {
  if (!v) return '—';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });
}

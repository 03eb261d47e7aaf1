// A readable Chinese summary of one parsed report, for the terminal.
import { SEVERITY_LABEL } from '../checks/index.js';
import { S3_COLUMNS } from '../parser/layout.js';
import type { ParsedReport } from '../parser/types.js';

const STATUS = { report: '完整报告', partial: '不完整', not_report: '不是年度报告' } as const;
const TABLE_STATUS = { ok: '已读取', doubtful: '读取存疑', absent: '未找到' } as const;
const S3_SUMMARY_ROWS: Array<[string, string]> = [
  ['s3.new', '一、本年新收'],
  ['s3.carried_in', '二、上年结转'],
  ['s3.total', '（七）总计'],
  ['s3.carried_out', '四、结转下年度'],
];

function cell(r: ParsedReport, key: string): string {
  const v = r.values[key];
  return v === undefined ? (r.missing.includes(key) ? '空' : '?') : String(v);
}

export function summary(r: ParsedReport): string {
  const out: string[] = [];
  out.push(`文件：${r.source.file ?? r.source.url ?? ''}`);
  out.push(`标题：${r.title ?? '（未读到）'}`);
  out.push(`机构：${r.agency ?? '（未读到）'}　年度：${r.year ?? '（未读到）'}　格式：${r.format === 'unknown' ? '未知' : `${r.format} 年格式`}　状态：${STATUS[r.status]}`);
  out.push(`章节：${r.sections.join(' ') || '无'}　表格：第二部分${TABLE_STATUS[r.tables.s2]}，第三部分${TABLE_STATUS[r.tables.s3]}，第四部分${TABLE_STATUS[r.tables.s4]}`);
  if (r.tables.s3 !== 'absent') {
    out.push('第三部分（申请情况）：');
    out.push('  ' + ['', ...S3_COLUMNS.map((c) => c.label)].map((s, i) => (i === 0 ? s.padEnd(14, '　') : s)).join('\t'));
    for (const [row, label] of S3_SUMMARY_ROWS) {
      out.push('  ' + [label.padEnd(8, '　'), ...S3_COLUMNS.map((c) => cell(r, `${row}.${c.key}`))].join('\t'));
    }
  }
  const proactive = r.values['text.proactive_items'];
  if (proactive !== undefined) out.push(`正文所述主动公开信息：${proactive} 条`);
  out.push(r.findings.length ? `发现问题 ${r.findings.length} 项：` : '未发现问题。');
  for (const f of r.findings) out.push(`  [${SEVERITY_LABEL[f.severity]}] ${f.rule}　${f.message}`);
  if (r.notChecked.length) {
    out.push(`未检查 ${r.notChecked.length} 项：`);
    for (const n of r.notChecked) out.push(`  ${n.rule}：${n.reason}`);
  }
  if (r.warnings.length) {
    out.push(`解析提示（非机关错误）${r.warnings.length} 条：`);
    for (const w of r.warnings) out.push(`  ${w}`);
  }
  return out.join('\n');
}

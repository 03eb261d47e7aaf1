// The 通报 draft (DOCX) for a region and year, from the one definition of statuses — the
// same counts as the overview: the agencies that have not published, those that published
// late (with the days and the date's source), and those whose reports have errors. Which
// errors count is the reviewer's choice, and the draft says it: only those a reviewer
// confirmed, or all not dismissed. It is dated, with the data's as-of time.
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/client.js';
import { dataAsOf, statusRows } from '../store/status.js';
import { DATE_SOURCE } from './words.js';

export type NoticeErrors = 'confirmed' | 'open';

const para = (text: string, opts: { bold?: boolean; indent?: boolean } = {}) =>
  new Paragraph({ children: [new TextRun({ text, bold: opts.bold, font: '仿宋_GB2312', size: 32 })], indent: opts.indent ? { firstLine: 640 } : undefined, spacing: { line: 560 } });

const cnDate = (iso: string) => {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${y}年${m}月${d}日`;
};
const beijing = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString();

export interface Notice {
  title: string;
  missing: string[];
  late: Array<{ agency: string; days: number; publishedOn: string; source: string; deadline: string }>;
  errors: Array<{ agency: string; messages: string[] }>;
  errorsCounted: NoticeErrors;
  asOf: string | null;
  date: string;
}

export async function noticeOf(db: Db, region: string, regionName: string, year: number, counted: NoticeErrors, now = new Date()): Promise<Notice> {
  const rows = await statusRows(db, { region, from: year, to: year });
  const messages = rowsOf<{ agency_id: number; message: string }>(
    await db.execute(sql`
      select x.agency_id, x.message
      from findings x join agencies a on a.id = x.agency_id
      where x.active and x.year = ${year} and x.severity = 'error' and x.rule not in ('PUB.LATE', 'PUB.MISSING', 'PUB.IMAGE_ONLY')
        and ${counted === 'confirmed' ? sql`x.state = 'confirmed'` : sql`x.state <> 'dismissed'`}
        and coalesce(a.region_code, '') like ${`${region}%`}
      order by x.agency_id, x.rule, x.id`),
  );
  const byAgency = new Map<number, string[]>();
  for (const m of messages) byAgency.set(m.agency_id, [...(byAgency.get(m.agency_id) ?? []), m.message]);
  return {
    title: `关于${regionName}${year}年度政府信息公开工作年度报告检查情况的通报（草稿）`,
    missing: rows.filter((r) => r.status === 'missing').map((r) => r.name),
    late: rows
      .filter((r) => r.status === 'late')
      .map((r) => ({ agency: r.name, days: r.lateDays, publishedOn: r.publishedOn!, source: DATE_SOURCE[r.dateSource ?? ''] ?? '发布日期', deadline: r.deadline })),
    errors: rows.filter((r) => byAgency.has(r.agencyId)).map((r) => ({ agency: r.name, messages: byAgency.get(r.agencyId)! })),
    errorsCounted: counted,
    asOf: await dataAsOf(db, region),
    date: beijing(now).slice(0, 10),
  };
}

export async function noticeDocx(n: Notice, regionName: string, year: number): Promise<Buffer> {
  const none = [para('无。', { indent: true })];
  const body: Paragraph[] = [
    new Paragraph({
      heading: HeadingLevel.TITLE,
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ text: n.title, bold: true, font: '方正小标宋简体', size: 44 })],
    }),
    para(
      `根据《中华人民共和国政府信息公开条例》第四十九条、第五十条和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）要求，现将${regionName}各单位${year}年度政府信息公开工作年度报告检查情况通报如下。`,
      { indent: true },
    ),
    para(`本通报数据截至${n.asOf ? `${cnDate(beijing(new Date(n.asOf)))} ${beijing(new Date(n.asOf)).slice(11, 16)}` : '（尚无数据）'}。`, { indent: true }),
    para(`一、未发布年度报告的单位（${n.missing.length} 个）`, { bold: true }),
    ...(n.missing.length ? n.missing.map((a, i) => para(`${i + 1}. ${a}`, { indent: true })) : none),
    para(`二、逾期发布年度报告的单位（${n.late.length} 个）`, { bold: true }),
    ...(n.late.length
      ? n.late.map((r, i) => para(`${i + 1}. ${r.agency}：逾期 ${r.days} 天（期限${cnDate(r.deadline)}，发布于${cnDate(r.publishedOn)}，依据${r.source}）。`, { indent: true }))
      : none),
    para(`三、年度报告存在错误的单位（${n.errors.length} 个）`, { bold: true }),
    para(n.errorsCounted === 'confirmed' ? '本部分仅列审核人员已确认的错误。' : '本部分列出未被审核人员驳回的全部错误（含尚待审核的）。', { indent: true }),
    ...(n.errors.length ? n.errors.flatMap((e, i) => [para(`${i + 1}. ${e.agency}`, { indent: true }), ...e.messages.map((m, k) => para(`（${k + 1}）${m}。`, { indent: true }))]) : none),
    para('请以上单位对照问题认真整改，于收到通报后 15 个工作日内更正年度报告并反馈整改情况。', { indent: true }),
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: cnDate(n.date), font: '仿宋_GB2312', size: 32 })] }),
  ];
  return Packer.toBuffer(new Document({ sections: [{ children: body }] }));
}

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

// The 通报 draft (DOCX): for a region and year, the agencies whose report is missing, late,
// or has errors a reviewer confirmed, each error in the plain Chinese of its finding.
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/client.js';

interface Row {
  agency: string;
  rule: string;
  message: string;
}

const para = (text: string, opts: { bold?: boolean; indent?: boolean } = {}) =>
  new Paragraph({ children: [new TextRun({ text, bold: opts.bold, font: '仿宋_GB2312', size: 32 })], indent: opts.indent ? { firstLine: 640 } : undefined, spacing: { line: 560 } });

export async function noticeDocx(db: Db, region: string, regionName: string, year: number): Promise<Buffer> {
  const rows = rowsOf<Row>(
    await db.execute(sql`
      select a.name as agency, x.rule, x.message
      from findings x join agencies a on a.id = x.agency_id
      where x.active and x.year = ${year} and coalesce(a.region_code, '') like ${`${region}%`}
        and ((x.rule in ('PUB.MISSING', 'PUB.LATE') and x.state <> 'dismissed') or (x.severity = 'error' and x.state = 'confirmed'))
      order by a.region_code, a.name, x.rule`),
  );
  const missing = [...new Set(rows.filter((r) => r.rule === 'PUB.MISSING').map((r) => r.agency))];
  const late = rows.filter((r) => r.rule === 'PUB.LATE');
  const errors = new Map<string, string[]>();
  for (const r of rows.filter((x) => !x.rule.startsWith('PUB.'))) errors.set(r.agency, [...(errors.get(r.agency) ?? []), r.message]);

  const body: Paragraph[] = [
    new Paragraph({
      heading: HeadingLevel.TITLE,
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ text: `关于${regionName}${year}年度政府信息公开工作年度报告检查情况的通报（草稿）`, bold: true, font: '方正小标宋简体', size: 44 })],
    }),
    para(
      `根据《中华人民共和国政府信息公开条例》第四十九条、第五十条和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）要求，现将${regionName}各单位${year}年度政府信息公开工作年度报告检查情况通报如下。`,
      { indent: true },
    ),
    para(`一、未按时发布年度报告的单位（${missing.length} 个）`, { bold: true }),
    ...(missing.length ? missing.map((a, i) => para(`${i + 1}. ${a}`, { indent: true })) : [para('无。', { indent: true })]),
    para(`二、逾期发布年度报告的单位（${late.length} 个）`, { bold: true }),
    ...(late.length ? late.map((r, i) => para(`${i + 1}. ${r.agency}：${r.message}。`, { indent: true })) : [para('无。', { indent: true })]),
    para(`三、年度报告存在错误的单位（${errors.size} 个）`, { bold: true }),
    ...(errors.size
      ? [...errors.entries()].flatMap(([agency, messages], i) => [
          para(`${i + 1}. ${agency}`, { indent: true }),
          ...messages.map((m, k) => para(`（${k + 1}）${m}。`, { indent: true })),
        ])
      : [para('无。', { indent: true })]),
    para('请以上单位对照问题认真整改，于收到通报后 15 个工作日内更正年度报告并反馈整改情况。', { indent: true }),
  ];
  return Packer.toBuffer(new Document({ sections: [{ children: body }] }));
}

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

// The store, on embedded PGlite and (with TEST_DATABASE_URL) on real PostgreSQL: import
// with history, versions, findings whose review survives, corrections, cross-year and
// publication checks, crashes and concurrent importers.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PARSER, parseDocument, parseLines, readDocument } from '../parser/index.js';
import type { Line } from '../parser/types.js';
import type { Store } from '../server/db/client.js';
import { agencies, auditLog, documents, figures, findings, importFailures, parserRuns, regions, reportVersions, reports } from '../server/db/schema.js';
import { resolveAgency, reviewAgency } from '../server/store/agencies.js';
import { StoreMemo } from '../server/store/figures.js';
import { reviewFinding } from '../server/store/findings.js';
import { importDocument, type ImportInput } from '../server/store/import.js';
import { reparse } from '../server/store/reparse.js';
import { checkMissing, correctValue, loadVersion, recheckYear } from '../server/store/reports.js';
import { seed, seedBytes } from './support/seeds.js';
import { backends, emptyStore, reportText } from './support/store.js';

const BIN = fileURLToPath(new URL('../bin/nianjian.mjs', import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), 'nianjian-store-'));

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; signal: string | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: '', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

describe.each(backends(tmp))('store on $name', (backend) => {
  let store: Store;
  let memo: StoreMemo;
  let runId: number;
  const imp = (input: Partial<ImportInput> & Pick<ImportInput, 'bytes'>) => importDocument(store.db, memo, { source: 'test.txt', runId, ...input });
  const active = (rule: string) =>
    store.db.select().from(findings).where(and(eq(findings.rule, rule), eq(findings.active, true)));

  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(async () => {
    await store.close();
    await backend.dispose();
  });
  beforeEach(async () => {
    await emptyStore(store);
    memo = new StoreMemo(store.db);
    [{ id: runId }] = (await store.db.insert(parserRuns).values({ parser: PARSER, kind: 'import' }).returning({ id: parserRuns.id })) as [{ id: number }];
  });

  it('holds the GB/T 2260 tree with Henan complete', async () => {
    const henan = await store.db.select().from(regions).where(sql`${regions.code} like '41%'`);
    expect(henan.filter((r) => r.level === 'city')).toHaveLength(18);
    expect(henan.filter((r) => r.level === 'county')).toHaveLength(181);
    expect(henan.find((r) => r.code === '410307')).toMatchObject({ name: '偃师区', parentCode: '4103' });
  });

  it('gives back exactly the figures and evidence the parser read', async () => {
    const bytes = seedBytes(seed('003').file);
    const r = await imp({ bytes });
    expect(r.outcome).toBe('inserted');
    const stored = await loadVersion(store.db, memo, r.versionId!);
    const parsed = parseDocument({ bytes, file: 'test.txt' });
    expect(stored!.values).toEqual(parsed.values);
    expect(stored!.missing).toEqual(parsed.missing);
    expect(stored!.evidence).toEqual(parsed.evidence);
    expect(stored!.values['s2.fees.amount']).toBe(2561.768);
    const [agency] = await store.db.select().from(agencies);
    expect(agency).toMatchObject({ name: '郏县人民政府', kind: 'government', regionCode: '410425', status: 'unconfirmed' });
  });

  it('stores a PDF with its media type sniffed and every figure’s page and box; an encrypted one fails with its reason, its bytes kept', async () => {
    const pdf = readFileSync(new URL('./fixtures/documents/003.pdf', import.meta.url));
    const r = await imp({ bytes: pdf, source: 'https://example.jiaxian.gov.cn/P0202501.pdf' });
    expect(r.outcome).toBe('inserted');
    const stored = await loadVersion(store.db, memo, r.versionId!);
    const parsed = await readDocument({ bytes: pdf, file: 'https://example.jiaxian.gov.cn/P0202501.pdf' });
    expect(stored!.values).toEqual(parsed.values);
    expect(stored!.evidence['s3.total.total']).toEqual(parsed.evidence['s3.total.total']);
    expect(stored!.evidence['s3.total.total']).toMatchObject({ page: 3, box: expect.any(Array) });
    expect(await store.db.select({ mediaType: documents.mediaType }).from(documents)).toEqual([{ mediaType: 'application/pdf' }]);
    const locked = readFileSync(new URL('./fixtures/documents/003-encrypted.pdf', import.meta.url));
    expect(await imp({ bytes: locked, source: 'locked.pdf' })).toMatchObject({ outcome: 'failed', reason: 'PDF 已加密（需要密码才能打开），无法读取' });
    expect(await store.db.select({ size: documents.size }).from(documents).where(eq(documents.size, locked.length))).toHaveLength(1);
  });

  it('makes importing the same document again a noop', async () => {
    const bytes = reportText('郏县人民政府', 2024);
    expect((await imp({ bytes })).outcome).toBe('inserted');
    expect((await imp({ bytes })).outcome).toBe('noop');
    expect(await store.db.select().from(reportVersions)).toHaveLength(1);
    expect(await store.db.select().from(documents)).toHaveLength(1);
  });

  it('keeps every version: a changed document is a new version, the old one stays', async () => {
    const first = await imp({ bytes: reportText('郏县人民政府', 2024), source: 'https://example.jiaxian.gov.cn/nb/2024.html' });
    const second = await imp({
      bytes: reportText('郏县人民政府', 2024, (m) => (m.values['s4.review.total'] = 8)),
      source: 'https://example.jiaxian.gov.cn/nb/2024.html',
    });
    expect(second).toMatchObject({ outcome: 'updated', reportId: first.reportId });
    const [report] = await store.db.select().from(reports);
    expect(report!.currentVersionId).toBe(second.versionId);
    expect((await loadVersion(store.db, memo, first.versionId!))!.values['s4.review.total']).toBe(7);
    expect((await loadVersion(store.db, memo, second.versionId!))!.values['s4.review.total']).toBe(8);
    expect(await active('PUB.CHANGED')).toHaveLength(1);
    expect(await active('S4.GROUP_TOTAL')).toHaveLength(1);
  });

  it('keeps a reviewer’s dismissal through a re-parse, and reports what a re-parse changed', async () => {
    const r = await imp({ bytes: reportText('郏县人民政府', 2024, (m) => (m.values['s4.review.total'] = 8)) });
    const [finding] = await active('S4.GROUP_TOTAL');
    await reviewFinding(store.db, { id: finding!.id, state: 'dismissed', reviewer: '张审核', comment: '原件如此，已电话核实' });
    // as if the version had been read by an older parser
    await store.db.update(reportVersions).set({ parser: 'nianbao 0.9.0' }).where(eq(reportVersions.id, r.versionId!));
    await store.db.update(figures).set({ vals: sql`array_replace(${figures.vals}, 8, 9)` }).where(eq(figures.versionId, r.versionId!));
    const summary = await reparse(store.db, memo);
    expect(summary).toMatchObject({ read: 1, changed: 1, failed: 0 });
    expect(summary.changes).toContainEqual({ versionId: r.versionId, item: 's4.review.total', before: 9, after: 8 });
    const [after] = await active('S4.GROUP_TOTAL');
    expect(after).toMatchObject({ id: finding!.id, state: 'dismissed', reviewer: '张审核', comment: '原件如此，已电话核实' });
    expect(await store.db.select().from(auditLog)).toEqual([expect.objectContaining({ actor: '张审核', action: 'finding.dismissed', target: `finding:${finding!.id}` })]);
    expect((await reparse(store.db, memo)).read).toBe(0);
  });

  it('catches XY.CARRY per column across two years of one agency, whichever year arrives first', async () => {
    const y2024 = reportText('郏县人民政府', 2024, (m) => {
      m.values['s3.carried_in.natural'] = 1;
      m.values['s3.carried_in.total'] = 1;
      m.values['s3.new.natural'] = 34;
      m.values['s3.new.total'] = 35;
    });
    const y2023 = reportText('郏县人民政府', 2023, (m) => {
      m.values['s3.carried_out.natural'] = 2;
      m.values['s3.carried_out.total'] = 2;
      m.values['s3.new.natural'] = 37;
      m.values['s3.new.total'] = 38;
    });
    await imp({ bytes: y2024 });
    expect(await active('XY.CARRY')).toEqual([]);
    await imp({ bytes: y2023, source: '2023.txt' });
    const carry = await active('XY.CARRY');
    expect(carry.map((f) => [f.year, f.severity, f.cells, f.expected, f.actual]).sort()).toEqual([
      [2024, 'error', ['2023:s3.carried_out.total', 's3.carried_in.total'], 2, 1],
      [2024, 'warning', ['2023:s3.carried_out.natural', 's3.carried_in.natural'], 2, 1],
    ]);
    expect(carry.find((f) => f.severity === 'error')!.message).toBe('本年“上年结转”总计栏为 1，但上一年度报告“结转下年度继续办理”为 2');
    // every single-report rule passed on both; the two years also share their narrative
    // word for word (XY.COPY, § 一 and § 五) and their 规范性文件 stock (31 ≠ 31 + 3 − 10)
    const all = await store.db.select().from(findings).where(eq(findings.active, true));
    expect(all.map((f) => f.rule).sort()).toEqual(['XY.CARRY', 'XY.CARRY', 'XY.COPY', 'XY.COPY', 'XY.DOC_STOCK']);
    expect(all.find((f) => f.rule === 'XY.DOC_STOCK')).toMatchObject({ expected: 24, actual: 31 });
    expect(all.filter((f) => f.rule === 'XY.COPY').map((f) => f.message).sort()).toEqual(['第一部分与上一年度报告高度雷同（相似度 100%）', '第五部分与上一年度报告高度雷同（相似度 100%）']);
  });

  it('keeps a reviewer’s correction beside the original and re-runs the checks', async () => {
    const r = await imp({ bytes: reportText('郏县人民政府', 2024, (m) => (m.values['s4.review.total'] = 8)) });
    expect(await active('S4.GROUP_TOTAL')).toHaveLength(1);
    await correctValue(store.db, memo, { versionId: r.versionId!, key: 's4.review.total', value: 7, author: '李审核', reason: '原件为 7，解析有误' });
    expect(await active('S4.GROUP_TOTAL')).toEqual([]);
    expect((await loadVersion(store.db, memo, r.versionId!))!.values['s4.review.total']).toBe(7);
    const [row] = await store.db.select().from(figures);
    expect(row!.vals).toContain(8);
    expect(await store.db.select().from(auditLog)).toEqual([expect.objectContaining({ actor: '李审核', action: 'figure.correct' })]);
    await expect(correctValue(store.db, memo, { versionId: r.versionId!, key: 's4.review.total', value: 7, author: '李审核', reason: ' ' })).rejects.toThrow('理由');
  });

  it('makes unknown agencies unconfirmed; a merge turns a name into an alias', async () => {
    const variant = await resolveAgency(store.db, '郏县卫健委');
    const official = await resolveAgency(store.db, '郏县卫生健康委员会');
    expect(variant.created && official.created).toBe(true);
    expect(official).toMatchObject({ status: 'unconfirmed', kind: 'department', regionCode: '410425' });
    await imp({ bytes: reportText('郏县卫健委', 2023), source: 'variant-2023.txt' });
    await imp({ bytes: reportText('郏县卫生健康委员会', 2022), source: 'official-2022.txt' });
    expect(await reviewAgency(store.db, { id: variant.id, actor: '王管理', action: 'merge', into: official.id })).toEqual([2023]);
    await imp({ bytes: reportText('郏县卫健委', 2024) });
    const all = await store.db.select().from(reports);
    expect(all.map((r) => [r.year, r.agencyId]).sort()).toEqual([[2022, official.id], [2023, official.id], [2024, official.id]]);
    expect(await store.db.select().from(auditLog)).toEqual([expect.objectContaining({ action: 'agency.merge', actor: '王管理' })]);
  });

  it('refuses to merge two agencies that both have a report for the same year', async () => {
    await imp({ bytes: reportText('郏县教体局', 2022), source: 'a.txt' });
    await imp({ bytes: reportText('郏县教育体育局', 2022), source: 'b.txt' });
    const [a, b] = await store.db.select().from(agencies).orderBy(agencies.id);
    await expect(reviewAgency(store.db, { id: a!.id, actor: '王管理', action: 'merge', into: b!.id })).rejects.toThrow('两个机构在 2022 年都有年度报告，不能直接合并，请先核对');
    expect((await store.db.select().from(agencies).where(eq(agencies.id, a!.id)))[0]!.status).toBe('unconfirmed');
  });

  it('keeps one agency across a place rename (偃师市 → 偃师区)', async () => {
    await imp({ bytes: reportText('偃师市住房和城乡建设局', 2020), source: '2020.txt' });
    await imp({ bytes: reportText('偃师区住房和城乡建设局', 2021), source: '2021.txt' });
    const all = await store.db.select().from(agencies);
    expect(all.map((a) => [a.name, a.regionCode])).toEqual([['偃师区住房和城乡建设局', '410307']]);
    expect((await store.db.select().from(reports)).map((r) => r.year).sort()).toEqual([2020, 2021]);
  });

  it('raises PUB.WRONG_DOCUMENT for a page filed as a report that is none', async () => {
    const notice = Buffer.from('<html><body><h1>关于做好2024年度政府信息公开工作年度报告编制工作的通知</h1><p>各单位：请于1月31日前报送。</p></body></html>');
    const r = await imp({ bytes: notice, mediaType: 'text/html', agency: '郏县教育局', year: 2024 });
    expect(r.outcome).toBe('inserted');
    expect((await active('PUB.WRONG_DOCUMENT')).map((f) => f.severity)).toEqual(['error']);
    expect((await imp({ bytes: notice, mediaType: 'text/html', source: 'other.html' })).outcome).toBe('failed');
  });

  it('records a failure with its reason and keeps the raw document', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251));
    const r = await imp({ bytes: garbage, source: 'scan.bin' });
    expect(r).toMatchObject({ outcome: 'failed', reason: '不是文本文件（含大量不可打印字符）' });
    expect(await store.db.select({ size: documents.size }).from(documents)).toEqual([{ size: 4096 }]);
    expect(await store.db.select({ source: importFailures.source, reason: importFailures.reason }).from(importFailures)).toEqual([
      { source: 'scan.bin', reason: '不是文本文件（含大量不可打印字符）' },
    ]);
  });

  it('raises PUB.LATE after the deadline of the agency’s kind', async () => {
    await imp({ bytes: reportText('偃师区住房和城乡建设局', 2024), publishedAt: '2025-02-15' });
    await imp({ bytes: reportText('郏县人民政府', 2024), publishedAt: '2025-02-15' });
    const late = await active('PUB.LATE');
    expect(late.map((f) => [f.message])).toEqual([['年度报告于 2025-02-15 发布，晚于 2025-01-31 的期限']]);
  });

  it('raises PUB.IMAGE_ONLY for a report read from an image (every figure with an OCR confidence)', async () => {
    const text = reportText('郏县人民政府', 2024).toString('utf8');
    const lines: Line[] = text
      .split('\n')
      .filter(Boolean)
      .map((t, i) => ({ kind: 'text', pos: { line: i + 1, page: 1 }, cells: [{ text: t, pos: { line: i + 1, page: 1 }, confidence: 0.97 }] }));
    const scan = parseLines({ lines, meta: { mediaType: 'image/png' } });
    await imp({ bytes: reportText('郏县人民政府', 2024) });
    const [agency] = await store.db.select().from(agencies);
    const [report] = await store.db.select().from(reports);
    await recheckYear(store.db, memo, agency!, 2024, { current: { reportId: report!.id, versionId: report!.currentVersionId!, report: scan, fresh: false } });
    expect((await active('PUB.IMAGE_ONLY')).map((f) => [f.severity, f.actual])).toEqual([['warning', 'image/png']]);
    await recheckYear(store.db, memo, agency!, 2024);
    expect(await active('PUB.IMAGE_ONLY')).toEqual([]);
  });

  it('raises PUB.MISSING for a confirmed agency once the deadline and grace have passed', async () => {
    await imp({ bytes: reportText('郏县人民政府', 2024) });
    const [a] = await store.db.select().from(agencies);
    await reviewAgency(store.db, { id: a!.id, actor: '王管理', action: 'confirm' });
    await checkMissing(store.db, new Date('2025-06-01T00:00:00+08:00'));
    expect((await active('PUB.MISSING')).map((f) => f.year).sort()).toEqual([2021, 2022, 2023]);
    await imp({ bytes: reportText('郏县人民政府', 2023), source: '2023.txt' });
    await checkMissing(store.db, new Date('2025-06-01T00:00:00+08:00'));
    expect((await active('PUB.MISSING')).map((f) => f.year).sort()).toEqual([2021, 2022]);
  });

  it.each(['before-write', 'after-write'])('leaves no half-written report when the importing process is killed (%s)', async (point) => {
    const dir = tmp();
    const file = join(dir, 'report.txt');
    writeFileSync(file, reportText('郏县人民政府', 2024, (m) => (m.values['s4.review.total'] = 8)));
    await store.close();
    const crashed = await cli(['import', file], { ...backend.env(), NIANJIAN_CRASH_AT: point });
    expect(crashed.signal).toBe('SIGKILL');
    store = await backend.open();
    // the document is written with its version, or not at all: the retry imports it whole
    expect(await store.db.select({ size: documents.size }).from(documents)).toHaveLength(point === 'before-write' ? 0 : 1);
    const stored = await store.db.select().from(reports);
    const versions = await store.db.select().from(reportVersions);
    const rows = await store.db.select().from(figures);
    if (point === 'before-write') expect([stored, versions, rows]).toEqual([[], [], []]);
    else {
      // written whole: report, version, figures, pointer and the report's own finding
      expect(stored).toEqual([expect.objectContaining({ currentVersionId: versions[0]!.id })]);
      expect(rows.map((r) => r.versionId)).toEqual([versions[0]!.id]);
      expect(await active('S4.GROUP_TOTAL')).toHaveLength(1);
    }
    await store.close();
    const retry = await cli(['import', file], backend.env());
    expect(retry.out).toBe(point === 'before-write' ? 'inserted 1, updated 0, noop 0, failed 0\n' : 'inserted 0, updated 0, noop 1, failed 0\n');
    store = await backend.open();
  });

  it.runIf(backend.name === 'postgres')('runs two importers at once without duplicates', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'in'));
    const names = ['郏县人民政府', '偃师区住房和城乡建设局', '偃师区工业和信息化局', '文峰区行政审批和政务信息管理局'];
    for (const n of names) for (const y of [2022, 2023, 2024]) writeFileSync(join(dir, 'in', `${n}-${y}.txt`), reportText(n, y));
    const [a, b] = await Promise.all([cli(['import', join(dir, 'in')], backend.env()), cli(['import', join(dir, 'in')], backend.env())]);
    const counts = [a, b].map((r) => r.out.match(/inserted (\d+), updated (\d+), noop (\d+), failed (\d+)/)!.slice(1).map(Number));
    expect(counts[0]![0]! + counts[1]![0]!).toBe(12);
    expect(counts[0]![2]! + counts[1]![2]!).toBe(12);
    expect(counts.every((c) => c[1] === 0 && c[3] === 0)).toBe(true);
    expect(await store.db.select().from(reports)).toHaveLength(12);
    expect(await store.db.select().from(reportVersions)).toHaveLength(12);
    expect(await store.db.select().from(agencies)).toHaveLength(4);
  });
});

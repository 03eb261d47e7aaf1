// The HTTP API on PGlite and (with TEST_DATABASE_URL) PostgreSQL: every route group's
// happy path and errors, roles and region scoping, injection attempts, inert scraped
// text, downloads, and exports opened and read back.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { createAccount } from '../server/auth/accounts.js';
import type { Store } from '../server/db/client.js';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../server/db/client.js';
import { SEEDS, seedBytes } from './support/seeds.js';
import { backends, emptyStore, importer, reportText } from './support/store.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nianjian-server-'));
const PASSWORD = 'correct horse battery';

describe.each(backends(tmp))('API on $name', (backend) => {
  let store: Store;
  let app: FastifyInstance;
  const cookies: Record<string, string> = {};
  const ids: Record<string, number> = {};

  async function signIn(username: string): Promise<string> {
    const r = await app.inject({ method: 'POST', url: '/api/session', payload: { username, password: PASSWORD } });
    expect(r.statusCode).toBe(200);
    const c = r.cookies.find((x) => x.name === 'nj_session')!;
    return `nj_session=${c.value}`;
  }
  const get = (url: string, who = 'admin') => app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });
  const post = (url: string, payload: object, who = 'admin') => app.inject({ method: 'POST', url, payload, headers: { cookie: cookies[who]! } });

  beforeAll(async () => {
    store = await backend.open();
    await emptyStore(store);
    const imp = await importer(store);
    // 郏县 (平顶山 4104): 2023 and 2024, the 2024 report with a § 四 error and a script in its narrative
    ids.jia2023 = await imp(reportText('郏县人民政府', 2023), 'https://example.jiaxian.gov.cn/2023.html');
    ids.jia2024 = await imp(
      reportText('郏县人民政府', 2024, (m) => {
        m.values['s4.review.total'] = 8;
        m.narrative.五 += '\n<script>alert("xss")</script>';
      }),
      'https://example.jiaxian.gov.cn/2024.html',
      { publishedAt: '2025-03-10' },
    );
    // 偃师区 (洛阳 4103), outside a 平顶山 reviewer's region
    ids.yanshi = await imp(reportText('偃师区住房和城乡建设局', 2024), 'yanshi.txt');
    ids.formula = await imp(reportText('郏县某局', 2024), 'formula.txt', { agency: '=HYPERLINK("http://example.com/evil")郏县局' });
    // a name with an apostrophe, which ends the charset part of a careless filename*
    ids.quote = await imp(reportText("信息中心'试点", 2024), 'quote.txt', { agency: "信息中心'试点" });
    for (const [username, role, regionCode] of [
      ['admin', 'admin', null],
      ['viewer', 'viewer', null],
      ['pds', 'reviewer', '4104'],
    ] as const) {
      await createAccount(store.db, { username, password: PASSWORD, role, regionCode, actor: 'test' });
    }
    app = await buildApp(store);
    for (const u of ['admin', 'viewer', 'pds']) cookies[u] = await signIn(u);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await store.close();
    await backend.dispose();
  });

  describe('accounts', () => {
    it('refuses the API without a session, with a Chinese message', async () => {
      const r = await app.inject({ method: 'GET', url: '/api/league?year=2024' });
      expect(r.statusCode).toBe(401);
      expect(r.json()).toEqual({ error: 'unauthenticated', message: '请先登录' });
    });

    it('sets an httpOnly, SameSite=Strict session cookie and signs out', async () => {
      const r = await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'viewer', password: PASSWORD } });
      expect(r.headers['set-cookie']).toMatch(/HttpOnly/);
      expect(r.headers['set-cookie']).toMatch(/SameSite=Strict/);
      const cookie = `nj_session=${r.cookies[0]!.value}`;
      expect((await app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).json()).toMatchObject({ username: 'viewer', role: 'viewer' });
      await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } });
      expect((await app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode).toBe(401);
    });

    it('rate-limits failed logins', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push((await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'pds', password: 'wrong' }, remoteAddress: '10.9.9.9' })).statusCode);
      expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
      const held = await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'pds', password: PASSWORD }, remoteAddress: '10.9.9.9' });
      expect(held.statusCode).toBe(429);
      expect(held.json().message).toMatch(/^登录失败次数过多，请 \d+ 秒后再试$/);
    });

    it('lets only admins create accounts, with a password long enough', async () => {
      expect((await post('/api/accounts', { username: 'x1', password: PASSWORD, role: 'viewer' }, 'viewer')).statusCode).toBe(403);
      expect((await post('/api/accounts', { username: 'x1', password: 'short', role: 'viewer' })).statusCode).toBe(400);
      const ok = await post('/api/accounts', { username: 'x1', password: PASSWORD, role: 'viewer', regionCode: '4103' });
      expect(ok.json()).toMatchObject({ username: 'x1', role: 'viewer', regionCode: '4103' });
      expect((await post('/api/accounts', { username: 'x1', password: PASSWORD, role: 'viewer' })).json().message).toBe('用户名 x1 已存在');
    });
  });

  describe('league tables', () => {
    it('ranks a region’s agencies by a metric, with rates below the base shown as 样本不足', async () => {
      const r = (await get('/api/league?year=2024&region=41&sort=errors')).json();
      expect(r.total).toBe(2);
      expect(r.rows[0]).toMatchObject({ rank: 1, agency: { name: '郏县人民政府', regionCode: '410425' }, reports: 1 });
      // published 2025-03-10, within a 人民政府's deadline of 31 March
      expect(r.rows[0].metrics).toMatchObject({ requests_received: 36, closed: 36, licensing: 74833, fees: 2561.768, errors: 1, days_late: 0 });
      expect(r.rows[0].metrics.disclosure_rate).toBeCloseTo(13 / 36);
      expect(r.rows[0].insufficient).toEqual(['correction_rate']);
    });

    it('sums a range of years', async () => {
      const r = (await get('/api/league?from=2023&to=2024&region=410425&sort=requests_received')).json();
      expect(r.rows[0]).toMatchObject({ reports: 2, metrics: { requests_received: 72 } });
    });

    it('documents every metric with its formula', async () => {
      const m = (await get('/api/metrics')).json();
      expect(m.minBase).toBe(30);
      expect(m.metrics.find((x: { key: string }) => x.key === 'disclosure_rate')).toEqual({ key: 'disclosure_rate', label: '实质公开率', formula: '（予以公开 + 部分公开）÷ 办结（（七）总计）', kind: 'rate' });
    });

    it('refuses injection attempts in sort keys and filters', async () => {
      for (const url of [
        '/api/league?year=2024&sort=name;drop%20table%20findings',
        "/api/league?year=2024&region=41'%20or%20'1'='1",
        '/api/league?year=2024&order=desc;select',
        '/api/league?year=2024&kind=x%27',
      ]) {
        const r = await get(url);
        expect(r.statusCode).toBe(400);
        expect(r.json().message).toMatch(/^请求参数有误/);
      }
      const q = await get(`/api/agencies?q=${encodeURIComponent("%' or '1'='1")}`);
      expect(q.statusCode).toBe(200);
      expect(q.json()).toEqual([]);
    });
  });

  describe('region scoping', () => {
    it('keeps a city reviewer inside their city', async () => {
      const own = (await get('/api/league?year=2024', 'pds')).json();
      expect(own.region).toBe('4104');
      expect(own.rows.map((r: { agency: { name: string } }) => r.agency.name)).not.toContain('偃师区住房和城乡建设局');
      expect((await get('/api/league?year=2024&region=4103', 'pds')).statusCode).toBe(403);
      expect((await get(`/api/versions/${ids.yanshi}`, 'pds')).statusCode).toBe(403);
      expect((await get(`/api/versions/${ids.jia2024}`, 'pds')).statusCode).toBe(200);
    });
  });

  describe('coverage, agencies, reports', () => {
    it('gives coverage per agency and year', async () => {
      const r = (await get('/api/coverage?from=2023&to=2024&region=410425')).json();
      const jia = r.rows.find((x: { agency: { name: string } }) => x.agency.name === '郏县人民政府');
      expect(jia.cells['2023'].status).toBe('found');
      // 有错误 is beside the status, not instead of it: published 2025-03-10, within a 人民政府's 31 March
      expect(jia.cells['2024']).toMatchObject({ status: 'found', errors: 1, lateDays: 0, deadline: '2025-03-31', publishedOn: '2025-03-10', dateSource: 'page' });
    });

    it('gives an agency’s history: years, figures, versions with sources, findings', async () => {
      const list = (await get('/api/agencies?region=410425&q=人民政府')).json();
      const h = (await get(`/api/agencies/${list[0].id}`)).json();
      expect(h.agency).toMatchObject({ name: '郏县人民政府', regionName: '郏县' });
      // every year due since its first report, 2025 not found: 未发布, without waiting for a job
      expect(h.years.map((y: { year: number }) => y.year)).toEqual([2023, 2024, 2025]);
      expect(h.years[2]).toMatchObject({ reportId: null, status: { status: 'missing' } });
      expect(h.years[1].facts).toMatchObject({ newTotal: 36, reviewTotal: 8 });
      expect(h.years[1].versions[0].sources).toEqual(['https://example.jiaxian.gov.cn/2024.html']);
      expect(h.years[1].findings.map((f: { rule: string }) => f.rule)).toContain('S4.GROUP_TOTAL');
    });

    it('says which rules could not run and why', async () => {
      const first = (await get(`/api/versions/${ids.jia2023}`)).json();
      expect(first.notChecked).toEqual(expect.arrayContaining([{ rule: 'XY.*', reason: '没有 2022 年度报告可比较' }, { rule: 'PUB.LATE', reason: '发布日期未知' }]));
      const v = (await get(`/api/versions/${ids.jia2024}`)).json();
      expect(v.notChecked.map((n: { rule: string }) => n.rule)).not.toContain('PUB.LATE');
    });

    it('gives a version’s figures with evidence and its findings with their cells', async () => {
      const v = (await get(`/api/versions/${ids.jia2024}`)).json();
      expect(v.reading.values['s3.new.total']).toBe(36);
      expect(v.reading.evidence['s4.review.total']).toMatchObject({ printed: '8' });
      const f = v.findings.find((x: { rule: string }) => x.rule === 'S4.GROUP_TOTAL');
      expect(f).toMatchObject({ cells: ['s4.review.upheld', 's4.review.corrected', 's4.review.other', 's4.review.pending', 's4.review.total'], expected: 7, actual: 8, state: 'open' });
    });

    it('returns scraped text inert: as JSON strings, never as markup', async () => {
      const v = await get(`/api/versions/${ids.jia2024}`);
      expect(v.headers['content-type']).toMatch(/^application\/json/);
      expect(v.json().reading.narrative['五']).toContain('<script>alert("xss")</script>');
      const text = await get(`/api/versions/${ids.jia2024}/text`);
      expect(text.headers['content-type']).toMatch(/^application\/json/);
      expect(text.json().text).toContain('二、主动公开政府信息情况');
    });

    it('serves the original document as a download that the browser will not render', async () => {
      const d = await get(`/api/versions/${ids.jia2024}/document`);
      expect(d.statusCode).toBe(200);
      expect(d.headers['content-disposition']).toMatch(/^attachment; filename=.*filename\*=UTF-8''/);
      expect(decodeURIComponent(d.headers['content-disposition']!.split("''")[1]!)).toBe(`郏县人民政府-2024-版本${ids.jia2024}.bin`);
      expect(d.headers['x-content-type-options']).toBe('nosniff');
      expect(d.headers['content-security-policy']).toMatch(/sandbox/);
      expect(d.body).toContain('三、收到和处理政府信息公开申请情况');
    });

    it('refuses path traversal and unknown ids on downloads', async () => {
      expect((await get('/api/versions/..%2F..%2F..%2Fetc%2Fpasswd/document')).statusCode).toBe(400);
      expect((await get('/api/versions/999999/document')).json()).toEqual({ error: 'not_found', message: '报告版本不存在' });
    });

    it('diffs a version against the previous year', async () => {
      const d = (await get(`/api/versions/${ids.jia2024}/diff`)).json();
      expect(d.from.year).toBe(2023);
      expect(d.figures).toEqual([{ key: 's4.review.total', before: 7, after: 8 }]);
      expect(d.sections.find((s: { section: string }) => s.section === '一').similarity).toBe(1);
    });

    it('lists the rule catalogue with counts', async () => {
      const rules = (await get('/api/rules?year=2024')).json();
      expect(rules).toHaveLength(30);
      expect(rules.find((r: { id: string }) => r.id === 'S4.GROUP_TOTAL')).toMatchObject({ severity: 'error', open: 1 });
    });
  });

  describe('agencies and accounts', () => {
    it('lists accounts for admins only', async () => {
      expect((await get('/api/accounts', 'viewer')).statusCode).toBe(403);
      expect((await get('/api/accounts')).json().map((a: { username: string }) => a.username)).toEqual(expect.arrayContaining(['admin', 'viewer', 'pds']));
    });

    it('lets a reviewer confirm an unconfirmed agency, audited', async () => {
      const [a] = (await get('/api/agencies?region=410307&status=unconfirmed')).json();
      expect(a).toMatchObject({ name: '偃师区住房和城乡建设局', status: 'unconfirmed' });
      expect((await post(`/api/agencies/${a.id}/review`, { action: 'confirm' }, 'viewer')).statusCode).toBe(403);
      expect((await post(`/api/agencies/${a.id}/review`, { action: 'confirm' }, 'pds')).statusCode).toBe(403); // outside 平顶山
      expect((await post(`/api/agencies/${a.id}/review`, { action: 'merge' })).json().message).toBe('请指定要并入的另一个机构');
      expect((await post(`/api/agencies/${a.id}/review`, { action: 'confirm' })).json()).toEqual({ ok: true });
      expect((await get('/api/agencies?region=410307&status=confirmed')).json().map((x: { id: number }) => x.id)).toEqual([a.id]);
    });

    it('gives a report by its id as its current version', async () => {
      const v = (await get(`/api/versions/${ids.jia2023}`)).json();
      const r = (await get(`/api/reports/${v.report.id}`)).json();
      expect(r.version).toMatchObject({ id: ids.jia2023, current: true });
      expect(r.reading.year).toBe(2023);
      expect((await get('/api/reports/999999')).statusCode).toBe(404);
    });
  });

  describe('review', () => {
    it('lets a reviewer in the region confirm a finding, not a viewer; every act is audited', async () => {
      const [f] = (await get('/api/findings?year=2024&rule=S4.GROUP_TOTAL')).json();
      expect((await post(`/api/findings/${f.id}/review`, { state: 'confirmed', comment: '与原件核对' }, 'viewer')).statusCode).toBe(403);
      expect((await post(`/api/findings/${f.id}/review`, { state: 'confirmed', comment: '与原件核对' }, 'pds')).json()).toEqual({ ok: true });
      const [after] = (await get('/api/findings?year=2024&rule=S4.GROUP_TOTAL')).json();
      expect(after).toMatchObject({ state: 'confirmed', reviewer: 'pds', comment: '与原件核对' });
    });

    it('writes the 通报 draft with the confirmed error in plain Chinese', async () => {
      const r = await get('/api/export/notice.docx?year=2024&region=4104');
      expect(r.statusCode).toBe(200);
      const xml = strFromU8(unzipSync(r.rawPayload)['word/document.xml']!);
      expect(xml).toContain('关于平顶山市2024年度政府信息公开工作年度报告检查情况的通报（草稿）');
      expect(xml).toContain('郏县人民政府');
      expect(xml).toContain('第四部分“行政复议”：结果维持、结果纠正、其他结果、尚未审结之和为 7，但总计填报 8');
    });

    it('keeps a correction beside the original, re-runs the checks and the metrics', async () => {
      expect((await post(`/api/versions/${ids.jia2024}/corrections`, { key: 's4.review.total', value: 7, reason: '原件为 7' }, 'viewer')).statusCode).toBe(403);
      expect((await post(`/api/versions/${ids.jia2024}/corrections`, { key: 's9.bogus', value: 7, reason: '原件为 7' }, 'pds')).statusCode).toBe(400);
      const league = '/api/league?year=2024&region=410425&sort=errors';
      expect((await get(league)).json().rows[0].metrics.errors).toBe(1);
      expect((await post(`/api/versions/${ids.jia2024}/corrections`, { key: 's4.review.total', value: 7, reason: '原件为 7' }, 'pds')).json()).toEqual({ ok: true });
      const v = (await get(`/api/versions/${ids.jia2024}`)).json();
      expect(v.reading.values['s4.review.total']).toBe(7);
      expect(v.corrections).toEqual([expect.objectContaining({ key: 's4.review.total', value: 7, author: 'pds', reason: '原件为 7' })]);
      expect(v.findings.find((f: { rule: string }) => f.rule === 'S4.GROUP_TOTAL').active).toBe(false);
      // the same question asked again: the cached answer gave way to the changed data
      expect((await get(league)).json().rows[0].metrics.errors).toBe(0);
    });
  });

  describe('exports', () => {
    it('writes the league table as XLSX: frozen Chinese header, numbers as numbers, a sheet of formulas', async () => {
      const r = await get('/api/export/league.xlsx?year=2024&region=41&sort=licensing');
      expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const files = unzipSync(r.rawPayload);
      const sheet = strFromU8(files['xl/worksheets/sheet1.xml']!);
      // a title (region, years, the order and filters, 数据截至) above the frozen header
      expect(sheet).toContain('<t xml:space="preserve">河南省 2024 年度 排行榜</t>');
      expect(sheet).toMatch(/<t xml:space="preserve">数据截至：\d{4}-\d\d-\d\d \d\d:\d\d；/);
      expect(sheet).toContain('<pane ySplit="4" topLeftCell="A5" activePane="bottomLeft" state="frozen"/>');
      // the screen's columns: 名次 单位 地区 类别 发布情况 报告数, the chosen metric (G), then the ones shown with it
      const header = ['名次', '单位', '地区', '类别', '发布情况', '报告数', '行政许可决定', '本年新收申请', '办结申请', '实质公开率', '错误', '逾期天数'];
      expect([...sheet.matchAll(/<c r="[A-Z]+4" t="inlineStr" s="1"><is><t xml:space="preserve">([^<]*)<\/t>/g)].map((m) => m[1])).toEqual(header);
      expect(sheet).toContain('<t xml:space="preserve">郏县人民政府</t>');
      expect(sheet).toContain('<c r="G5" s="2"><v>74833</v></c>');
      expect(sheet).not.toContain('不予处理率');
      expect(r.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('排行榜-河南省-2024年度.xlsx')}`);
      expect(strFromU8(files['xl/workbook.xml']!)).toContain('name="指标说明"');
      const rates = strFromU8(unzipSync((await get('/api/export/league.xlsx?year=2024&region=41&sort=correction_rate')).rawPayload)['xl/worksheets/sheet1.xml']!);
      expect(rates).toContain('<t xml:space="preserve">样本不足</t>');
    });

    it('writes CSV with a BOM, and never lets scraped text become a formula', async () => {
      // the agency an importer was told is '=HYPERLINK(…)…' has no region: the whole country's table
      const r = await get('/api/export/league.csv?year=2024');
      expect(r.body.startsWith('\ufeff全国 2024 年度 排行榜\r\n')).toBe(true);
      expect(r.body).toContain('\r\n名次,单位,地区,类别,发布情况,报告数,'); 
      expect(r.body).toContain(`"'=HYPERLINK(""http://example.com/evil"")郏县局"`);
    });

    it('exports coverage, findings and an agency’s history', async () => {
      const coverage = await get('/api/export/coverage.csv?from=2023&to=2024&region=410425');
      expect(coverage.body).toContain('郏县 2023–2024 年度 年度报告覆盖情况');
      expect(coverage.body).toContain('单位,地区,类别,2023,2024\r\n');
      // its § 四 error was corrected away above
      expect(coverage.body).toContain('郏县人民政府,郏县,人民政府,按时发布,按时发布\r\n');
      expect(decodeURIComponent(coverage.headers['content-disposition']!.split("''")[1]!)).toBe('覆盖情况-郏县-2023-2024年度.csv');
      const findings = (await get('/api/export/findings.csv?year=2024&region=4104')).body;
      // rules by what they check, cells as the table prints them, the year before's named as such
      expect(findings).toContain('郏县人民政府,郏县,2024,第一、五部分与上年雷同,警告,');
      expect(findings).toContain('2023 年度行政规范性文件 · 现行有效件数；行政规范性文件 · 本年制发件数；行政规范性文件 · 本年废止件数');
      expect(findings).not.toMatch(/XY\.|S[234]\.|s[234]\.|section\.|其他数值/);
      const list = (await get('/api/agencies?region=410425&q=人民政府')).json();
      const x = unzipSync((await get(`/api/export/agencies/${list[0].id}.xlsx`)).rawPayload);
      // title lines, then the header at row 4: 年度, 发布情况, 本年新收申请 …
      expect(strFromU8(x['xl/worksheets/sheet1.xml']!)).toContain('<c r="C5" s="2"><v>36</v></c>');
    });
  });

  describe('accounts: disabling and passwords', () => {
    async function fresh(username: string, role: 'viewer' | 'reviewer' | 'admin' = 'viewer') {
      expect((await post('/api/accounts', { username, password: PASSWORD, role })).statusCode).toBe(200);
      const list = (await get('/api/accounts')).json() as Array<{ id: number; username: string; disabled: boolean }>;
      return { id: list.find((a) => a.username === username)!.id, cookie: await signIn(username) };
    }
    const me = (cookie: string) => app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });

    it('ends an account’s sessions when it is disabled, and lets it sign in again once enabled', async () => {
      const a = await fresh('tingyong');
      expect((await me(a.cookie)).statusCode).toBe(200);
      expect((await post(`/api/accounts/${a.id}/disable`, {}, 'viewer')).statusCode).toBe(403);
      expect((await post(`/api/accounts/${a.id}/disable`, {})).json()).toEqual({ ok: true });
      expect((await me(a.cookie)).statusCode).toBe(401);
      expect((await get('/api/accounts')).json().find((x: { id: number }) => x.id === a.id)).toMatchObject({ disabled: true });
      expect((await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'tingyong', password: PASSWORD } })).statusCode).toBe(401);
      expect((await post(`/api/accounts/${a.id}/enable`, {})).json()).toEqual({ ok: true });
      expect((await me(a.cookie)).statusCode).toBe(401);
      expect((await me(await signIn('tingyong'))).statusCode).toBe(200);
      const audit = (await get('/api/audit?target=account:')).json().map((e: { action: string }) => e.action);
      expect(audit).toEqual(expect.arrayContaining(['account.disable', 'account.enable']));
      const adminId = (await get('/api/accounts')).json().find((x: { username: string }) => x.username === 'admin').id;
      expect((await post(`/api/accounts/${adminId}/disable`, {})).json().message).toBe('不能停用自己的账号');
    });

    it('ends every session on an admin’s reset, and the other sessions on one’s own change', async () => {
      const a = await fresh('chongzhi');
      const other = await signIn('chongzhi');
      expect((await post(`/api/accounts/${a.id}/password`, { password: '另一个足够长的新密码啊' })).json()).toEqual({ ok: true });
      expect((await me(a.cookie)).statusCode).toBe(401);
      expect((await me(other)).statusCode).toBe(401);
      const login = async () => {
        const r = await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'chongzhi', password: '另一个足够长的新密码啊' } });
        return `nj_session=${r.cookies.find((c) => c.name === 'nj_session')!.value}`;
      };
      const [mine, elsewhere] = [await login(), await login()];
      const change = (payload: object) => app.inject({ method: 'POST', url: '/api/session/password', payload, headers: { cookie: mine } });
      expect((await change({ current: 'wrong password', password: '第三个足够长的新密码啊' })).json().message).toBe('当前密码不正确');
      expect((await change({ current: '另一个足够长的新密码啊', password: '第三个足够长的新密码啊' })).json()).toEqual({ ok: true });
      expect((await me(mine)).statusCode).toBe(200);
      expect((await me(elsewhere)).statusCode).toBe(401);
    });

    it('refuses the username, one repeated character and common passwords, on create, reset and change', async () => {
      const a = await fresh('zhangsan123');
      for (const [password, message] of [
        ['zhangsan123', '密码不能是用户名'],
        ['          ', '密码不能由同一个字符重复组成'],
        ['aaaaaaaaaaaa', '密码不能由同一个字符重复组成'],
        ['1234567890', '这是常见密码，容易被猜中，请换一个'],
        ['Password123', '这是常见密码，容易被猜中，请换一个'],
      ]) {
        expect((await post('/api/accounts', { username: 'zhangsan123', password, role: 'viewer' })).json().message).toBe(message);
        expect((await post(`/api/accounts/${a.id}/password`, { password })).json().message).toBe(message);
        const change = await app.inject({ method: 'POST', url: '/api/session/password', payload: { current: PASSWORD, password }, headers: { cookie: a.cookie } });
        expect(change.json().message).toBe(message);
      }
      expect((await post('/api/accounts', { username: 'lisi2024', password: 'lisi2024ab', role: 'viewer' })).json().message).toBe('密码不能是用户名');
    });
  });

  describe('downloads and large sums', () => {
    it('names a download by RFC 5987, an apostrophe included', async () => {
      const [a] = (await get(`/api/agencies?q=${encodeURIComponent("信息中心'")}`)).json();
      const r = await get(`/api/export/agencies/${a.id}.csv`);
      const star = /filename\*=UTF-8''([^;]*)$/.exec(r.headers['content-disposition'] as string)![1]!;
      // attr-chars only (RFC 5987 § 3.2.1): letters, digits, !#$&+-.^_`|~ and %XX
      expect(star).toMatch(/^[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
      expect(decodeURIComponent(star)).toBe("信息中心'试点-历年情况.csv");
    });

    it('never fails a league table on sums beyond what a float holds', async () => {
      const reports = (await get('/api/agencies?region=410425&q=人民政府')).json();
      const before = rowsOf<{ report_id: number; new_total: number; closed: number }>(await store.db.execute(sql`select report_id, new_total, closed from report_facts where agency_id = ${reports[0].id}`));
      await store.db.execute(sql`update report_facts set new_total = 1.7e308, closed = 1.7e308 where agency_id = ${reports[0].id}`);
      try {
        const r = await get('/api/league?from=2023&to=2024&region=410425&sort=requests_received');
        expect(r.statusCode).toBe(200);
        expect(r.json().rows[0]).toMatchObject({ rank: 1, agency: { name: '郏县人民政府' } });
        expect((await get('/api/league?from=2023&to=2024&region=410425&sort=disclosure_rate')).statusCode).toBe(200);
        expect((await get('/api/export/league.xlsx?from=2023&to=2024&region=410425')).statusCode).toBe(200);
        expect((await get('/api/export/league.csv?from=2023&to=2024&region=410425&sort=closed')).statusCode).toBe(200);
      } finally {
        for (const row of before) {
          await store.db.execute(sql`update report_facts set new_total = ${row.new_total}, closed = ${row.closed} where report_id = ${row.report_id}`);
        }
      }
    });
  });

  describe('found by a security review', () => {
    it('checks the session by the route matched, so an encoded path cannot skip it', async () => {
      for (const url of ['/%61pi/metrics', '/%61pi/agencies/1', '/%61pi/agencies/99']) {
        expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
      }
    });

    it('does not let X-Forwarded-For or parallel attempts get round the login limit', async () => {
      const tries = await Promise.all(
        Array.from({ length: 14 }, (_, i) =>
          app.inject({ method: 'POST', url: '/api/session', payload: { username: 'viewer', password: 'wrong' }, remoteAddress: '10.7.7.7', headers: { 'x-forwarded-for': `10.0.0.${i}` } }),
        ),
      );
      // one address (no proxy is trusted), counted before the slow password check: five failures free, then held back
      expect(tries.filter((t) => t.statusCode === 401)).toHaveLength(5);
      expect(tries.filter((t) => t.statusCode === 429)).toHaveLength(9);
    });

    it('shows a regional admin only the accounts of their region', async () => {
      await post('/api/accounts', { username: 'adm4104', password: PASSWORD, role: 'admin', regionCode: '4104' });
      const cookie = await signIn('adm4104');
      const list = (await app.inject({ method: 'GET', url: '/api/accounts', headers: { cookie } })).json();
      expect(list.map((a: { username: string }) => a.username).sort()).toEqual(['adm4104', 'pds']);
    });

    it('answers out-of-range ids, huge pages and NUL bytes with 400, not 500', async () => {
      for (const r of [
        await get('/api/agencies/9999999999'),
        await get(`/api/versions/${ids.jia2024}/diff?against=9999999999`),
        await get('/api/findings?page=9999999999999999&size=10000'),
        await get('/api/league?year=2024&page=99999999999'),
        await get('/api/agencies?q=a%00b'),
        await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'a\u0000b', password: 'x' } }),
        await post('/api/findings/9999999999/review', { state: 'open' }),
      ]) {
        expect(r.statusCode).toBe(400);
        expect(r.json().message).toMatch(/^请求参数有误/);
      }
      const bad = await app.inject({ method: 'POST', url: '/api/session', payload: '{not json', headers: { 'content-type': 'application/json' } });
      expect(bad.json()).toEqual({ error: 'bad_request', message: '请求体不是合法的 JSON' });
    });
  });

  it('documents every route at /docs with a schema', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    const paths = Object.keys(doc.paths);
    for (const p of ['/api/league', '/api/coverage', '/api/agencies/{id}', '/api/versions/{id}/document', '/api/findings/{id}/review', '/api/export/notice.docx', '/api/session']) {
      expect(paths).toContain(p);
    }
    expect(doc.paths['/api/league'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['year', 'region', 'sort']));
  });

  it('answers unknown addresses with a Chinese 404', async () => {
    expect((await get('/api/nothing')).json()).toEqual({ error: 'not_found', message: '没有这个地址：GET /api/nothing' });
  });
});

// The one definition of statuses, on the five seed reports as imported (no nightly job has
// run): for 2024 two agencies published 2023 but not 2024, and every page says so.
describe.each(backends(tmp))('statuses on the seed store ($name)', (backend) => {
  let store: Store;
  let app: FastifyInstance;
  let cookie: string;
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie } });
  const names = (rows: Array<{ agency: { name: string } }>) => rows.map((r) => r.agency.name);
  const NON_PUBLISHERS = ['偃师区住房和城乡建设局', '偃师区工业和信息化局'];
  let emptyInstall: unknown;

  beforeAll(async () => {
    store = await backend.open();
    await emptyStore(store);
    const imp = await importer(store);
    for (const seed of SEEDS) await imp(seedBytes(seed.file), seed.file);
    app = await buildApp(store);
    emptyInstall = (await app.inject({ method: 'GET', url: '/api/setup' })).json();
    await createAccount(store.db, { username: 'admin', password: PASSWORD, role: 'admin', regionCode: null, actor: 'test' });
    const r = await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'admin', password: PASSWORD } });
    cookie = `nj_session=${r.cookies.find((c) => c.name === 'nj_session')!.value}`;
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await backend.dispose();
  });

  it('tells the sign-in page of an install without accounts that its first admin is still to be made', async () => {
    expect(emptyInstall).toEqual({ hasAccounts: false });
    expect((await app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({ hasAccounts: true });
  });

  it('counts 2024’s two non-publishers alike on the overview, coverage, league, rules and 通报, straight after import', async () => {
    // the overview opens on the latest year with data
    const o = (await get('/api/overview?region=41')).json();
    expect(o.year).toBe(2024);
    expect(o.years).toEqual([2024, 2023]);
    expect(o.totals).toMatchObject({ agencies: 5, found: 3, late: 0, missing: 2, pending: 0, errors: 0 });
    expect((await get('/api/coverage?year=2024&region=41')).json().counts).toEqual({ found: 3, missing: 2 });

    const league = (await get('/api/league?year=2024&region=41')).json();
    expect(league.total).toBe(5);
    const unpublished = league.rows.filter((r: { group: string }) => r.group === 'unpublished');
    expect(names(unpublished).sort()).toEqual(NON_PUBLISHERS);
    for (const r of unpublished) expect(r).toMatchObject({ rank: null, reports: 0, statuses: { missing: 1 }, metrics: { missing_years: 1 } });
    // listed last
    expect(names(league.rows.slice(-2)).sort()).toEqual(NON_PUBLISHERS);

    const rules = (await get('/api/rules?year=2024&region=41')).json();
    expect(rules.find((r: { id: string }) => r.id === 'PUB.MISSING')).toMatchObject({ open: 2 });

    const notice = (await get('/api/notice?year=2024&region=41')).json();
    expect([...notice.missing].sort()).toEqual(NON_PUBLISHERS);
    const xml = strFromU8(unzipSync((await get('/api/export/notice.docx?year=2024&region=41')).rawPayload)['word/document.xml']!);
    expect(xml).toContain('一、未发布年度报告的单位（2 个）');
    for (const n of NON_PUBLISHERS) expect(xml).toContain(n);
    expect(xml).toContain('本部分仅列审核人员已确认的错误。');
    expect(xml).toMatch(/本通报数据截至\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d。/);
  });

  it('shows a report 107 days late as 逾期 107 天 on every page and export, and not as 有错误', async () => {
    const imp = await importer(store);
    // a department's 2024 report is due 31 January 2025; its page gives 18 May
    await imp(reportText('偃师区财政局', 2024), 'https://example.yanshi.gov.cn/czj-2024.html', { publishedAt: '2025-05-18' });

    const o = (await get('/api/overview?year=2024&region=41')).json();
    expect(o.totals).toMatchObject({ agencies: 6, found: 3, late: 1, lateDays: 107, missing: 2, errors: 0 });
    expect(o.late).toEqual([expect.objectContaining({ agency: '偃师区财政局', days: 107, deadline: '2025-01-31', publishedOn: '2025-05-18', dateSource: 'page' })]);

    const coverage = (await get('/api/coverage?year=2024&region=410307')).json();
    const cell = coverage.rows.find((r: { agency: { name: string } }) => r.agency.name === '偃师区财政局').cells['2024'];
    expect(cell).toMatchObject({ status: 'late', lateDays: 107, errors: 0 });
    expect(coverage.withErrors).toBe(0);
    expect((await get('/api/export/coverage.csv?year=2024&region=410307')).body).toContain('偃师区财政局,偃师区,部门,逾期 107 天\r\n');

    const league = (await get('/api/league?year=2024&region=41')).json();
    const row = league.rows.find((r: { agency: { name: string } }) => r.agency.name === '偃师区财政局');
    expect(row).toMatchObject({ statuses: { late: 1 }, metrics: { days_late: 107, errors: 0 } });
    expect((await get('/api/export/league.csv?year=2024&region=41')).body).toMatch(/,偃师区财政局,偃师区,部门,逾期 107 天,1,/);

    for (const errors of ['confirmed', 'open']) {
      const notice = (await get(`/api/notice?year=2024&region=41&errors=${errors}`)).json();
      expect(notice.late).toEqual([{ agency: '偃师区财政局', days: 107, publishedOn: '2025-05-18', source: '页面所载日期', deadline: '2025-01-31' }]);
      expect(notice.errors).toEqual([]);
    }
    const xml = strFromU8(unzipSync((await get('/api/export/notice.docx?year=2024&region=41&errors=open')).rawPayload)['word/document.xml']!);
    expect(xml).toContain('偃师区财政局：逾期 107 天（期限2025年1月31日，发布于2025年5月18日，依据页面所载日期）。');
    expect(xml).toContain('三、年度报告存在错误的单位（0 个）');
  });

  it('dates a report by the earliest of its page, its list and the day a crawl first saw it, and names which', async () => {
    const cell = async () => {
      const c = (await get('/api/coverage?year=2024&region=410502')).json();
      return c.rows.find((r: { agency: { name: string } }) => r.agency.name === '文峰区行政审批和政务信息管理局').cells['2024'];
    };
    // imported from a file: no date, nothing to judge it late by
    expect(await cell()).toMatchObject({ status: 'found', publishedOn: null, dateSource: null, lateDays: 0 });
    // a crawl first saw it on its site on 10 February, its list giving no date
    await store.db.execute(sql`insert into crawl_sources (id, name, region_code, preset, base_url) values ('henan.anyang.wenfeng', '文峰区人民政府网', '410502', 'generic', 'https://example.wenfeng.gov.cn/')`);
    await store.db.execute(sql`insert into crawl_runs (source_id, started_at, finished_at, status) values ('henan.anyang.wenfeng', '2025-02-10 09:00+08', '2025-02-10 09:05+08', 'ok')`);
    await store.db.execute(sql`
      insert into crawl_items (source_id, url, title, first_seen_run, last_seen_run, sha256)
      select 'henan.anyang.wenfeng', 'https://example.wenfeng.gov.cn/nb/1.html', '年度报告', max(c.id), max(c.id), min(v.sha256)
      from crawl_runs c, report_versions v join reports r on r.id = v.report_id join agencies a on a.id = r.agency_id
      where a.name = '文峰区行政审批和政务信息管理局'`);
    expect(await cell()).toMatchObject({ status: 'late', publishedOn: '2025-02-10', dateSource: 'first_seen', lateDays: 10, errors: 0 });
    // the next crawl finds its list dating it 25 January: earlier, so that is when it was published
    await store.db.execute(sql`insert into crawl_runs (source_id, started_at, finished_at, status) values ('henan.anyang.wenfeng', '2025-03-01 09:00+08', '2025-03-01 09:05+08', 'ok')`);
    await store.db.execute(sql`update crawl_items set listed_at = '2025-01-25', last_seen_run = (select max(id) from crawl_runs) where source_id = 'henan.anyang.wenfeng'`);
    expect(await cell()).toMatchObject({ status: 'found', publishedOn: '2025-01-25', dateSource: 'list', lateDays: 0 });
    await store.db.execute(sql`delete from crawl_items where source_id = 'henan.anyang.wenfeng'`);
    await store.db.execute(sql`delete from crawl_runs where source_id = 'henan.anyang.wenfeng'`);
    await store.db.execute(sql`delete from crawl_sources where id = 'henan.anyang.wenfeng'`);
  });

  it('ranks ties together (1, 1, 3), lists 样本不足 and non-publishers unranked, and finds by name', async () => {
    const ranks = (rows: Array<{ rank: number | null }>) => rows.map((r) => r.rank);
    const byRequests = (await get('/api/league?year=2024&region=41&sort=requests_received')).json();
    // 郏县人民政府 and 偃师区财政局 36 requests each, 偃师 and 文峰 审批局 none
    expect(ranks(byRequests.rows)).toEqual([1, 1, 3, 3, null, null]);
    expect(byRequests.groups).toEqual({ ranked: 4, unranked: 0, unpublished: 2 });

    const byRate = (await get('/api/league?year=2024&region=41&sort=disclosure_rate')).json();
    expect(byRate.groups).toEqual({ ranked: 2, unranked: 2, unpublished: 2 });
    expect(ranks(byRate.rows)).toEqual([1, 1, null, null, null, null]);
    const unranked = byRate.rows.filter((r: { group: string }) => r.group === 'unranked');
    expect(names(unranked).sort()).toEqual(['偃师区行政审批和政务信息管理局', '文峰区行政审批和政务信息管理局']);
    for (const r of unranked) expect(r.insufficient).toContain('disclosure_rate');

    const found = (await get(`/api/league?year=2024&region=41&q=${encodeURIComponent('偃师')}`)).json();
    expect(names(found.rows).sort()).toEqual(['偃师区住房和城乡建设局', '偃师区工业和信息化局', '偃师区行政审批和政务信息管理局', '偃师区财政局']);
    expect((await get(`/api/league?year=2024&region=41&q=${encodeURIComponent("%' or '1'='1")}`)).json().total).toBe(0);
  });
});

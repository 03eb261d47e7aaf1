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
    for (const [username, role, regionCode] of [
      ['admin', 'admin', null],
      ['viewer', 'viewer', null],
      ['pds', 'reviewer', '4104'],
    ] as const) {
      await createAccount(store.db, { username, password: PASSWORD, role, regionCode, actor: 'test' });
    }
    app = await buildApp(store);
    for (const u of ['admin', 'viewer', 'pds']) cookies[u] = await signIn(u);
  });
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
      for (let i = 0; i < 11; i++) codes.push((await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'pds', password: 'wrong' }, remoteAddress: '10.9.9.9' })).statusCode);
      expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
      expect(codes[10]).toBe(429);
      const locked = await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'pds', password: PASSWORD }, remoteAddress: '10.9.9.9' });
      expect(locked.json().message).toBe('登录失败次数过多，请 10 分钟后再试');
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
      expect(jia.cells['2024']).toMatchObject({ status: 'errors', errors: 1 });
    });

    it('gives an agency’s history: years, figures, versions with sources, findings', async () => {
      const list = (await get('/api/agencies?region=410425&q=人民政府')).json();
      const h = (await get(`/api/agencies/${list[0].id}`)).json();
      expect(h.agency).toMatchObject({ name: '郏县人民政府', regionName: '郏县' });
      expect(h.years.map((y: { year: number }) => y.year)).toEqual([2023, 2024]);
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
      expect(sheet).toContain('state="frozen"');
      expect(sheet).toContain('<t xml:space="preserve">机构</t>');
      expect(sheet).toContain('<t xml:space="preserve">郏县人民政府</t>');
      // column L is 行政许可决定: a number with the integer format
      expect(sheet).toContain('<c r="L2" s="2"><v>74833</v></c>');
      expect(sheet).toContain('<t xml:space="preserve">样本不足</t>');
      expect(strFromU8(files['xl/workbook.xml']!)).toContain('name="指标说明"');
    });

    it('writes CSV with a BOM, and never lets scraped text become a formula', async () => {
      // the agency an importer was told is '=HYPERLINK(…)…' has no region: the whole country's table
      const r = await get('/api/export/league.csv?year=2024');
      expect(r.body.startsWith('\ufeff名次,机构,')).toBe(true);
      expect(r.body).toContain(`"'=HYPERLINK(""http://example.com/evil"")郏县局"`);
    });

    it('exports coverage, findings and an agency’s history', async () => {
      expect((await get('/api/export/coverage.csv?from=2023&to=2024&region=410425')).body).toContain('郏县人民政府,410425,已发布,');
      expect((await get('/api/export/findings.csv?year=2024&region=4104')).body).toContain('XY.COPY');
      const list = (await get('/api/agencies?region=410425&q=人民政府')).json();
      const x = unzipSync((await get(`/api/export/agencies/${list[0].id}.xlsx`)).rawPayload);
      expect(strFromU8(x['xl/worksheets/sheet1.xml']!)).toContain('<c r="B3" s="2"><v>36</v></c>');
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
      expect(tries.filter((t) => t.statusCode === 401)).toHaveLength(10);
      expect(tries.filter((t) => t.statusCode === 429)).toHaveLength(4);
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

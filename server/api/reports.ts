// One report: its figures with evidence, findings with their cells, the original document,
// the text the parser saw, diffs between versions and against the previous year; and a
// reviewer's correction of a misread figure.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { and, asc, desc, eq } from 'drizzle-orm';
import { similarity } from '../../checks/history-rules.js';
import { PARSER, UnreadableDocumentError } from '../../parser/index.js';
import { agencies, corrections, documents, findings, reportVersions, reports } from '../db/schema.js';
import { readerPool } from '../reading/pool.js';
import { cachedPage, cachePage } from '../store/page-images.js';
import { correctionProblem, correctValue, loadVersion, notCheckedAcrossYears } from '../store/reports.js';
import { storeText, textWindow } from '../store/texts.js';
import { assertInRegion, attachment, HttpError, ID_PARAM, MAX_ID, NO_NUL, notFound, requireRole } from './http.js';

const ID = ID_PARAM;
/** Pixels per PDF point of a page image: evidence boxes (points) are drawn at this scale. */
const PAGE_SCALE = 2;

/** Lines of the reader's text one request may ask for. */
const MAX_TEXT_LINES = 2000;

const EXTENSION: Record<string, string> = { 'text/html': 'html', 'text/plain': 'txt', 'text/markdown': 'md', 'application/pdf': 'pdf',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-works': 'wps',
  'application/ofd': 'ofd',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
};

export const reportRoutes: FastifyPluginAsync = async (app) => {
  const db = app.store.db;

  /** Concurrent requests for the same page or text share one reading. */
  const inFlight = new Map<string, Promise<unknown>>();
  function once<T>(key: string, work: () => Promise<T>): Promise<T> {
    let p = inFlight.get(key) as Promise<T> | undefined;
    if (!p) {
      p = work().finally(() => inFlight.delete(key));
      inFlight.set(key, p);
    }
    return p;
  }

  /** The version with its report and agency, after checking the account may see it. */
  async function versionOf(req: FastifyRequest, id: number) {
    const [v] = await db
      .select({ version: reportVersions, report: reports, agency: agencies })
      .from(reportVersions)
      .innerJoin(reports, eq(reports.id, reportVersions.reportId))
      .innerJoin(agencies, eq(agencies.id, reports.agencyId))
      .where(eq(reportVersions.id, id));
    if (!v) throw notFound('报告版本');
    assertInRegion(req, v.agency.regionCode);
    return v;
  }

  async function detail(req: FastifyRequest, versionId: number) {
    const { version, report, agency } = await versionOf(req, versionId);
    const reading = await loadVersion(db, app.memo, versionId);
    const { parsed: _p, ...meta } = version;
    return {
      // the rules that could not run, and why: this report's own, then across years and publication
      notChecked: [...(reading?.notChecked ?? []), ...(report.currentVersionId === version.id ? await notCheckedAcrossYears(db, app.memo, agency, report.year) : [])],
      version: { ...meta, current: report.currentVersionId === version.id },
      report: { id: report.id, year: report.year, currentVersionId: report.currentVersionId },
      agency: { id: agency.id, name: agency.name, kind: agency.kind, regionCode: agency.regionCode },
      reading,
      corrections: await db.select().from(corrections).where(eq(corrections.versionId, versionId)).orderBy(asc(corrections.id)),
      findings: await db
        .select()
        .from(findings)
        .where(and(eq(findings.agencyId, agency.id), eq(findings.year, report.year)))
        .orderBy(desc(findings.active), asc(findings.rule)),
      versions: await db
        .select({ id: reportVersions.id, sha256: reportVersions.sha256, capturedAt: reportVersions.capturedAt })
        .from(reportVersions)
        .where(eq(reportVersions.reportId, report.id))
        .orderBy(asc(reportVersions.id)),
    };
  }

  app.get('/reports/:id', { schema: { tags: ['报告'], summary: '报告（当前版本）', params: ID } }, async (req) => {
    const [r] = await db.select().from(reports).where(eq(reports.id, (req.params as { id: number }).id));
    if (!r?.currentVersionId) throw notFound('报告');
    return detail(req, r.currentVersionId);
  });

  app.get('/versions/:id', { schema: { tags: ['报告'], summary: '报告的某一版本：数值、证据、问题', params: ID } }, async (req) => detail(req, (req.params as { id: number }).id));

  app.get('/versions/:id/document', { schema: { tags: ['报告'], summary: '下载原始文档', params: ID } }, async (req, reply) => {
    const { version, report, agency } = await versionOf(req, (req.params as { id: number }).id);
    const [doc] = await db.select().from(documents).where(eq(documents.sha256, version.sha256));
    if (!doc) throw notFound('原始文档');
    const ext = EXTENSION[doc.mediaType.split(';')[0]!] ?? 'bin';
    return attachment(reply, `${agency.name}-${report.year}-版本${version.id}.${ext}`, doc.mediaType.startsWith('text/') ? `${doc.mediaType.split(';')[0]}; charset=utf-8` : doc.mediaType).send(
      Buffer.from(doc.bytes),
    );
  });

  app.get(
    '/versions/:id/pages/:page',
    {
      schema: {
        tags: ['报告'],
        summary: '原始文档的一页图像（PDF 每磅 2 像素，图片为原尺寸），证据框按此比例标出',
        params: { type: 'object', required: ['id', 'page'], properties: { id: ID.properties.id, page: { type: 'integer', minimum: 1, maximum: 1000 } } },
      },
    },
    async (req, reply) => {
      const { id, page } = req.params as { id: number; page: number };
      const { version } = await versionOf(req, id);
      const png = await once(`page:${version.sha256}:${page}`, async () => {
        const cached = await cachedPage(db, version.sha256, page);
        if (cached) return cached;
        const [doc] = await db.select({ bytes: documents.bytes }).from(documents).where(eq(documents.sha256, version.sha256));
        if (!doc) throw notFound('原始文档');
        let rendered: Uint8Array | null;
        try {
          rendered = await readerPool().page(doc.bytes, page, PAGE_SCALE);
        } catch (e) {
          if (e instanceof UnreadableDocumentError) throw new HttpError(422, 'unreadable', e.message);
          throw e;
        }
        if (!rendered) throw new HttpError(404, 'not_found', '该文档没有这一页的图像（网页、Word 文档请看解析文本）');
        await cachePage(db, version.sha256, page, rendered);
        return rendered;
      });
      return reply.type('image/png').header('cache-control', 'private, max-age=86400').header('x-content-type-options', 'nosniff').send(Buffer.from(png));
    },
  );

  app.get(
    '/versions/:id/text',
    {
      schema: {
        tags: ['报告'],
        summary: '解析器看到的文本（逐行，分段取）',
        params: ID,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            from: { type: 'integer', minimum: 1, maximum: 100_000_000, default: 1, description: '从第几行起' },
            count: { type: 'integer', minimum: 1, maximum: MAX_TEXT_LINES, default: MAX_TEXT_LINES, description: '行数' },
          },
        },
      },
    },
    async (req) => {
      const { version } = await versionOf(req, (req.params as { id: number }).id);
      const { from, count } = req.query as { from: number; count: number };
      let window = await textWindow(db, version.sha256, from, count);
      if (!window) {
        // imported before texts were kept: read once in the pool (without OCR), kept from then on
        const note = await once(`text:${version.sha256}`, async () => {
          const [doc] = await db.select({ bytes: documents.bytes, mediaType: documents.mediaType }).from(documents).where(eq(documents.sha256, version.sha256));
          if (!doc) throw notFound('原始文档');
          try {
            await storeText(db, version.sha256, PARSER, await readerPool().text({ bytes: doc.bytes, mediaType: doc.mediaType === 'application/octet-stream' ? undefined : doc.mediaType }));
            return null;
          } catch (e) {
            if (e instanceof UnreadableDocumentError) return e.message;
            throw e;
          }
        });
        if (note) return { text: '', from: 1, to: 0, total: 0, note };
        window = (await textWindow(db, version.sha256, from, count))!;
      }
      return { text: window.lines.join('\n'), from: window.from, to: window.from + window.lines.length - 1, total: window.total };
    },
  );

  app.get(
    '/versions/:id/diff',
    {
      schema: {
        tags: ['报告'],
        summary: '与另一版本或上一年度报告比较',
        params: ID,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { against: { type: 'integer', minimum: 1, maximum: MAX_ID, description: '另一版本编号；不给出时与上一年度的当前版本比较' } },
        },
      },
    },
    async (req) => {
      const id = (req.params as { id: number }).id;
      const { report, agency } = await versionOf(req, id);
      let otherId = (req.query as { against?: number }).against;
      if (otherId === undefined) {
        const [prev] = await db.select().from(reports).where(and(eq(reports.agencyId, agency.id), eq(reports.year, report.year - 1)));
        if (!prev?.currentVersionId) throw notFound('上一年度报告');
        otherId = prev.currentVersionId;
      }
      const other = await versionOf(req, otherId);
      if (other.agency.id !== agency.id) throw new HttpError(400, 'bad_request', '只能与同一机构的报告比较');
      const [a, b] = await Promise.all([loadVersion(db, app.memo, otherId), loadVersion(db, app.memo, id)]);
      const keys = [...new Set([...Object.keys(a!.evidence), ...Object.keys(b!.evidence)])];
      return {
        from: { versionId: otherId, year: other.report.year },
        to: { versionId: id, year: report.year },
        figures: keys
          .filter((k) => (a!.values[k] ?? null) !== (b!.values[k] ?? null))
          .map((k) => ({ key: k, before: a!.values[k] ?? null, after: b!.values[k] ?? null })),
        sections: ['一', '二', '三', '四', '五', '六'].map((s) => ({
          section: s,
          similarity: a!.narrative[s] && b!.narrative[s] ? Math.round(similarity(a!.narrative[s]!, b!.narrative[s]!) * 100) / 100 : null,
        })),
      };
    },
  );

  app.post(
    '/versions/:id/corrections',
    {
      schema: {
        tags: ['审核'],
        summary: '更正解析有误的数值（审核员）',
        params: ID,
        body: {
          type: 'object',
          required: ['key', 'value', 'reason'],
          additionalProperties: false,
          properties: {
            key: { type: 'string', pattern: '^(s[234]|text)\\.[a-z_.]+$' },
            value: { type: ['number', 'null'] },
            reason: { type: 'string', minLength: 2, maxLength: 500, pattern: NO_NUL },
          },
        },
      },
    },
    async (req) => {
      const account = requireRole(req, 'reviewer');
      const id = (req.params as { id: number }).id;
      await versionOf(req, id);
      const body = req.body as { key: string; value: number | null; reason: string };
      const reading = await loadVersion(db, app.memo, id);
      if (!(body.key in reading!.evidence)) throw new HttpError(400, 'bad_request', `该报告没有单元格 ${body.key}`);
      const problem = correctionProblem(body.key, body.value);
      if (problem) throw new HttpError(400, 'bad_request', problem);
      await correctValue(db, app.memo, { versionId: id, key: body.key, value: body.value, author: account.username, reason: body.reason });
      return { ok: true };
    },
  );
};

// Findings: the list for a region and year, and a reviewer's confirm / dismiss.
import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'drizzle-orm';
import { reviewFinding } from '../store/findings.js';
import { rowsOf, type Db } from '../db/client.js';
import { assertInRegion, ID_PARAM, MAX_ID, MAX_PAGE, NO_NUL, notFound, regionOf, requireRole } from './http.js';

export const FINDINGS_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    year: { type: 'integer', minimum: 2000, maximum: 2100 },
    region: { type: 'string', pattern: '^[0-9]{2,6}$' },
    rule: { type: 'string', pattern: '^[A-Z0-9_.]+$', maxLength: 40 },
    severity: { type: 'string', enum: ['error', 'warning', 'info'] },
    state: { type: 'string', enum: ['open', 'confirmed', 'dismissed'] },
    agency: { type: 'integer', minimum: 1, maximum: MAX_ID },
    page: { type: 'integer', minimum: 0, maximum: MAX_PAGE, default: 0 },
    size: { type: 'integer', minimum: 1, maximum: 10000, default: 100 },
  },
} as const;

export interface FindingsQuery {
  year?: number;
  region?: string;
  rule?: string;
  severity?: string;
  state?: string;
  agency?: number;
  page: number;
  size: number;
}

export interface FindingRow {
  id: number;
  agency_id: number;
  agency: string;
  region_code: string | null;
  region_name: string | null;
  year: number;
  report_id: number | null;
  version_id: number | null;
  rule: string;
  severity: string;
  cells: string[];
  expected: unknown;
  actual: unknown;
  message: string;
  state: string;
  reviewer: string | null;
  comment: string | null;
}

/** Active findings matching the filters, errors first. */
export async function findingRows(db: Db, region: string, q: FindingsQuery): Promise<FindingRow[]> {
  return rowsOf<FindingRow>(
    await db.execute(sql`
      select x.id, x.agency_id, a.name as agency, a.region_code, g.name as region_name, x.year, x.report_id, x.version_id, x.rule, x.severity, x.cells,
             x.expected, x.actual, x.message, x.state, x.reviewer, x.comment
      from findings x join agencies a on a.id = x.agency_id left join regions g on g.code = a.region_code
      where x.active and coalesce(a.region_code, '') like ${`${region}%`}
        ${q.year ? sql`and x.year = ${q.year}` : sql``}
        ${q.rule ? sql`and x.rule = ${q.rule}` : sql``}
        ${q.severity ? sql`and x.severity = ${q.severity}` : sql``}
        ${q.state ? sql`and x.state = ${q.state}` : sql``}
        ${q.agency ? sql`and x.agency_id = ${q.agency}` : sql``}
      order by case x.severity when 'error' then 0 when 'warning' then 1 else 2 end, a.region_code, a.name, x.year, x.rule, x.id
      limit ${q.size} offset ${q.page * q.size}`),
  );
}

export const findingRoutes: FastifyPluginAsync = async (app) => {
  app.get('/findings', { schema: { tags: ['审核'], summary: '问题列表', querystring: FINDINGS_QUERY } }, async (req) => {
    const q = req.query as FindingsQuery;
    return findingRows(app.store.db, regionOf(req, q.region), q);
  });

  app.post(
    '/findings/:id/review',
    {
      schema: {
        tags: ['审核'],
        summary: '确认或驳回问题（审核员）',
        params: ID_PARAM,
        body: {
          type: 'object',
          required: ['state'],
          additionalProperties: false,
          properties: { state: { type: 'string', enum: ['open', 'confirmed', 'dismissed'] }, comment: { type: 'string', maxLength: 2000, pattern: NO_NUL } },
        },
      },
    },
    async (req) => {
      const account = requireRole(req, 'reviewer');
      const id = (req.params as { id: number }).id;
      const [f] = rowsOf<{ region_code: string | null }>(
        await app.store.db.execute(sql`select a.region_code from findings x join agencies a on a.id = x.agency_id where x.id = ${id}`),
      );
      if (!f) throw notFound('问题');
      assertInRegion(req, f.region_code);
      const body = req.body as { state: 'open' | 'confirmed' | 'dismissed'; comment?: string };
      await reviewFinding(app.store.db, { id, state: body.state, reviewer: account.username, comment: body.comment });
      return { ok: true };
    },
  );
};

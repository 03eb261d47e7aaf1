// The audit log: every change people made (findings confirmed or dismissed, figures
// corrected, agencies confirmed or merged, crawls started, accounts changed), newest first,
// with the names its target is shown by (a rule, an account, a site). An account
// limited to a region sees the entries about that region's agencies.
import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../db/client.js';
import { MAX_PAGE, NO_NUL, requireRole } from './http.js';

/** The agency an entry is about, from its target (`finding:N`, `version:N:key`, `agency:N`). */
const TARGET_AGENCY = sql`case split_part(l.target, ':', 1)
    when 'finding' then (select x.agency_id from findings x where x.id = nullif(split_part(l.target, ':', 2), '')::int)
    when 'version' then (select r.agency_id from report_versions v join reports r on r.id = v.report_id where v.id = nullif(split_part(l.target, ':', 2), '')::int)
    when 'agency' then nullif(split_part(l.target, ':', 2), '')::int
  end`;

export const auditRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['审核'],
        summary: '操作记录（审核员）',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            target: { type: 'string', maxLength: 200, pattern: NO_NUL, description: '对象，如 finding:12；以冒号结尾时按前缀匹配' },
            actor: { type: 'string', maxLength: 100, pattern: NO_NUL },
            page: { type: 'integer', minimum: 0, maximum: MAX_PAGE, default: 0 },
            size: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
      },
    },
    async (req) => {
      const account = requireRole(req, 'reviewer');
      const q = req.query as { target?: string; actor?: string; page: number; size: number };
      const target = q.target?.endsWith(':') ? sql`l.target like ${`${q.target.replace(/[%_\\]/g, (c) => `\\${c}`)}%`}` : q.target ? sql`l.target = ${q.target}` : sql`true`;
      return rowsOf(
        await app.store.db.execute(sql`
          select l.id, l.at::text as at, l.actor, l.action, l.target, l.detail, a.id as agency_id, a.name as agency,
                 x.rule, x.year, c.username as account, s.name as source
          from audit_log l left join agencies a on a.id = (${TARGET_AGENCY})
            left join findings x on x.id = (case when split_part(l.target, ':', 1) = 'finding' then nullif(split_part(l.target, ':', 2), '')::int end)
            left join accounts c on c.id = (case when split_part(l.target, ':', 1) = 'account' then nullif(split_part(l.target, ':', 2), '')::int end)
            left join crawl_sources s on s.id = (case when split_part(l.target, ':', 1) = 'source' then substr(l.target, 8) end)
          where ${target} ${q.actor ? sql`and l.actor = ${q.actor}` : sql``}
            ${account.regionCode ? sql`and coalesce(a.region_code, '') like ${`${account.regionCode}%`}` : sql``}
          order by l.id desc
          limit ${q.size} offset ${q.page * q.size}`),
      );
    },
  );
};

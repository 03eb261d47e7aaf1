// The rule catalogue, each rule with how many active findings it has (in the account's region).
import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'drizzle-orm';
import { RULES } from '../../checks/index.js';
import { rowsOf } from '../db/client.js';
import { FIRST_YEAR } from '../store/reports.js';
import { statusRows } from '../store/status.js';
import { regionOf } from './http.js';
import { latestDueYear } from './overview.js';

export const ruleRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/rules',
    {
      schema: {
        tags: ['规则'],
        summary: '检查规则及其问题数',
        querystring: { type: 'object', additionalProperties: false, properties: { year: { type: 'integer', minimum: 2000, maximum: 2100 }, region: { type: 'string', pattern: '^[0-9]{2,6}$' } } },
      },
    },
    async (req) => {
      const q = req.query as { year?: number; region?: string };
      const region = regionOf(req, q.region);
      const counts = rowsOf<{ rule: string; state: string; n: number }>(
        await app.store.db.execute(sql`
          select x.rule, x.state, count(*)::int as n
          from findings x join agencies a on a.id = x.agency_id
          where x.active and coalesce(a.region_code, '') like ${`${region}%`} ${q.year ? sql`and x.year = ${q.year}` : sql``}
          group by x.rule, x.state`),
      );
      // 未发布 is counted when read, by the one definition of statuses, not by when the nightly
      // check last raised its findings; those reviewed keep their state
      const due = latestDueYear();
      const missing = (await statusRows(app.store.db, { region, from: q.year ?? FIRST_YEAR, to: q.year ?? due })).filter((r) => r.status === 'missing').length;
      return RULES.map(({ id, severity, scope, title, basis, message }) => {
        const mine = counts.filter((c) => c.rule === id);
        const by = (state: string) => mine.filter((c) => c.state === state).reduce((a, c) => a + c.n, 0);
        const open = id === 'PUB.MISSING' ? Math.max(0, missing - by('confirmed') - by('dismissed')) : by('open');
        return { id, severity, scope, title, basis, message, open, confirmed: by('confirmed'), dismissed: by('dismissed') };
      });
    },
  );
};

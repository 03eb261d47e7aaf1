// When a report is due: a department's or township's by 31 January of the next year, a
// 人民政府's own by 31 March (条例 第四十九、五十条). Provinces set other dates: override per
// province and kind with NIANJIAN_DEADLINES, e.g. {"41": {"government": "02-28"}}.
import { sql, type SQL } from 'drizzle-orm';
import type { AgencyKind } from './agencies.js';

type Dates = Record<AgencyKind, string>;

const NATIONAL: Dates = { government: '03-31', department: '01-31', township: '01-31', other: '01-31' };

/** Days after the deadline before a report not found counts as missing (sites publish late, scrapers lag). */
export const MISSING_GRACE_DAYS = Number(process.env.NIANJIAN_MISSING_GRACE_DAYS ?? 30);

const MONTH_DAY = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function overrides(): Record<string, Partial<Dates>> {
  const raw = process.env.NIANJIAN_DEADLINES;
  if (!raw) return {};
  let parsed: Record<string, Partial<Dates>>;
  try {
    parsed = JSON.parse(raw) as Record<string, Partial<Dates>>;
  } catch {
    throw new Error(`NIANJIAN_DEADLINES 不是合法的 JSON：${raw}`);
  }
  for (const [province, dates] of Object.entries(parsed)) {
    for (const [kind, md] of Object.entries(dates ?? {})) {
      if (typeof md !== 'string' || !MONTH_DAY.test(md) || Number.isNaN(Date.parse(`2001-${md}`))) {
        throw new Error(`NIANJIAN_DEADLINES 中 ${province}.${kind} 应为“月-日”，如 "03-31"，而不是 ${JSON.stringify(md)}`);
      }
    }
  }
  return parsed;
}

/** The deadline (yyyy-mm-dd) of the report for `year` of an agency of `kind` in `regionCode`. */
export function deadlineFor(kind: AgencyKind, year: number, regionCode: string | null): string {
  const province = regionCode?.slice(0, 2) ?? '';
  const monthDay = overrides()[province]?.[kind] ?? NATIONAL[kind];
  return `${year + 1}-${monthDay}`;
}

/** When a report not yet found becomes missing: its deadline (end of day, Beijing) plus the grace. */
export function missingAfter(kind: AgencyKind, year: number, regionCode: string | null): Date {
  const due = new Date(`${deadlineFor(kind, year, regionCode)}T23:59:59+08:00`);
  due.setDate(due.getDate() + MISSING_GRACE_DAYS);
  return due;
}

/**
 * The same deadline as `deadlineFor`, as an SQL date of the agency's kind, region code and
 * year columns: statuses are computed when read, for agencies with no report as for others.
 */
export function deadlineSql(kind: SQL, regionCode: SQL, year: SQL): SQL {
  const date = (md: string) => sql`make_date((${year})::int + 1, ${Number(md.slice(0, 2))}::int, ${Number(md.slice(3, 5))}::int)`;
  const national = sql`case ${kind} ${sql.join(
    (Object.keys(NATIONAL) as AgencyKind[]).map((k) => sql`when ${k} then ${date(NATIONAL[k])}`),
    sql` `,
  )} end`;
  const provincial = Object.entries(overrides()).flatMap(([province, dates]) =>
    Object.entries(dates ?? {}).map(([k, md]) => sql`when left(coalesce(${regionCode}, ''), 2) = ${province} and ${kind} = ${k} then ${date(md!)}`),
  );
  return provincial.length ? sql`case ${sql.join(provincial, sql` `)} else ${national} end` : national;
}

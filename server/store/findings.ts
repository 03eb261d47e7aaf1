// Findings are kept by fingerprint. Saving a family of checks (one report, history,
// publication) for an agency and year upserts what was found and marks what is no longer
// found inactive; a reviewer's state is never touched by a re-check.
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { RULES, type Scope } from '../../checks/index.js';
import type { Finding } from '../../parser/types.js';
import type { Db } from '../db/client.js';
import { auditLog, findings } from '../db/schema.js';

const RULES_OF = (scope: Scope) => RULES.filter((r) => r.scope === scope).map((r) => r.id);

export interface FindingTarget {
  agencyId: number;
  year: number;
  reportId: number | null;
  versionId: number | null;
}

export async function saveFindings(db: Db, target: FindingTarget, scope: Scope, found: Finding[], onlyRules = RULES_OF(scope)): Promise<void> {
  if (found.length) {
    // one statement for all; a fixed order keeps concurrent importers from deadlocking
    const rows = [...found]
      .sort((a, b) => a.fingerprint.localeCompare(b.fingerprint))
      .map((f) => ({
        fingerprint: f.fingerprint,
        agencyId: target.agencyId,
        year: target.year,
        reportId: target.reportId,
        versionId: target.versionId,
        rule: f.rule,
        severity: f.severity,
        cells: f.cells,
        expected: f.expected,
        actual: f.actual,
        message: f.message,
      }));
    const take = (c: string) => sql.raw(`excluded.${c}`);
    await db
      .insert(findings)
      .values(rows)
      .onConflictDoUpdate({
        target: findings.fingerprint,
        set: {
          active: true,
          reportId: take('report_id'),
          versionId: take('version_id'),
          severity: take('severity'),
          cells: take('cells'),
          expected: take('expected'),
          actual: take('actual'),
          message: take('message'),
          lastSeenAt: sql`now()`,
        },
      });
  }
  const keep = found.map((f) => f.fingerprint);
  const retired = await retire(db, target, onlyRules, keep);
  // report_facts counts errors and warnings: infos leave them as they are
  if ([...found.map((f) => f.severity), ...retired].some((sev) => sev !== 'info')) await refreshCounts(db, target.agencyId, target.year);
}

/** The counts of report_facts for an agency-year, after its findings changed. */
export async function refreshCounts(db: Db, agencyId: number, year: number): Promise<void> {
  await db.execute(sql`
    update report_facts set
      errors = (select count(*) from findings x where x.agency_id = ${agencyId} and x.year = ${year} and x.active and x.state <> 'dismissed' and x.severity = 'error'),
      warnings = (select count(*) from findings x where x.agency_id = ${agencyId} and x.year = ${year} and x.active and x.state <> 'dismissed' and x.severity = 'warning')
    where agency_id = ${agencyId} and year = ${year}`);
}

/** Marks inactive the findings of these rules no longer raised; returns their severities. */
async function retire(db: Db, target: FindingTarget, onlyRules: string[], keep: string[]): Promise<string[]> {
  const rows = await db
    .update(findings)
    .set({ active: false })
    .where(
      and(
        eq(findings.agencyId, target.agencyId),
        eq(findings.year, target.year),
        inArray(findings.rule, onlyRules),
        eq(findings.active, true),
        ...(keep.length ? [notInArray(findings.fingerprint, keep)] : []),
      ),
    )
    .returning({ severity: findings.severity });
  return rows.map((r) => r.severity);
}

/** A reviewer confirms or dismisses a finding; the decision follows its fingerprint. */
export async function reviewFinding(
  db: Db,
  input: { id: number; state: 'open' | 'confirmed' | 'dismissed'; reviewer: string; comment?: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(findings)
      .set({ state: input.state, reviewer: input.reviewer, comment: input.comment ?? null, reviewedAt: sql`now()` })
      .where(eq(findings.id, input.id))
      .returning({ id: findings.id, agencyId: findings.agencyId, year: findings.year });
    if (!updated.length) throw new Error(`没有编号为 ${input.id} 的问题`);
    await refreshCounts(tx as unknown as Db, updated[0]!.agencyId, updated[0]!.year);
    await tx.insert(auditLog).values({ actor: input.reviewer, action: `finding.${input.state}`, target: `finding:${input.id}`, detail: { comment: input.comment ?? null } });
  });
}

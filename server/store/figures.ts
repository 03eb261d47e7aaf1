// A version's figures ↔ one `figures` row of aligned arrays (see the schema for why).
// Decoding gives back exactly the values, missing cells and evidence the parser produced.
import { inArray } from 'drizzle-orm';
import type { Evidence, ParsedReport, Semantics } from '../../parser/types.js';
import type { Db } from '../db/client.js';
import { figureKeys, type figures } from '../db/schema.js';

export type FigureRow = Omit<typeof figures.$inferInsert, 'versionId'>;

const SEM_CODE: Record<Semantics, string> = { number: 'n', blank: 'b', dash: 'd', slash: 's', none: 'z' };
const SEM_NAME = Object.fromEntries(Object.entries(SEM_CODE).map(([k, v]) => [v, k])) as Record<string, Semantics>;
const POS_FIELDS = ['line', 'page', 'table', 'row', 'col'] as const;
const POS_WIDTH = POS_FIELDS.length + 1;

/** Readings kept in memory: a bulk import reads back the year it wrote a moment ago. */
const RECENT = 2000;

/**
 * What the store code remembers within a run: the ids of figure keys (adding keys never
 * stored before) and the most recent readings by version id (a re-parse replaces them).
 */
export class StoreMemo {
  private readonly ids = new Map<string, number>();
  private readonly names = new Map<number, string>();
  private readonly recent = new Map<number, ParsedReport>();
  constructor(private readonly db: Db) {}

  remember(versionId: number, report: ParsedReport): void {
    this.recent.delete(versionId);
    this.recent.set(versionId, report);
    if (this.recent.size > RECENT) this.recent.delete(this.recent.keys().next().value!);
  }

  recall(versionId: number): ParsedReport | undefined {
    return this.recent.get(versionId);
  }

  async idsOf(keys: string[]): Promise<Map<string, number>> {
    const unknown = keys.filter((k) => !this.ids.has(k));
    if (!unknown.length) return this.ids;
    // look up first: an insert that conflicts still spends a sequence number, and the
    // smallint ids would run out after a few hundred runs
    for (const r of await this.db.select().from(figureKeys).where(inArray(figureKeys.key, unknown))) this.note(r.id, r.key);
    const fresh = unknown.filter((k) => !this.ids.has(k));
    if (fresh.length) {
      await this.db.insert(figureKeys).values(fresh.map((key) => ({ key }))).onConflictDoNothing();
      for (const r of await this.db.select().from(figureKeys).where(inArray(figureKeys.key, fresh))) this.note(r.id, r.key);
    }
    return this.ids;
  }

  async namesOf(ids: number[]): Promise<Map<number, string>> {
    const unknown = ids.filter((i) => !this.names.has(i));
    if (unknown.length) for (const r of await this.db.select().from(figureKeys).where(inArray(figureKeys.id, unknown))) this.note(r.id, r.key);
    return this.names;
  }

  private note(id: number, key: string) {
    this.ids.set(key, id);
    this.names.set(id, key);
  }
}

export async function encodeFigures(report: ParsedReport, memo: StoreMemo): Promise<FigureRow> {
  const keys = Object.keys(report.evidence);
  const ids = await memo.idsOf(keys);
  const row: FigureRow = { keys: [], vals: [], semantics: '', printed: {}, positions: [], context: [], extra: null };
  const contextIndex = new Map<string, number>();
  const extra: NonNullable<FigureRow['extra']> = {};
  for (const key of keys) {
    const ev = report.evidence[key]!;
    const value = report.values[key];
    row.keys.push(ids.get(key)!);
    row.vals.push(value ?? null);
    row.semantics += SEM_CODE[ev.semantics ?? 'number'];
    if (ev.printed !== String(value)) row.printed[key] = ev.printed;
    let ctx = contextIndex.get(ev.text);
    if (ctx === undefined) {
      contextIndex.set(ev.text, (ctx = row.context.length));
      row.context.push(ev.text);
    }
    for (const f of POS_FIELDS) row.positions.push(ev[f] ?? 0);
    row.positions.push(ctx);
    if (ev.box || ev.confidence !== undefined) extra[key] = { ...(ev.box ? { box: ev.box } : {}), ...(ev.confidence !== undefined ? { confidence: ev.confidence } : {}) };
  }
  if (Object.keys(extra).length) row.extra = extra;
  return row;
}

export interface DecodedFigures {
  values: Record<string, number>;
  missing: string[];
  evidence: Record<string, Evidence>;
}

export async function decodeFigures(row: FigureRow, memo: StoreMemo): Promise<DecodedFigures> {
  const names = await memo.namesOf(row.keys);
  const out: DecodedFigures = { values: {}, missing: [], evidence: {} };
  row.keys.forEach((id, i) => {
    const key = names.get(id)!;
    const value = row.vals[i];
    const semantics = SEM_NAME[row.semantics[i]!]!;
    const base = i * POS_WIDTH;
    const ev: Evidence = { printed: row.printed[key] ?? String(value), text: row.context[row.positions[base + POS_FIELDS.length]!]! };
    POS_FIELDS.forEach((f, k) => {
      const p = row.positions[base + k]!;
      if (p) ev[f] = p;
    });
    if (semantics !== 'number') ev.semantics = semantics;
    const x = row.extra?.[key];
    if (x?.box) ev.box = x.box as Evidence['box'];
    if (x?.confidence !== undefined) ev.confidence = x.confidence;
    out.evidence[key] = ev;
    if (value === null || value === undefined) out.missing.push(key);
    else out.values[key] = value;
  });
  return out;
}

/** What a version keeps of the parse besides its figures (which go to `figures`). */
export function readingOf(report: ParsedReport, notChecked: ParsedReport['notChecked']): Record<string, unknown> {
  const { values: _v, missing: _m, evidence: _e, findings: _f, notChecked: _n, ...rest } = report;
  return { ...rest, findings: [], notChecked };
}

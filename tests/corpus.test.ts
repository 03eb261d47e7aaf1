// The real corpus (tests/corpus/) in CI: real published reports kept byte for byte, each with a
// hand-made truth; the reader and the checks are held to the floor recorded in
// tests/corpus/floor.json, which only rises.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  arithmeticFailures,
  bytesOf,
  FORMS,
  manifest,
  measureCorpus,
  printReport,
  sha256,
  totals,
  truthCells,
  truthOf,
  type DocResult,
  type Form,
} from './corpus/accuracy.js';

interface Floor {
  /** cells read right, per form: the measured figure may not fall below it */
  cellsRight: Partial<Record<Form, number>>;
  genuineCaught: number;
  /** error findings on reports that do not print the error, seen when the floor was set: to be fixed, never added to */
  knownFalseAccusations: { document: string; rule: string }[];
}

const floor = JSON.parse(readFileSync(new URL('./corpus/floor.json', import.meta.url), 'utf8')) as Floor;
const docs = manifest();

describe('the corpus', () => {
  it('keeps every document byte for byte, each with where it came from', () => {
    for (const d of docs) {
      expect(sha256(bytesOf(d)), d.file).toBe(d.sha256);
      const s = d.source;
      const traced = (s.repository && s.path && s.commit) || s.project_seed || (s.scanOf && Array.isArray(s.commands));
      expect(traced, d.id).toBeTruthy();
      if (s.scanOf) expect(docs.some((o) => o.id === s.scanOf && o.form === 'pdf'), d.id).toBe(true);
    }
    expect(new Set(docs.map((d) => d.id)).size).toBe(docs.length);
  });

  it('has a truth for every report that names it, with every cell of its printed layout', () => {
    for (const d of docs) {
      const t = truthOf(d);
      expect(t.document, d.id).toBe(d.id.replace(/\.scan\d+$/, ''));
      const cells = truthCells(t);
      if (d.template === 'pre-2019') expect(cells.size, d.id).toBe(0);
      // § 二 10 cells (22 in the 2019 layout); § 三 25 rows × 7 (23 × 7 with the 2019 （六）); § 四 15
      else expect(cells.size, d.id).toBe((t.layout!.s2 === '2021' ? 10 : 22) + (t.layout!.s3 === '2021' ? 175 : 161) + 15);
    }
  });

  it('has truths that satisfy the table arithmetic, except exactly the errors they declare', () => {
    for (const d of docs) {
      const t = truthOf(d);
      const failures = arithmeticFailures(t).map((f) => `${f.rule} ${f.cell}`);
      const declared = t.errors.filter((e) => /^S[34]\./.test(e.rule)).map((e) => `${e.rule} ${e.cells[0]}`);
      expect(failures.sort(), d.id).toEqual(declared.sort());
      expect(t.class === 'genuine-error', d.id).toBe(t.errors.length > 0);
    }
  });
});

describe('the reader and the checks on the real corpus', () => {
  let results: DocResult[] = [];
  beforeAll(async () => {
    results = await measureCorpus();
    console.log(printReport(results));
  }, 600_000);

  it('reads at least as many cells right, form by form, as the floor records', () => {
    const t = totals(results);
    for (const f of FORMS) expect(t.byForm[f]?.right ?? 0, `cells right in ${f}`).toBeGreaterThanOrEqual(floor.cellsRight[f] ?? 0);
  });

  it('raises no error finding on a report that does not print that error, beyond the known ones to fix', () => {
    const known = new Set(floor.knownFalseAccusations.map((k) => `${k.document} ${k.rule}`));
    const fresh = results.flatMap((r) => r.falseAccusations.filter((f) => !known.has(`${r.id} ${f.rule}`)).map((f) => `${r.id}: ${f.rule} ${f.message}`));
    expect(fresh).toEqual([]);
  });

  it('catches at least as many of the printed errors as the floor records', () => {
    expect(totals(results).caught).toBeGreaterThanOrEqual(floor.genuineCaught);
  });
});

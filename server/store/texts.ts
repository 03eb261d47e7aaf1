// The reader's text of each document, stored in pages at import and served a page at a time.
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { documentTexts } from '../db/schema.js';
import { pageLines, TEXT_PAGE_LINES, type ReaderText } from '../reading/text.js';

export async function storeText(db: Db, sha256: string, parser: string, text: ReaderText): Promise<void> {
  const rows = text.pages.map((gz, page) => ({ sha256, page, parser, lines: text.lines, textGz: gz }));
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 100) {
      await tx
        .insert(documentTexts)
        .values(rows.slice(i, i + 100))
        .onConflictDoUpdate({
          target: [documentTexts.sha256, documentTexts.page],
          set: { parser: sql`excluded.parser`, lines: sql`excluded.lines`, textGz: sql`excluded.text_gz` },
          setWhere: sql`${documentTexts.parser} <> excluded.parser or ${documentTexts.lines} <> excluded.lines`,
        });
    }
  });
}

export interface TextWindow {
  /** first line shown (1-based) */
  from: number;
  lines: string[];
  /** lines of the whole text */
  total: number;
}

/** Lines from..from+count-1 of a document's stored text; null when none is stored. */
export async function textWindow(db: Db, sha256: string, from: number, count: number): Promise<TextWindow | null> {
  const [head] = await db.select({ lines: documentTexts.lines }).from(documentTexts).where(and(eq(documentTexts.sha256, sha256), eq(documentTexts.page, 0)));
  if (!head) return null;
  const first = Math.min(Math.max(1, from), Math.max(1, head.lines));
  const last = Math.min(head.lines, first + count - 1);
  const pages = await db
    .select({ page: documentTexts.page, textGz: documentTexts.textGz })
    .from(documentTexts)
    .where(and(eq(documentTexts.sha256, sha256), gte(documentTexts.page, Math.floor((first - 1) / TEXT_PAGE_LINES)), lt(documentTexts.page, Math.floor((last - 1) / TEXT_PAGE_LINES) + 1)))
    .orderBy(asc(documentTexts.page));
  const lines: string[] = [];
  for (const p of pages) {
    const at = p.page * TEXT_PAGE_LINES; // 0-based index of the page's first line
    const page = await pageLines(p.textGz);
    lines.push(...page.slice(Math.max(0, first - 1 - at), Math.max(0, last - at)));
  }
  return { from: first, lines, total: head.lines };
}

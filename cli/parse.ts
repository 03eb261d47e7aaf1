// `nianjian parse FILE... [--json]`: the parser and single-report checks on files of any
// form (text, HTML, PDF, Word, images); a saved page that only links to its attachment is
// read from the attachment saved beside it.
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { analyseDocument } from '../checks/index.js';
import { MAX_BYTES, UnreadableDocumentError } from '../parser/index.js';
import type { ParsedReport } from '../parser/types.js';
import { mediaTypeOf } from './media.js';
import { summary } from './summary.js';

/**
 * A saved page's attachments and pictures, from its own folder on disk: only relative
 * links, and never outside that folder. The CLI never goes online.
 */
function besideFile(path: string): (url: string) => Promise<Uint8Array | null> {
  const folder = dirname(resolve(path));
  return async (url) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('/')) return null;
    const file = resolve(folder, decodeURIComponent(url.split(/[?#]/)[0]!));
    const rel = relative(folder, file);
    if (rel.startsWith('..') || isAbsolute(rel)) return null;
    try {
      return statSync(file).size <= MAX_BYTES ? readFileSync(file) : null;
    } catch {
      return null;
    }
  };
}

export async function parseFile(path: string): Promise<ParsedReport> {
  // refuse before reading a huge file into memory
  const size = statSync(path).size;
  if (size > MAX_BYTES) throw new UnreadableDocumentError('too_large', `文件过大（${(size / 1048576).toFixed(1)} MB）`);
  return analyseDocument({ bytes: readFileSync(path), file: basename(path), mediaType: mediaTypeOf(path) }, { resolve: besideFile(path) });
}

export async function parseCommand(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const files = args.filter((a) => a !== '--json');
  const unknown = files.filter((f) => f.startsWith('--'));
  if (unknown.length || files.length === 0) {
    process.stderr.write(unknown.length ? `未知选项：${unknown.join(' ')}\n` : '用法：nianjian parse FILE... [--json]\n');
    return 2;
  }
  const reports: ParsedReport[] = [];
  let failed = 0;
  for (const file of files) {
    try {
      const report = await parseFile(file);
      reports.push(report);
      if (!json) process.stdout.write(summary(report) + '\n');
    } catch (err) {
      failed++;
      const code = (err as NodeJS.ErrnoException).code;
      const reason =
        err instanceof UnreadableDocumentError ? err.message
        : code === 'ENOENT' ? '文件不存在'
        : code === 'EISDIR' ? '这是目录'
        : `解析失败（内部错误：${(err as Error).message ?? String(err)}）`;
      process.stderr.write(`无法读取 ${file}：${reason}\n`);
    }
  }
  if (json && reports.length) {
    process.stdout.write(JSON.stringify(files.length === 1 ? reports[0] : reports, null, 2) + '\n');
  }
  return failed ? 1 : 0;
}

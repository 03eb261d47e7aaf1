// ZIP containers (DOCX, OFD) opened with bounds: every entry is inflated as a stream and
// counted, so a zip bomb ends with a clear error after a bounded amount of work, whatever
// sizes its directory declares.
import { Unzip, UnzipInflate } from 'fflate';
import { UnreadableDocumentError } from '../decode.js';

/** No report's container inflates to more than this. */
export const MAX_UNZIPPED = 200 * 1024 * 1024;
const MAX_ENTRIES = 5_000;

/** The names of an archive's entries, without inflating any (telling DOCX from OFD needs no more). */
export function zipNames(bytes: Uint8Array): string[] {
  return readZip(bytes, () => false, false).names;
}

/** Takes an entry's content as it is inflated, chunk by chunk; may throw an UnreadableDocumentError to stop. */
export type Sink = (chunk: Uint8Array, final: boolean) => void;

/**
 * The names of the archive's entries and the content of those `want` asks for, every entry
 * inflated and counted. `want` may return a sink instead, which gets the entry as a stream
 * and holds only what it chooses to.
 */
export function readZip(bytes: Uint8Array, want: (name: string) => boolean | Sink = () => false, inflate = true): { names: string[]; files: Map<string, Uint8Array> } {
  const names: string[] = [];
  const files = new Map<string, Uint8Array>();
  let total = 0;
  let error: UnreadableDocumentError | null = null;
  const unzip = new Unzip((file) => {
    if (error) return;
    names.push(file.name);
    if (names.length > MAX_ENTRIES) {
      error = new UnreadableDocumentError('too_large', `压缩包内文件超过 ${MAX_ENTRIES} 个，不像正常文档`);
      return;
    }
    if (!inflate) return;
    const wanted = want(file.name);
    const sink = typeof wanted === 'function' ? wanted : null;
    const keep = wanted === true;
    const chunks: Uint8Array[] = [];
    file.ondata = (err, chunk, final) => {
      if (error) return;
      if (err) {
        error = new UnreadableDocumentError('malformed', `压缩包损坏（${file.name}：${err.message}）`);
        return;
      }
      total += chunk.length;
      if (total > MAX_UNZIPPED) {
        error = new UnreadableDocumentError('too_large', `文档解压后超过 ${MAX_UNZIPPED / 1048576} MB（疑似压缩炸弹），已停止`);
        file.terminate();
        return;
      }
      if (sink) {
        try {
          sink(chunk, final);
        } catch (e) {
          error = e instanceof UnreadableDocumentError ? e : new UnreadableDocumentError('malformed', `${file.name} 无法读取（${(e as Error).message}）`);
          file.terminate();
        }
        return;
      }
      if (keep) chunks.push(chunk);
      if (final && keep) files.set(file.name, concat(chunks));
    };
    try {
      file.start();
    } catch (e) {
      error = new UnreadableDocumentError('malformed', `压缩包无法解压（${file.name}：${(e as Error).message}）`);
    }
  });
  unzip.register(UnzipInflate);
  // compressed input is pushed in small steps: deflate inflates up to about 1,000 times, so
  // a step of 16 KB can never become more than some 16 MB in memory at once
  const STEP = 16 << 10;
  try {
    for (let i = 0; i < bytes.length && !error; i += STEP) unzip.push(bytes.subarray(i, i + STEP), i + STEP >= bytes.length);
  } catch (e) {
    error ??= new UnreadableDocumentError('malformed', `压缩包损坏（${(e as Error).message}）`);
  }
  if (error) throw error;
  return { names, files };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

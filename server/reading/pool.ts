// Documents are read in a small pool of child processes, never in the process that asked:
// a hostile file (a DOCX of 190 MB of paragraphs, a PDF that loops, a picture of 400
// megapixels) can exhaust the memory or the time of one reader, which is then killed and
// replaced, and the document ends with a recorded reason. Each reader has a heap cap, a
// resident-memory cap watched from here, a wall-clock deadline per document and a cap on
// the size of what it sends back.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UnreadableDocumentError } from '../../parser/decode.js';
import type { ReadOptions } from '../../parser/read.js';
import type { DocumentInput, ParsedReport } from '../../parser/types.js';
import type { ChildMessage, ParentMessage, Task } from './protocol.js';
import type { ReaderText } from './text.js';

export interface PoolLimits {
  /** reader processes at most (default: NIANJIAN_READERS, else the cores, at most 4) */
  processes: number;
  /** V8 heap of a reader */
  heapMb: number;
  /** resident memory of a reader (heap, buffers, OCR); over it the reader is killed */
  rssMb: number;
  /** what one document's reading may send back */
  maxOutputBytes: number;
  /** time beyond a document's own deadline before its reader is killed */
  graceMs: number;
}

const DEFAULT_TIMEOUT = 10 * 60_000;
/** a reader that has grown this large is replaced after its document, before the next */
const RECYCLE_RSS_MB = 600;
const RECYCLE_JOBS = 500;
const WATCH_MS = 50;
/** documents above this go to the reader through a file, not the channel (serialising 20 MB holds the event loop) */
const BY_FILE = 1 << 20;

function defaults(): PoolLimits {
  const env = Number(process.env.NIANJIAN_READERS);
  return {
    processes: env >= 1 ? Math.floor(env) : Math.min(4, Math.max(1, cpus().length)),
    heapMb: 1024,
    rssMb: 1400,
    maxOutputBytes: 64 * 1024 * 1024,
    graceMs: 15_000,
  };
}

interface Job {
  id: number;
  /** the document's bytes on disk for the reader, removed when the job ends */
  file?: string;
  task: Task;
  timeoutMs: number;
  resolveLink?: (url: string) => Promise<Uint8Array | null>;
  done: (result: unknown) => void;
  fail: (e: Error) => void;
}

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const CHILD = new URL('./child.ts', import.meta.url);

/** Resident memory of a process in MB (Linux), null where it cannot be read. */
function rssMb(pid: number): number | null {
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return (pages * 4096) / 1048576;
  } catch {
    return null;
  }
}

class Reader {
  readonly child: ChildProcess;
  job: Job | null = null;
  jobs = 0;
  /** why this reader is being killed, when it is */
  private verdict: UnreadableDocumentError | null = null;
  private stderr = '';
  private timer: NodeJS.Timeout | null = null;
  private watch: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: ReaderPool,
    private readonly limits: PoolLimits,
  ) {
    this.child = fork(CHILD, [], {
      execArgv: ['--import', TSX, `--max-old-space-size=${limits.heapMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    (this.child.stderr as unknown as { unref?: () => void }).unref?.();
    this.child.on('message', (m: ChildMessage) => this.message(m));
    this.child.on('exit', (code, signal) => this.exited(code, signal));
    this.child.on('error', () => {}); // a failed spawn ends in 'exit' too
    this.idle();
  }

  start(job: Job): void {
    this.job = job;
    this.jobs++;
    this.child.ref();
    (this.child.channel as { ref?: () => void } | undefined)?.ref?.();
    this.timer = setTimeout(() => {
      this.kill(new UnreadableDocumentError('timeout', `读取超时（超过 ${Math.round((job.timeoutMs + this.limits.graceMs) / 1000)} 秒），已停止`));
    }, job.timeoutMs + this.limits.graceMs);
    this.watch = setInterval(() => {
      const mb = rssMb(this.child.pid!);
      if (mb === null) return;
      this.pool.peakRssMb = Math.max(this.pool.peakRssMb, mb);
      if (mb > this.limits.rssMb) this.kill(new UnreadableDocumentError('too_large', `读取时内存超过上限（${this.limits.rssMb} MB），已停止`));
    }, WATCH_MS);
    // a spool that cannot be written (disk full) ends the document like any reader failure
    this.hand(job).catch((e: Error) => this.kill(new UnreadableDocumentError('crashed', `无法把文档交给读取进程（${e.message}）`)));
  }

  private async hand(job: Job): Promise<void> {
    const bytes = job.task.kind === 'page' ? job.task.bytes : job.task.input.bytes;
    if (bytes.length <= BY_FILE) {
      this.send({ kind: 'job', job: job.id, task: job.task, maxOutput: this.limits.maxOutputBytes });
      return;
    }
    const file = join(this.pool.spool(), `${process.pid}-${job.id}`);
    job.file = file;
    await writeFile(file, bytes);
    const task: Task = job.task.kind === 'page' ? { ...job.task, bytes: new Uint8Array() } : { ...job.task, input: { ...job.task.input, bytes: new Uint8Array() } };
    if (this.job === job) this.send({ kind: 'job', job: job.id, task, maxOutput: this.limits.maxOutputBytes, file });
  }

  private send(m: ParentMessage): void {
    if (this.child.connected) this.child.send(m);
  }

  private message(m: ChildMessage): void {
    const job = this.job;
    if (m.kind === 'ready' || !job || m.job !== job.id) return;
    if (m.kind === 'resolve') {
      const link = job.resolveLink ?? (async () => null);
      link(m.url)
        .catch(() => null)
        .then((bytes) => this.send({ kind: 'resolved', ask: m.ask, bytes }));
      return;
    }
    this.finish();
    if (m.kind === 'done') job.done(m.result);
    else job.fail(m.code === 'internal' ? new Error(m.message) : new UnreadableDocumentError(m.code as UnreadableDocumentError['code'], m.message));
    const mb = rssMb(this.child.pid!) ?? 0;
    if (mb > RECYCLE_RSS_MB || this.jobs >= RECYCLE_JOBS) this.retire();
    else this.pool.released(this);
  }

  private finish(): void {
    if (this.job?.file) void rm(this.job.file, { force: true });
    if (this.timer) clearTimeout(this.timer);
    if (this.watch) clearInterval(this.watch);
    this.timer = this.watch = null;
    this.job = null;
    this.idle();
  }

  /** An idle reader keeps no process alive. */
  private idle(): void {
    this.child.unref();
    (this.child.channel as { unref?: () => void } | undefined)?.unref?.();
  }

  private kill(verdict: UnreadableDocumentError): void {
    if (this.verdict) return;
    this.verdict = verdict;
    this.child.kill('SIGKILL');
  }

  retire(): void {
    this.pool.forget(this);
    this.child.kill('SIGKILL');
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    const job = this.job;
    this.finish();
    this.pool.forget(this);
    if (!job) return;
    this.pool.replaced++;
    const outOfMemory = /heap out of memory|Reached heap limit|allocation failed/i.test(this.stderr);
    job.fail(
      this.verdict ??
        (outOfMemory
          ? new UnreadableDocumentError('too_large', `读取时内存超过上限（${this.limits.heapMb} MB），已停止`)
          : new UnreadableDocumentError('crashed', `读取进程异常退出（${signal ?? `退出码 ${code}`}），已停止`)),
    );
  }
}

export class ReaderPool {
  private readonly limits: PoolLimits;
  private readonly readers = new Set<Reader>();
  private readonly free: Reader[] = [];
  private readonly queue: Job[] = [];
  private next = 0;
  private closed = false;
  private spoolDir: string | null = null;
  /** the largest resident memory seen of any reader, in MB */
  peakRssMb = 0;
  /** readers killed or lost while reading (and replaced) */
  replaced = 0;

  constructor(limits: Partial<PoolLimits> = {}) {
    this.limits = { ...defaults(), ...limits };
  }

  /** The report and what the reader saw (its text, numbered as evidence names lines). */
  read(input: DocumentInput, opts: ReadOptions = {}): Promise<{ report: ParsedReport; text: ReaderText }> {
    const { resolve, ...rest } = opts;
    return this.submit({ kind: 'read', input, opts: rest, resolve: !!resolve }, opts.timeoutMs ?? DEFAULT_TIMEOUT, resolve) as Promise<{ report: ParsedReport; text: ReaderText }>;
  }

  /** What the reader sees of a document, without OCR (a document imported before texts were kept). */
  text(input: DocumentInput, timeoutMs = 60_000): Promise<ReaderText> {
    return this.submit({ kind: 'text', input, timeoutMs }, timeoutMs) as Promise<ReaderText>;
  }

  /** A PDF page or a picture as PNG; null when the document has no such page image. */
  page(bytes: Uint8Array, page: number, scale: number, timeoutMs = 60_000): Promise<Uint8Array | null> {
    return this.submit({ kind: 'page', bytes, page, scale }, timeoutMs) as Promise<Uint8Array | null>;
  }

  private submit(task: Task, timeoutMs: number, resolveLink?: Job['resolveLink']): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('读取进程池已关闭'));
    return new Promise((done, fail) => {
      this.queue.push({ id: ++this.next, task, timeoutMs, resolveLink, done, fail });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      let reader = this.free.pop();
      if (!reader) {
        if (this.readers.size >= this.limits.processes) return;
        reader = new Reader(this, this.limits);
        this.readers.add(reader);
      }
      reader.start(this.queue.shift()!);
    }
  }

  /** The folder large documents are handed to readers through. */
  spool(): string {
    if (!this.spoolDir) {
      this.spoolDir = join(tmpdir(), 'nianjian-readers');
      mkdirSync(this.spoolDir, { recursive: true, mode: 0o700 });
    }
    return this.spoolDir;
  }

  /** A reader done with its document takes the next. */
  released(reader: Reader): void {
    this.free.push(reader);
    this.pump();
  }

  /** A reader that died or was retired; its place is taken by a new one when work comes. */
  forget(reader: Reader): void {
    if (!this.readers.delete(reader)) return;
    const at = this.free.indexOf(reader);
    if (at >= 0) this.free.splice(at, 1);
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.fail(new Error('读取进程池已关闭'));
    for (const r of [...this.readers]) r.retire();
  }
}

let shared: ReaderPool | null = null;

/** The process's reader pool, started on first use. */
export function readerPool(): ReaderPool {
  return (shared ??= new ReaderPool());
}

export async function closeReaderPool(): Promise<void> {
  await shared?.close();
  shared = null;
}

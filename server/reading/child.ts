// A reader process of the pool (pool.ts): reads one document at a time for its parent, so
// that a document which exhausts memory or loops takes down only this process. Results
// larger than the parent accepts are refused here, before they cross the channel.
import { readFile, rm } from 'node:fs/promises';
import { serialize } from 'node:v8';
import { UnreadableDocumentError } from '../../parser/decode.js';
import { pagePng, readDocumentText, readDocumentWithText } from '../../parser/read.js';
import type { ChildMessage, ParentMessage } from './protocol.js';
import { textPages } from './text.js';

const send = (m: ChildMessage) => process.send!(m);
const waiting = new Map<number, (bytes: Uint8Array | null) => void>();
let asked = 0;

/** A link the document points to, fetched by the parent (which holds the polite fetcher). */
function resolver(job: number) {
  return (url: string) =>
    new Promise<Uint8Array | null>((resolve) => {
      const ask = ++asked;
      waiting.set(ask, resolve);
      send({ kind: 'resolve', job, ask, url });
    });
}

async function run(m: Extract<ParentMessage, { kind: 'job' }>): Promise<unknown> {
  const { task } = m;
  if (m.file) {
    const bytes = new Uint8Array(await readFile(m.file));
    await rm(m.file, { force: true });
    if (task.kind === 'page') task.bytes = bytes;
    else task.input.bytes = bytes;
  }
  switch (task.kind) {
    case 'read': {
      const { report, text } = await readDocumentWithText(task.input, { ...task.opts, resolve: task.resolve ? resolver(m.job) : undefined });
      return { report, text: textPages(text) };
    }
    case 'text':
      return textPages(await readDocumentText(task.input, { ocr: false, timeoutMs: task.timeoutMs }));
    case 'page':
      return pagePng(task.bytes, task.page, task.scale);
  }
}

process.on('message', (m: ParentMessage) => {
  if (m.kind === 'resolved') {
    waiting.get(m.ask)?.(m.bytes);
    waiting.delete(m.ask);
    return;
  }
  run(m).then(
    (result) => {
      const size = serialize(result).length;
      if (size > m.maxOutput) {
        send({ kind: 'failed', job: m.job, code: 'too_large', message: `读取结果过大（${(size / 1048576).toFixed(1)} MB，上限 ${m.maxOutput / 1048576} MB）` });
      } else send({ kind: 'done', job: m.job, result });
    },
    (e: unknown) => {
      if (e instanceof UnreadableDocumentError) send({ kind: 'failed', job: m.job, code: e.code, message: e.message });
      else send({ kind: 'failed', job: m.job, code: 'internal', message: e instanceof Error ? e.message.slice(0, 300) : String(e).slice(0, 300) });
    },
  );
});

// the parent is gone: nothing is left to read for
process.on('disconnect', () => process.exit(0));
send({ kind: 'ready' });

// word-extractor in a worker thread of bounded memory: a legacy DOC whose sector chains
// loop makes it allocate without end, which would take the whole process down with it.
import { parentPort, workerData } from 'node:worker_threads';
import WordExtractor from 'word-extractor';

try {
  const doc = await new WordExtractor().extract(Buffer.from(workerData));
  parentPort.postMessage({ body: doc.getBody() });
} catch (e) {
  parentPort.postMessage({ error: String(e?.message ?? e) });
}

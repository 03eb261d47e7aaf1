// The messages between the reader pool and its processes.
import type { ReadOptions } from '../../parser/read.js';
import type { DocumentInput } from '../../parser/types.js';

export type Task =
  | { kind: 'read'; input: DocumentInput; opts: Omit<ReadOptions, 'resolve'>; resolve: boolean }
  | { kind: 'text'; input: DocumentInput; timeoutMs: number }
  | { kind: 'page'; bytes: Uint8Array; page: number; scale: number };

export type ParentMessage =
  /** `file`: where the document's bytes are, left out of `task` (a large document is not sent down the channel) */
  | { kind: 'job'; job: number; task: Task; maxOutput: number; file?: string }
  | { kind: 'resolved'; ask: number; bytes: Uint8Array | null };

export type ChildMessage =
  | { kind: 'ready' }
  | { kind: 'resolve'; job: number; ask: number; url: string }
  | { kind: 'done'; job: number; result: unknown }
  | { kind: 'failed'; job: number; code: string; message: string };

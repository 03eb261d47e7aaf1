// OFD (GB/T 33190, the Chinese fixed-layout format). Not read yet: a clear refusal keeps
// the original for a later retry instead of guessing at its text.
import { UnreadableDocumentError } from '../decode.js';
import type { Line } from '../types.js';

export function ofdToLines(_bytes: Uint8Array): { lines: Line[]; warnings: string[] } {
  throw new UnreadableDocumentError('unsupported_form', 'OFD 版式文件暂不支持读取，原文件已保存，请先转换为 PDF');
}

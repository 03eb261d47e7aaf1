// GBK bytes of a string, as the GB2312/GBK sites serve their pages (Node encodes no GB*).
let table: Map<string, number[]> | null = null;

export function gbk(text: string): Buffer {
  if (!table) {
    table = new Map();
    const decoder = new TextDecoder('gb18030');
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = decoder.decode(new Uint8Array([a, b]));
        if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, [a, b]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const bytes = table.get(ch);
      if (!bytes) throw new Error(`no GBK code for ${ch}`);
      out.push(...bytes);
    }
  }
  return Buffer.from(out);
}

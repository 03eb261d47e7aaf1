// A minimal OFD writer for fixtures: pages of text objects and ruled cells, positions in
// millimetres, packed as GB/T 33190 lays them out (OFD.xml → Doc_0/Document.xml → pages).
import { strToU8, zipSync } from 'fflate';

export interface OfdText {
  text: string;
  /** [x0, y0, x1, y1] in mm from the top left */
  box: [number, number, number, number];
}

export interface OfdPage {
  texts: OfdText[];
  /** ruled rectangles (table cells) */
  cells: Array<[number, number, number, number]>;
  images?: number;
}

const NS = 'xmlns:ofd="http://www.ofdspec.org/2016"';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const mm = (n: number) => n.toFixed(2);

export function writeOfd(pages: OfdPage[]): Uint8Array {
  let id = 1;
  const files: Record<string, Uint8Array> = {
    'OFD.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><ofd:OFD ${NS} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>nianjian-fixture</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`),
  };
  pages.forEach((p, i) => {
    const objects: string[] = [];
    for (const t of p.texts) {
      const size = Math.min(t.box[3] - t.box[1], 4.2);
      const [x0, y0, x1, y1] = t.box;
      objects.push(`<ofd:TextObject ID="${id++}" Boundary="${mm(x0)} ${mm(y0)} ${mm(x1 - x0)} ${mm(y1 - y0)}" Font="1" Size="${mm(size)}"><ofd:TextCode X="0" Y="${mm(y1 - y0)}">${esc(t.text)}</ofd:TextCode></ofd:TextObject>`);
    }
    for (const [x0, y0, x1, y1] of p.cells) {
      objects.push(`<ofd:PathObject ID="${id++}" Boundary="${mm(x0)} ${mm(y0)} ${mm(x1 - x0)} ${mm(y1 - y0)}" LineWidth="0.26"><ofd:AbbreviatedData>M 0 0 L ${mm(x1 - x0)} 0 L ${mm(x1 - x0)} ${mm(y1 - y0)} L 0 ${mm(y1 - y0)} C</ofd:AbbreviatedData></ofd:PathObject>`);
    }
    for (let k = 0; k < (p.images ?? 0); k++) objects.push(`<ofd:ImageObject ID="${id++}" Boundary="0 0 210 297" ResourceID="99"/>`);
    files[`Doc_0/Pages/Page_${i}/Content.xml`] = strToU8(`<?xml version="1.0" encoding="UTF-8"?><ofd:Page ${NS}><ofd:Content><ofd:Layer ID="${id++}">${objects.join('')}</ofd:Layer></ofd:Content></ofd:Page>`);
  });
  files['Doc_0/Document.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8"?><ofd:Document ${NS}><ofd:CommonData><ofd:MaxUnitID>${id}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages>${pages
      .map((_, i) => `<ofd:Page ID="${id + i + 1}" BaseLoc="Pages/Page_${i}/Content.xml"/>`)
      .join('')}</ofd:Pages></ofd:Document>`,
  );
  return zipSync(files);
}

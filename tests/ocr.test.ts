// Pieces of the OCR reader that the corpus scans (tests/corpus) do not isolate: a red seal
// dropped from a colour page, and a table broken by the page closed at its verticals' ends
// in a scan while a text-layer PDF's grids stay as drawn.
import { describe, expect, it } from 'vitest';
import { findGrids, type HSeg, type VSeg } from '../parser/extract/geometry.js';
import { inkOfColour } from '../parser/extract/ocr.js';

describe('a colour page as grey ink', () => {
  it('drops a red seal, keeps black print under it and ink of other colours', () => {
    const pixels = [
      [215, 25, 30], // the seal's ink on paper
      [0, 0, 0], // black print under the seal (stamp ink multiplies)
      [20, 20, 20], // black print
      [20, 40, 160], // blue ink
      [255, 255, 255], // paper
    ];
    const { data } = inkOfColour(Uint8Array.from(pixels.flat()), pixels.length, 1, 3);
    expect(data[0]).toBeGreaterThan(240);
    expect(data[1]).toBe(0);
    expect(data[2]).toBe(20);
    expect(data[3]).toBeLessThan(60);
    expect(data[4]).toBe(255);
  });
});

describe('a table broken by the page', () => {
  // four verticals from the table's top to the page's foot; rules under the header and the first row only
  const v: VSeg[] = [100, 400, 700, 1000].map((x) => ({ x, y0: 200, y1: 620 }));
  const h: HSeg[] = [200, 300, 420].map((y) => ({ y, x0: 100, x1: 1000 }));

  it('gets its last row from where its verticals end, in a scan', () => {
    const [open] = findGrids(h, v, 8, 24, 6, true);
    expect(open!.box).toEqual([100, 200, 1000, 620]);
    expect(new Set(open!.cells.map((c) => c.row)).size).toBe(3);
  });

  it('stays as drawn in a text-layer PDF', () => {
    const [drawn] = findGrids(h, v, 8, 24, 6);
    expect(drawn!.box).toEqual([100, 200, 1000, 420]);
    expect(new Set(drawn!.cells.map((c) => c.row)).size).toBe(2);
  });

  it('gets no row from verticals that only overshoot the last rule', () => {
    const short = v.map((s) => ({ ...s, y1: 430 }));
    const [grid] = findGrids(h, short, 8, 24, 6, true);
    expect(grid!.box).toEqual([100, 200, 1000, 420]);
  });
});

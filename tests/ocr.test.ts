// Pieces of the OCR reader that the corpus scans (tests/corpus) do not isolate: a red seal
// dropped from a colour page, a table broken by the page closed at its verticals' ends
// in a scan while a text-layer PDF's grids stay as drawn, and a photo's perspective taken out.
import { describe, expect, it } from 'vitest';
import { findGrids, type HSeg, type VSeg } from '../parser/extract/geometry.js';
import { frame, inkOfColour, unwarp, type Point } from '../parser/extract/ocr.js';

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

describe("a photo's perspective", () => {
  /** A white page with a table's frame (four rules and a middle one) through these corners. */
  const page = (corners: Point[]) => {
    const [width, height] = [1200, 1600];
    const data = new Uint8Array(width * height).fill(255);
    const rule = ([ax, ay]: Point, [bx, by]: Point) => {
      const n = Math.ceil(Math.hypot(bx - ax, by - ay));
      for (let k = 0; k <= n; k++) {
        const x = Math.round(ax + ((bx - ax) * k) / n);
        const y = Math.round(ay + ((by - ay) * k) / n);
        for (let dy = -1; dy <= 1; dy++) data.fill(0, (y + dy) * width + x - 1, (y + dy) * width + x + 2);
      }
    };
    corners.forEach((c, k) => rule(c, corners[(k + 1) % 4]!));
    const mid = (a: Point, b: Point): Point => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    rule(mid(corners[0]!, corners[3]!), mid(corners[1]!, corners[2]!));
    return { data, width, height };
  };

  it('maps a table frame photographed at a slant onto a rectangle', () => {
    // the corners moved as a phone held below the page's top left moves them (up to 7 %)
    const slanted = page([[180, 260], [1060, 210], [1090, 1420], [140, 1350]]);
    const [tl, tr, br, bl] = frame(unwarp(slanted))!;
    const TOL = 6;
    expect(Math.abs(tl[1] - tr[1])).toBeLessThanOrEqual(TOL);
    expect(Math.abs(bl[1] - br[1])).toBeLessThanOrEqual(TOL);
    expect(Math.abs(tl[0] - bl[0])).toBeLessThanOrEqual(TOL);
    expect(Math.abs(tr[0] - br[0])).toBeLessThanOrEqual(TOL);
  });

  it('leaves a frame that is a rectangle, turned or not, to the skew correction', () => {
    const square = page([[150, 200], [1050, 200], [1050, 1300], [150, 1300]]);
    expect(unwarp(square)).toBe(square);
    const t = (2 * Math.PI) / 180;
    const turned = page(([[150, 200], [1050, 200], [1050, 1300], [150, 1300]] as Point[]).map(([x, y]): Point => [600 + (x - 600) * Math.cos(t) - (y - 750) * Math.sin(t), 750 + (x - 600) * Math.sin(t) + (y - 750) * Math.cos(t)]));
    expect(unwarp(turned)).toBe(turned);
  });
});

/** Class breaks, label placement and census shares of the report, against hand-worked answers. */
import { describe, expect, it } from 'vitest';
import { classLabels, classOf, quantileBreaks, round2 } from '../../../core/report/classes.js';
import { intersects, placeLabels, textWidth } from '../../../core/report/labels.js';
import { shareInside } from '../../../core/report/totals.js';
import { EN } from '../../../core/report/i18n/en.js';
import { JA } from '../../../core/report/i18n/ja.js';
import { TH } from '../../../core/report/i18n/th.js';
import { reportTranslator } from '../../../core/report/i18n/index.js';

describe('quantile class breaks', () => {
  it('split 1..10 into five classes of two values each', () => {
    const b = quantileBreaks([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 5);
    expect(b).toEqual([3, 5, 7, 9]);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((v) => classOf(v, b))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
  });
  it('merge classes on ties instead of making empty ones, and ignore non-finite values', () => {
    expect(quantileBreaks([0, 0, 0, 0, 0, 0, 1, 2, 3, 4, NaN, Infinity], 5)).toEqual([1, 3]);
    expect(quantileBreaks([2, 2, 2], 5)).toEqual([]);
  });
  it('round to two significant figures and label the classes', () => {
    expect([round2(0.0437), round2(3.86), round2(1234)]).toEqual([0.044, 3.9, 1200]);
    expect(classLabels([1, 3], String)).toEqual(['< 1', '1–3', '≥ 3']);
    expect(classLabels([], String, 'ทั้งหมด')).toEqual(['ทั้งหมด']);
  });
});

describe('label placement', () => {
  const opts = { width: 300, height: 200, size: 9, reserved: [] };
  it('places two labels of points 6 px apart without overlap (the second moves off its default place)', () => {
    const { placed, dropped } = placeLabels([
      { text: 'Mo Chit', x: 150, y: 100, r: 4, priority: 0 },
      { text: 'Chatuchak Park', x: 144, y: 100, r: 4, priority: 1 },
    ], opts);
    expect(dropped).toEqual([]);
    expect(placed.map((p) => p.text)).toEqual(['Chatuchak Park', 'Mo Chit']);
    expect(intersects(placed[0].box, placed[1].box)).toBe(false);
    // Neither label covers either station's symbol (Mo Chit's symbol, 6 px right, pushes Chatuchak Park's label to the left).
    const symbols = [{ x: 146, y: 96, w: 8, h: 8 }, { x: 140, y: 96, w: 8, h: 8 }];
    for (const p of placed) for (const s of symbols) expect(intersects(p.box, s)).toBe(false);
    expect(placed[0].box.x + placed[0].box.w).toBeLessThanOrEqual(140);
  });
  it('names what finds no room instead of overprinting it', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ text: `Station number ${i}`, x: 40, y: 30, r: 3, priority: 0 }));
    const { placed, dropped } = placeLabels(many, { width: 80, height: 60, size: 9, reserved: [] });
    expect(placed.length + dropped.length).toBe(30);
    expect(dropped.length).toBeGreaterThan(0);
    for (let i = 0; i < placed.length; i++) for (let j = i + 1; j < placed.length; j++) expect(intersects(placed[i].box, placed[j].box)).toBe(false);
  });
  it('measures CJK wider than Latin and ignores Thai marks above and below', () => {
    expect(textWidth('駅前', 10)).toBe(20);
    expect(textWidth('กิ', 10)).toBeCloseTo(textWidth('ก', 10));
  });
});

describe('census share inside a frame', () => {
  it('is the clipped area over the zone area, holes subtracted', () => {
    const sq = (a: number, b: number): Array<[number, number]> => [[a, a], [b, a], [b, b], [a, b], [a, a]];
    expect(shareInside([[sq(0, 2)]], [1, 0, 3, 3])).toBeCloseTo(0.5);
    expect(shareInside([[[[0, 0], [2, 0], [0, 2], [0, 0]]]], [0, 0, 1, 1])).toBeCloseTo(0.5);
    expect(shareInside([[sq(0, 4), sq(1, 3)]], [0, 0, 2, 4])).toBeCloseTo(0.5);
    expect(shareInside([[sq(0, 1)]], [5, 5, 6, 6])).toBe(0);
  });
});

describe('report words', () => {
  it('have every English key in Japanese and Thai, with the same placeholders', () => {
    for (const cat of [JA, TH]) for (const k of Object.keys(EN) as Array<keyof typeof EN>) {
      expect(cat[k], k).toBeTruthy();
      expect((cat[k].match(/\{\w+\}/g) ?? []).sort(), k).toEqual((EN[k].match(/\{\w+\}/g) ?? []).sort());
    }
    expect(reportTranslator('ja')('title.scenario', { name: 'TOD' })).toBe('シナリオ：TOD');
  });
});

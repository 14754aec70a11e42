import { describe, expect, it } from 'vitest';
import { annuityPayment, irr, npv, paybackYear } from '../../../core/lvc/finance.js';
import { absorptionShares, cumulative } from '../../../core/lvc/absorption.js';

// Expected values: tests/fixtures/lvc/SOURCE.md (hand arithmetic, checked in plain Python).
describe('finance', () => {
  it('NPV matches the hand-computed values', () => {
    expect(npv(0.1, [-100, 110])).toBeCloseTo(0, 12);
    expect(npv(0.05, [-1000, 300, 400, 500])).toBeCloseTo(80.44487636324374, 9);
  });

  it('IRR finds the unique root', () => {
    const r = irr([-1000, 300, 400, 500]);
    expect(r.status).toBe('unique');
    expect(r.irr).toBeCloseTo(0.08896339469335, 10);
    expect(irr([-100, 110]).irr).toBeCloseTo(0.1, 11);
    expect(irr([-100, 0, 121]).irr).toBeCloseTo(0.1, 11);
  });

  it('IRR reports both roots of a flow with two sign changes instead of picking one', () => {
    const r = irr([-100, 230, -132]);
    expect(r.status).toBe('multiple');
    expect(r.irr).toBeNull();
    expect(r.roots).toHaveLength(2);
    expect(r.roots[0]).toBeCloseTo(0.1, 10);
    expect(r.roots[1]).toBeCloseTo(0.2, 10);
  });

  it('IRR says when there is none', () => {
    expect(irr([100, -50, 100]).status).toBe('none');
    expect(irr([-100, -50]).status).toBe('none');
    expect(irr([0, 0]).status).toBe('none');
  });

  it('annuity payment', () => {
    expect(annuityPayment(1000, 0.05, 10)).toBeCloseTo(129.5045749654566, 10);
    expect(annuityPayment(1000, 0, 4)).toBe(250);
  });

  it('payback year', () => {
    expect(paybackYear([-100, 30, 40, 50])).toBe(3);
    expect(paybackYear([-100, 30, 40])).toBeNull();
    expect(paybackYear([-100, 200, -300])).toBeNull();
  });

  it('rejects a discount rate at or below −100 % and a zero-year annuity', () => {
    expect(() => npv(-1, [1, 2])).toThrow(/above −100 %/);
    expect(() => npv(-1.5, [1, 2])).toThrow(expect.objectContaining({ code: 'E_INPUT_INVALID' }));
    expect(() => annuityPayment(1, 0.05, 0)).toThrow(expect.objectContaining({ code: 'E_INPUT_INVALID' }));
  });
});

describe('absorption S-curve', () => {
  it('spreads exactly 100 % over the period, starting in the start year', () => {
    const s = absorptionShares({ startYear: 2, years: 10, steepness: 0.6 }, 20);
    expect(s[0]).toBe(0);
    expect(s[1]).toBe(0);
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(s[12]).toBe(0);
    // Logistic: slow start, fastest in the middle, symmetric.
    expect(s[2]).toBeLessThan(s[6]);
    expect(s[2]).toBeCloseTo(s[11], 12);
    expect(cumulative(s)[11]).toBeCloseTo(1, 12);
  });

  it('steepness 0 gives an even spread', () => {
    const s = absorptionShares({ startYear: 0, years: 4, steepness: 0 }, 4);
    expect([...s]).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('rejects a zero-year period', () => {
    expect(() => absorptionShares({ startYear: 0, years: 0, steepness: 1 }, 5)).toThrow(expect.objectContaining({ code: 'E_INPUT_INVALID' }));
  });
});

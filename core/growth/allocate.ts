/**
 * Where growth lands, period by period: the demand of each market area (its control total minus
 * what is already there) is met by the parcels that pass the redevelopment test, best margin first,
 * within the area's absorption ceiling for the period; public land under a programme is built as the
 * programme says, within the same ceiling. A parcel may be built in part (a large site phased over
 * periods), never beyond its capacity. Pure and typed-array based: no project, no I/O.
 */

export interface AllocInput {
  n: number;
  nAreas: number;
  periods: number;
  /** Market area per parcel, -1 = none (takes no growth). */
  area: Int32Array;
  /** What full build-out of the parcel adds over what stands (capacity − existing): residents, jobs, m². */
  dRes: Float64Array;
  dJobs: Float64Array;
  dResM2: Float64Array;
  dNonResM2: Float64Array;
  /** Redevelopment margin (residual value − existing use value × (1 + premium)) per m² of land; NaN = fails the test. */
  margin: Float64Array;
  /** Programme zone per parcel, -1 = none; programme parcels are built only by their programme. */
  programme: Int32Array | null;
  nZones: number;
  /** Per zone × period: floor area the programme has built by the end of the period (cumulative m²). */
  programmeDue: Float64Array;
  /** Per area: residents and jobs in the base year. */
  baseRes: Float64Array;
  baseJobs: Float64Array;
  /** Per area × period: control totals at the period's end year. */
  targetRes: Float64Array;
  targetJobs: Float64Array;
  /** Per area × period: absorption ceiling of the period (m²). */
  capResM2: Float64Array;
  capNonResM2: Float64Array;
}

export interface AllocOutput {
  /** Per period × parcel: built share of the parcel's capacity by the end of the period (cumulative, 0–1). */
  share: Float32Array;
  /** Per area × period: what was built in the period. */
  builtRes: Float64Array;
  builtJobs: Float64Array;
  builtResM2: Float64Array;
  builtNonResM2: Float64Array;
  /** Per area × period: control total not met at the period's end (growth the site cannot take; it goes elsewhere in the region). */
  unmetRes: Float64Array;
  unmetJobs: Float64Array;
  /** Per zone × period: programme floor area built in the period, and what the ceiling held back (cumulative at the period's end). */
  programmeBuiltM2: Float64Array;
  programmeShortM2: Float64Array;
  /** Programme parcels, then the market's parcels in rank order as far as the allocation looked (best margin first). */
  order: Uint32Array;
}

const EPS = 1e-9;

const IDX_BITS = 2 ** 21;
const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);

/**
 * Candidates in rank order: best margin first, ties by index. Up to 2 million parcels the order is
 * one native sort of packed keys — the margin's float32 bit pattern (positive floats order as their
 * bits) above the complemented index, an exact integer below 2^53 — instead of a comparator sort,
 * which took most of the allocation's time at 200,000 parcels. Margins equal to float32 precision
 * (7 digits) rank by index.
 */
export function rankByMargin(margin: Float64Array, ids: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(ids.length);
  if (ids.length && ids[ids.length - 1] < IDX_BITS) {
    const keys = new Float64Array(ids.length);
    for (let k = 0; k < ids.length; k++) {
      f32[0] = margin[ids[k]];
      keys[k] = u32[0] * IDX_BITS + (IDX_BITS - 1 - ids[k]);
    }
    keys.sort();
    for (let k = 0; k < keys.length; k++) out[k] = IDX_BITS - 1 - (keys[keys.length - 1 - k] % IDX_BITS);
    return out;
  }
  out.set(Array.from(ids));
  return out.sort((x, y) => margin[y] - margin[x] || x - y);
}

function candidates(a: AllocInput): { market: Uint32Array; programme: Uint32Array } {
  const market = new Uint32Array(a.n);
  const prog: number[] = [];
  let nm = 0;
  for (let i = 0; i < a.n; i++) {
    if (a.area[i] < 0) continue;
    if (!(a.dResM2[i] + a.dNonResM2[i] > EPS)) continue;
    if (a.programme !== null && a.programme[i] >= 0) prog.push(i);
    else if (a.margin[i] === a.margin[i]) market[nm++] = i;
  }
  const m = a.margin;
  const key = (i: number) => (m[i] === m[i] ? m[i] : -Infinity);
  prog.sort((x, y) => key(y) - key(x) || x - y);
  return { market: rankByMargin(m, market.subarray(0, nm)), programme: Uint32Array.from(prog) };
}

export function allocate(a: AllocInput): AllocOutput {
  const { n, nAreas: A, periods: P, area, dRes, dJobs, dResM2, dNonResM2, programme } = a;
  const cand = candidates(a);
  const ranked = cand.market;
  let looked = 0;
  const prog = cand.programme;
  const done = new Float64Array(n);
  const out: AllocOutput = {
    share: new Float32Array(P * n), builtRes: new Float64Array(A * P), builtJobs: new Float64Array(A * P),
    builtResM2: new Float64Array(A * P), builtNonResM2: new Float64Array(A * P), unmetRes: new Float64Array(A * P),
    unmetJobs: new Float64Array(A * P), programmeBuiltM2: new Float64Array(a.nZones * P), programmeShortM2: new Float64Array(a.nZones * P), order: new Uint32Array(0),
  };
  const achievedRes = Float64Array.from(a.baseRes), achievedJobs = Float64Array.from(a.baseJobs);
  const zoneBuilt = new Float64Array(a.nZones);
  const capR = new Float64Array(A), capN = new Float64Array(A), remR = new Float64Array(A), remJ = new Float64Array(A);

  const take = (i: number, f: number, p: number) => {
    const ar = area[i], c = ar * P + p;
    done[i] += f;
    remR[ar] -= f * dRes[i]; remJ[ar] -= f * dJobs[i];
    capR[ar] -= f * dResM2[i]; capN[ar] -= f * dNonResM2[i];
    out.builtRes[c] += f * dRes[i]; out.builtJobs[c] += f * dJobs[i];
    out.builtResM2[c] += f * dResM2[i]; out.builtNonResM2[c] += f * dNonResM2[i];
    achievedRes[ar] += f * dRes[i]; achievedJobs[ar] += f * dJobs[i];
  };

  for (let p = 0; p < P; p++) {
    for (let ar = 0; ar < A; ar++) {
      capR[ar] = a.capResM2[ar * P + p]; capN[ar] = a.capNonResM2[ar * P + p];
      remR[ar] = a.targetRes[ar * P + p] - achievedRes[ar]; remJ[ar] = a.targetJobs[ar * P + p] - achievedJobs[ar];
    }
    // 1. The public-land programme: its own schedule, held back only by the market ceiling.
    if (programme !== null) {
      for (let k = 0; k < prog.length; k++) {
        const i = prog[k], z = programme[i];
        const due = a.programmeDue[z * P + p] - zoneBuilt[z];
        const rest = 1 - done[i];
        if (due <= EPS || rest <= EPS) continue;
        const ar = area[i], dF = dResM2[i] + dNonResM2[i];
        let f = Math.min(rest, due / dF);
        if (dResM2[i] > EPS) f = Math.min(f, Math.max(0, capR[ar]) / dResM2[i]);
        if (dNonResM2[i] > EPS) f = Math.min(f, Math.max(0, capN[ar]) / dNonResM2[i]);
        if (f <= EPS) continue;
        take(i, f, p);
        zoneBuilt[z] += f * dF;
        out.programmeBuiltM2[z * P + p] += f * dF;
      }
      for (let z = 0; z < a.nZones; z++) out.programmeShortM2[z * P + p] = Math.max(0, a.programmeDue[z * P + p] - zoneBuilt[z]);
    }
    // 2. The market: best margin first, each parcel judged by the use it mostly adds; its secondary
    //    use (the shops under the flats) is absorbed with it and counts against that use's ceiling.
    // Areas that still want growth and have room for it; the walk stops when none does.
    const wants = (ar: number) => (remR[ar] > EPS && capR[ar] > EPS) || (remJ[ar] > EPS && capN[ar] > EPS);
    let active = 0;
    for (let ar = 0; ar < A; ar++) if (wants(ar)) active++;
    for (let k = 0; active > 0 && k < ranked.length; k++) {
      const i = ranked[k];
      if (k >= looked) looked = k + 1;
      const rest = 1 - done[i];
      if (rest <= EPS) continue;
      const ar = area[i];
      let f: number;
      if (dResM2[i] >= dNonResM2[i]) {
        if (remR[ar] <= EPS || capR[ar] <= EPS) continue;
        f = Math.min(rest, capR[ar] / dResM2[i]);
        if (dRes[i] > EPS) f = Math.min(f, remR[ar] / dRes[i]);
      } else {
        if (remJ[ar] <= EPS || capN[ar] <= EPS) continue;
        f = Math.min(rest, capN[ar] / dNonResM2[i]);
        if (dJobs[i] > EPS) f = Math.min(f, remJ[ar] / dJobs[i]);
      }
      if (f > EPS) {
        const before = wants(ar);
        take(i, f, p);
        if (before && !wants(ar)) active--;
      }
    }
    for (let ar = 0; ar < A; ar++) {
      out.unmetRes[ar * P + p] = Math.max(0, a.targetRes[ar * P + p] - achievedRes[ar]);
      out.unmetJobs[ar * P + p] = Math.max(0, a.targetJobs[ar * P + p] - achievedJobs[ar]);
    }
    const s = out.share.subarray(p * n, (p + 1) * n);
    for (let i = 0; i < n; i++) s[i] = done[i] > 1 - EPS ? 1 : done[i];
  }
  out.order = new Uint32Array(prog.length + looked);
  out.order.set(prog);
  out.order.set(ranked.subarray(0, looked), prog.length);
  return out;
}

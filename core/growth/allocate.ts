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

/** Scratch buffers reused across calls (allocation is synchronous, so one set serves every caller). */
function makeScratch(m: number) {
  const f = () => new Float64Array(m);
  return { keyA: new Uint32Array(m), keyB: new Uint32Array(m), idB: new Uint32Array(m), market: new Uint32Array(m), done: f(),
    gDone: f(), ranked: new Uint32Array(m), built: new Uint32Array(m), lPos: new Uint32Array(m), lof: new Uint32Array(m), top: new Uint32Array(m) };
}
let scratch = makeScratch(0);
const hist0 = new Uint32Array(2048), hist1 = new Uint32Array(2048), hist2 = new Uint32Array(1024);
function ensureScratch(n: number): typeof scratch {
  if (scratch.done.length < n) scratch = makeScratch(Math.max(n, Math.ceil(scratch.done.length * 1.5)));
  return scratch;
}

/**
 * Candidates in rank order: best margin first, ties by index. Margins rank by their float32 bit
 * pattern (positive floats order as their bits), so margins equal to float32 precision (7 digits)
 * rank by index. For ids in ascending order (as the allocation gathers them) the order is a stable
 * three-pass radix sort of the complemented bits: O(n), about ten times cheaper than the native sort
 * of packed 53-bit keys it replaces at 100,000 candidates; otherwise that packed-key sort (up to 2
 * million parcels) or a comparator sort.
 */
export function rankByMargin(margin: Float64Array, ids: ArrayLike<number>, into?: Uint32Array): Uint32Array {
  const m = ids.length;
  const out = into ? into.subarray(0, m) : new Uint32Array(m);
  if (!m) return out;
  let ascending = true;
  for (let k = 1; k < m && ascending; k++) if (!(ids[k] > ids[k - 1])) ascending = false;
  if (ascending) {
    const s = ensureScratch(m);
    const keyA = s.keyA, keyB = s.keyB, idB = s.idB;
    const h0 = hist0.fill(0), h1 = hist1.fill(0), h2 = hist2.fill(0);
    for (let k = 0; k < m; k++) {
      f32[0] = margin[ids[k]];
      const key = ~u32[0] >>> 0;
      keyA[k] = key; out[k] = ids[k];
      h0[key & 2047]++; h1[(key >>> 11) & 2047]++; h2[key >>> 22]++;
    }
    const prefix = (h: Uint32Array) => { let t = 0; for (let b = 0; b < h.length; b++) { const c = h[b]; h[b] = t; t += c; } };
    prefix(h0); prefix(h1); prefix(h2);
    for (let k = 0; k < m; k++) { const key = keyA[k], j = h0[key & 2047]++; keyB[j] = key; idB[j] = out[k]; }
    for (let k = 0; k < m; k++) { const key = keyB[k], j = h1[(key >>> 11) & 2047]++; keyA[j] = key; out[j] = idB[k]; }
    for (let k = 0; k < m; k++) { const key = keyA[k], j = h2[key >>> 22]++; idB[j] = out[k]; }
    out.set(idB.subarray(0, m));
    return out;
  }
  if (ids[m - 1] < IDX_BITS) {
    const keys = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      f32[0] = margin[ids[k]];
      keys[k] = u32[0] * IDX_BITS + (IDX_BITS - 1 - ids[k]);
    }
    keys.sort();
    for (let k = 0; k < m; k++) out[k] = IDX_BITS - 1 - (keys[m - 1 - k] % IDX_BITS);
    return out;
  }
  out.set(Array.from(ids));
  return out.sort((x, y) => margin[y] - margin[x] || x - y);
}

/** rankTop's smallest take, and how many ranks it takes next (4 × as deep as the last walk went). */
const TOP_MIN = 4096;
let topWant = TOP_MIN;

/**
 * The first ranks of rankByMargin's order only: every candidate whose key (the float32 bits
 * rankByMargin sorts) lies below a threshold that at least `want` keys reach, found by two histogram
 * passes (the key's top 10 bits, then the next 11 within the bucket that crosses `want`), ranked.
 * So the result is exactly the first ranks of the full ranking (ties at the threshold all in or all
 * out). null where that would be most of them (then the full ranking is as cheap). `ids` ascending;
 * `keys` holds their keys and `h` counts the keys' top 10 bits (the caller's pass over the candidates).
 */
function rankTop(margin: Float64Array, ids: Uint32Array, want: number, s: ReturnType<typeof makeScratch>, h: Uint32Array, keys: Uint32Array): Uint32Array | null {
  const m = ids.length;
  if (want * 2 >= m) return null;
  let b = 0, before = 0;
  while (before + h[b] < want) before += h[b++];
  if (before + h[b] * 0.5 > m * 0.5) return null;
  const g = hist1.fill(0);
  for (let k = 0; k < m; k++) { const key = keys[k]; if (key >>> 22 === b) g[(key >>> 11) & 2047]++; }
  let sb = 0, upTo = before;
  while (upTo + g[sb] < want) upTo += g[sb++];
  const limit = b * 4194304 + (sb + 1) * 2048;
  const top = s.top;
  let t = 0;
  for (let k = 0; k < m; k++) if (keys[k] < limit) top[t++] = ids[k];
  if (t * 2 >= m) return null;
  return rankByMargin(margin, top.subarray(0, t), s.ranked);
}

/** The top-10-bit histogram of the market's keys, for rankTop. */
const histTop = new Uint32Array(1024);

/**
 * The parcels that may take growth, compact and in ascending parcel order (what the allocation
 * walks): the take-up's fused pass writes them directly, allocate() gathers them from full columns.
 * Entries outside any market area or adding nothing (≤ 1e-9 m²) are skipped by the walk.
 */
export interface AllocCandidates {
  m: number;
  /** Parcel index of each entry (ascending). */
  id: Uint32Array;
  area: Int32Array;
  dRes: Float64Array;
  dJobs: Float64Array;
  dResM2: Float64Array;
  dNonResM2: Float64Array;
  /** NaN = fails the redevelopment test. */
  margin: Float64Array;
  /** Programme zone, -1 = none; null = no programme. */
  zone: Int32Array | null;
}

/**
 * What the allocation reads of candidates besides their margins, held for re-runs that change the
 * margins only (the take-up's re-runs in the sensitivity): the entries that may enter the market
 * (in a market area, adding floor area, not under the programme), the programme's, and each entry's
 * list. allocateCandidates then passes over those entries only.
 */
export interface HeldCandidates { c: AllocCandidates; base: Uint32Array; prog: number[]; lof: Uint32Array }

export function holdCandidates(c: AllocCandidates): HeldCandidates {
  const { m, area, dResM2, dNonResM2, zone } = c;
  const base: number[] = [], prog: number[] = [];
  const lof = new Uint32Array(m);
  for (let j = 0; j < m; j++) {
    if (area[j] < 0) continue;
    if (!(dResM2[j] + dNonResM2[j] > EPS)) continue;
    if (zone !== null && zone[j] >= 0) { prog.push(j); continue; }
    base.push(j);
    lof[j] = 2 * area[j] + (dResM2[j] >= dNonResM2[j] ? 0 : 1);
  }
  return { c, base: Uint32Array.from(base), prog, lof };
}

/** What the allocation needs besides the candidates: the control totals, ceilings and programme per area, zone and period. */
export type AllocControls = Pick<AllocInput, 'n' | 'nAreas' | 'periods' | 'nZones' | 'programmeDue' | 'baseRes' | 'baseJobs' | 'targetRes' | 'targetJobs' | 'capResM2' | 'capNonResM2'>;

/** Compact candidates of full columns (every parcel in a market area that adds floor area). */
export function candidatesOf(a: AllocInput): AllocCandidates {
  const { n, area, dRes, dJobs, dResM2, dNonResM2, margin, programme } = a;
  let m = 0;
  for (let i = 0; i < n; i++) if (area[i] >= 0 && dResM2[i] + dNonResM2[i] > EPS) m++;
  const c: AllocCandidates = {
    m, id: new Uint32Array(m), area: new Int32Array(m), dRes: new Float64Array(m), dJobs: new Float64Array(m), dResM2: new Float64Array(m),
    dNonResM2: new Float64Array(m), margin: new Float64Array(m), zone: programme ? new Int32Array(m) : null,
  };
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (!(area[i] >= 0 && dResM2[i] + dNonResM2[i] > EPS)) continue;
    c.id[j] = i; c.area[j] = area[i]; c.dRes[j] = dRes[i]; c.dJobs[j] = dJobs[i]; c.dResM2[j] = dResM2[i]; c.dNonResM2[j] = dNonResM2[i]; c.margin[j] = margin[i];
    if (c.zone) c.zone[j] = programme![i];
    j++;
  }
  return c;
}

/** `into` (optional): a buffer for the shares (periods × n), overwritten; the caller must not still need what it held. */
export function allocate(a: AllocInput, into?: Float32Array): AllocOutput {
  return allocateCandidates(candidatesOf(a), a, into, { order: true });
}

/** First index q in [lo, hi) with pos[q] ≥ k (pos ascending). */
function lowerBound(pos: Uint32Array, lo: number, hi: number, k: number): number {
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (pos[mid] < k) lo = mid + 1; else hi = mid; }
  return lo;
}

/**
 * The allocation on compact candidates (entries in ascending parcel order, so ranks and ties are
 * those of allocate() on the full columns). Entries are split into the programme's (by margin, then
 * order) and the market's (ranked by margin). Only parcels that get any share are written into the
 * shares (the rest stay 0); `touched` lists them in ascending parcel order. `into` (periods × n) is
 * cleared first unless `opts.clear` is false: then the caller guarantees it is all 0. `order` is
 * filled only with `opts.order`.
 *
 * The market's walk, best margin first, skips a candidate whose area has no demand or no room left
 * for the use it mostly adds. So the candidates are held in one rank-ordered list per area and
 * use, and the walk steps to the best-ranked candidate among the lists still open (a heap of them):
 * the same candidates in the same order as a scan of every rank (a list that reopens, when a
 * parcel that removes residents or floor area is built, resumes at the current rank), without
 * visiting the skipped ones (tens of thousands per period once housing demand is met). `opts.scan`
 * forces the plain scan (tests compare the two).
 *
 * The walk rarely goes deep (a metropolitan take-up builds a few thousand of several hundred
 * thousand candidates), so without `opts.order` it is first given only the best ranks (rankTop;
 * `opts.top` sets how many, for tests) and the full ranking only when an open list runs out of them;
 * `ranks` says how many it was given.
 */
export function allocateCandidates(c: AllocCandidates, a: AllocControls, into?: Float32Array,
  opts: { clear?: boolean; order?: boolean; scan?: boolean; top?: number; held?: HeldCandidates } = {}): AllocOutput & { touched: Uint32Array; ranks: number } {
  const { n, nAreas: A, periods: P } = a;
  const { m, id, area, dRes, dJobs, dResM2, dNonResM2, zone, margin } = c;
  const sc = ensureScratch(m);
  const market = sc.market;
  const held = opts.held ?? null;
  if (held && held.c !== c) throw new Error('allocateCandidates: held candidates of other candidates');
  const prog: number[] = held ? held.prog.slice() : [];
  let nm = 0;
  // The walk's list of each market entry (2 × area, +1 where it mostly adds non-residential floor
  // area), computed here in entry order so the lists are built without reading the columns at random.
  const lists = !opts.scan, tops = lists && !opts.order;
  const lof = held ? held.lof : sc.lof;
  // Candidates per list in the full ranking (to tell a list used up from one cut short by rankTop),
  // and rankTop's first pass (the keys' top bits) in the same pass.
  const lCount = new Int32Array(2 * A);
  const h = histTop.fill(0), keys = sc.keyA;
  if (held) {
    const base = held.base;
    for (let q = 0; q < base.length; q++) {
      const j = base[q], v = margin[j];
      if (v !== v) continue;
      lCount[lof[j]]++;
      if (tops) { f32[0] = v; const key = ~u32[0] >>> 0; keys[nm] = key; h[key >>> 22]++; }
      market[nm++] = j;
    }
  } else {
    for (let j = 0; j < m; j++) {
      if (area[j] < 0) continue;
      if (!(dResM2[j] + dNonResM2[j] > EPS)) continue;
      if (zone !== null && zone[j] >= 0) prog.push(j);
      else if (margin[j] === margin[j]) {
        if (lists) { const L = 2 * area[j] + (dResM2[j] >= dNonResM2[j] ? 0 : 1); lof[j] = L; lCount[L]++; }
        if (tops) { f32[0] = margin[j]; const key = ~u32[0] >>> 0; keys[nm] = key; h[key >>> 22]++; }
        market[nm++] = j;
      }
    }
  }
  const key = (j: number) => (margin[j] === margin[j] ? margin[j] : -Infinity);
  prog.sort((x, y) => key(y) - key(x) || x - y);
  // Entries are in parcel order, so ranking entry numbers ranks the parcels (ties by parcel index).
  // The walk first gets only the best ranks (rankTop: a few times as deep as the last walk went);
  // should it need a rank beyond them (an open list used up), it starts again on the full ranking.
  for (let attempt = 0; ; attempt++) {
    const top = attempt === 0 && tops ? rankTop(margin, market.subarray(0, nm), opts.top ?? topWant, sc, h, keys) : null;
    const ranked = top ?? rankByMargin(margin, market.subarray(0, nm), sc.ranked);
    const M = ranked.length, partial = M < nm;
    // Cumulative built share of the programme's entries (by entry) and of the market's (by rank).
    const done = sc.done;
    for (let k = 0; k < prog.length; k++) done[prog[k]] = 0;
    const gDone = sc.gDone.fill(0, 0, M);
    // Ranks of the market's candidates built so far (each once), for the shares.
    const built = sc.built;
    let nBuilt = 0;
    const out: AllocOutput & { touched: Uint32Array; ranks: number } = {
      share: into && into.length === P * n ? (opts.clear === false ? into : into.fill(0)) : new Float32Array(P * n), builtRes: new Float64Array(A * P), builtJobs: new Float64Array(A * P),
      builtResM2: new Float64Array(A * P), builtNonResM2: new Float64Array(A * P), unmetRes: new Float64Array(A * P),
      unmetJobs: new Float64Array(A * P), programmeBuiltM2: new Float64Array(a.nZones * P), programmeShortM2: new Float64Array(a.nZones * P),
      order: new Uint32Array(0), touched: new Uint32Array(0), ranks: M,
    };
    const achievedRes = Float64Array.from(a.baseRes), achievedJobs = Float64Array.from(a.baseJobs);
    const zoneBuilt = new Float64Array(a.nZones);
    const capR = new Float64Array(A), capN = new Float64Array(A), remR = new Float64Array(A), remJ = new Float64Array(A);
    let looked = 0;
    // The walk ran past the ranks it was given (the full ranking is needed); the deepest rank it reached.
    let incomplete = false, deepest = 0;

    const take = (ar: number, f: number, p: number, r: number, jb: number, rm: number, nmm: number) => {
      const q = ar * P + p;
      remR[ar] -= f * r; remJ[ar] -= f * jb;
      capR[ar] -= f * rm; capN[ar] -= f * nmm;
      out.builtRes[q] += f * r; out.builtJobs[q] += f * jb;
      out.builtResM2[q] += f * rm; out.builtNonResM2[q] += f * nmm;
      achievedRes[ar] += f * r; achievedJobs[ar] += f * jb;
    };
    const wants = (ar: number) => (remR[ar] > EPS && capR[ar] > EPS) || (remJ[ar] > EPS && capN[ar] > EPS);
    let active = 0;
    /** The market candidate at rank k, judged by the use it mostly adds (scan and lists alike). */
    const visit = (k: number, p: number) => {
      const rest = 1 - gDone[k];
      if (rest <= EPS) return;
      const j = ranked[k];
      const ar = area[j], rm = dResM2[j], nmm = dNonResM2[j];
      let f: number;
      if (rm >= nmm) {
        if (remR[ar] <= EPS || capR[ar] <= EPS) return;
        f = Math.min(rest, capR[ar] / rm);
        if (dRes[j] > EPS) f = Math.min(f, remR[ar] / dRes[j]);
      } else {
        if (remJ[ar] <= EPS || capN[ar] <= EPS) return;
        f = Math.min(rest, capN[ar] / nmm);
        if (dJobs[j] > EPS) f = Math.min(f, remJ[ar] / dJobs[j]);
      }
      if (f > EPS) {
        const before = wants(ar);
        if (gDone[k] === 0) built[nBuilt++] = k;
        gDone[k] += f;
        take(ar, f, p, dRes[j], dJobs[j], rm, nmm);
        if (before && !wants(ar)) active--;
      }
    };

    // Per (area, use) lists of ranks, each in rank order.
    const NL = 2 * A;
    const lStart = new Int32Array(NL + 1), ptr = new Int32Array(NL);
    const lPos = sc.lPos;
    // The open lists in a binary heap by the rank at their pointer (distinct ranks: each is in one
    // list), so a step costs log(lists), not a look at every list (600 at 300 stations).
    const heap = new Int32Array(NL), inHeap = new Uint8Array(NL);
    let hn = 0;
    const push = (L: number) => {
      const key = lPos[ptr[L]];
      let i = hn++;
      while (i > 0) { const up = (i - 1) >> 1, U = heap[up]; if (lPos[ptr[U]] <= key) break; heap[i] = U; i = up; }
      heap[i] = L; inHeap[L] = 1;
    };
    const pop = (): number => {
      const top = heap[0], last = heap[--hn];
      inHeap[top] = 0;
      if (hn > 0) {
        const key = lPos[ptr[last]];
        let i = 0;
        for (;;) {
          let c = 2 * i + 1;
          if (c >= hn) break;
          if (c + 1 < hn && lPos[ptr[heap[c + 1]]] < lPos[ptr[heap[c]]]) c++;
          if (lPos[ptr[heap[c]]] >= key) break;
          heap[i] = heap[c]; i = c;
        }
        heap[i] = last;
      }
      return top;
    };
    const isOpen = (L: number) => { const ar = L >> 1; return (L & 1) === 0 ? remR[ar] > EPS && capR[ar] > EPS : remJ[ar] > EPS && capN[ar] > EPS; };
    if (lists) {
      for (let k = 0; k < M; k++) lStart[lof[ranked[k]] + 1]++;
      for (let L = 0; L < NL; L++) lStart[L + 1] += lStart[L];
      ptr.set(lStart.subarray(0, NL));
      for (let k = 0; k < M; k++) lPos[ptr[lof[ranked[k]]]++] = k;
    }

    for (let p = 0; p < P; p++) {
      for (let ar = 0; ar < A; ar++) {
        capR[ar] = a.capResM2[ar * P + p]; capN[ar] = a.capNonResM2[ar * P + p];
        remR[ar] = a.targetRes[ar * P + p] - achievedRes[ar]; remJ[ar] = a.targetJobs[ar * P + p] - achievedJobs[ar];
      }
      // 1. The public-land programme: its own schedule, held back only by the market ceiling.
      if (zone !== null) {
        for (let k = 0; k < prog.length; k++) {
          const j = prog[k], z = zone[j];
          const due = a.programmeDue[z * P + p] - zoneBuilt[z];
          const rest = 1 - done[j];
          if (due <= EPS || rest <= EPS) continue;
          const ar = area[j], dF = dResM2[j] + dNonResM2[j];
          let f = Math.min(rest, due / dF);
          if (dResM2[j] > EPS) f = Math.min(f, Math.max(0, capR[ar]) / dResM2[j]);
          if (dNonResM2[j] > EPS) f = Math.min(f, Math.max(0, capN[ar]) / dNonResM2[j]);
          if (f <= EPS) continue;
          done[j] += f;
          take(ar, f, p, dRes[j], dJobs[j], dResM2[j], dNonResM2[j]);
          zoneBuilt[z] += f * dF;
          out.programmeBuiltM2[z * P + p] += f * dF;
        }
        for (let z = 0; z < a.nZones; z++) out.programmeShortM2[z * P + p] = Math.max(0, a.programmeDue[z * P + p] - zoneBuilt[z]);
      }
      // 2. The market: best margin first, each parcel judged by the use it mostly adds; its secondary
      //    use (the shops under the flats) is absorbed with it and counts against that use's ceiling.
      // Areas that still want growth and have room for it; the walk stops when none does.
      active = 0;
      for (let ar = 0; ar < A; ar++) if (wants(ar)) active++;
      if (!lists) {
        for (let k = 0; active > 0 && k < M; k++) { if (k >= looked) looked = k + 1; visit(k, p); }
      } else if (active > 0) {
        ptr.set(lStart.subarray(0, NL));
        hn = 0;
        inHeap.fill(0);
        for (let L = 0; L < NL; L++) if (ptr[L] < lStart[L + 1] && isOpen(L)) push(L);
        let k = 0;
        for (;;) {
          // The best-ranked candidate at or after k among the lists whose area and use are open: the
          // heap's top, once lists that closed are dropped and lists left behind k (closed for a while
          // and open again) are moved up to k.
          let bL = -1;
          while (hn > 0) {
            const L = pop();
            if (!isOpen(L)) continue;
            const e = lStart[L + 1];
            if (lPos[ptr[L]] < k) { const q = lowerBound(lPos, ptr[L], e, k); ptr[L] = q; if (q < e) push(L); continue; }
            bL = L;
            break;
          }
          // None: a scan would skip every rank left (it looks to the end), unless an open list has
          // ranks beyond the best ones taken: then the walk needs the full ranking.
          if (bL < 0) {
            if (partial) for (let L = 0; L < NL && !incomplete; L++) if (isOpen(L) && lCount[L] > lStart[L + 1] - lStart[L]) incomplete = true;
            looked = M;
            if (M > deepest) deepest = M;
            break;
          }
          const best = lPos[ptr[bL]++];
          k = best + 1;
          visit(best, p);
          if (active === 0) { if (k > looked) looked = k; if (k > deepest) deepest = k; break; }
          // Only the visited area's lists can have opened or closed: the one just walked goes back
          // with its next rank; a list of the area that opened again rejoins at k.
          const ar = bL >> 1;
          for (let L = 2 * ar; L <= 2 * ar + 1; L++) {
            if (inHeap[L] || !isOpen(L)) continue;
            const e = lStart[L + 1];
            if (ptr[L] < e && lPos[ptr[L]] < k) ptr[L] = lowerBound(lPos, ptr[L], e, k);
            if (ptr[L] < e) push(L);
          }
        }
      }
      if (incomplete) break;
      for (let ar = 0; ar < A; ar++) {
        out.unmetRes[ar * P + p] = Math.max(0, a.targetRes[ar * P + p] - achievedRes[ar]);
        out.unmetJobs[ar * P + p] = Math.max(0, a.targetJobs[ar * P + p] - achievedJobs[ar]);
      }
      // The period's cumulative shares: every parcel not built at all keeps 0.
      const s = out.share.subarray(p * n, (p + 1) * n);
      for (let k = 0; k < prog.length; k++) { const j = prog[k], v = done[j]; if (v !== 0) s[id[j]] = v > 1 - EPS ? 1 : v; }
      for (let b = 0; b < nBuilt; b++) { const k = built[b], v = gDone[k]; s[id[ranked[k]]] = v > 1 - EPS ? 1 : v; }
    }
    // The periods walked before an open list ran out are the full walk's own (it is the same walk up to
    // there), so the shares they wrote stand; the full walk writes them again and the rest.
    if (incomplete) continue;
    if (opts.order) {
      out.order = new Uint32Array(prog.length + looked);
      for (let k = 0; k < prog.length; k++) out.order[k] = id[prog[k]];
      for (let k = 0; k < looked; k++) out.order[prog.length + k] = id[ranked[k]];
    }
    // Built entries (each once: programme entries are not in the market), then in entry (= parcel) order.
    let t = 0;
    for (let k = 0; k < prog.length; k++) if (done[prog[k]] !== 0) t++;
    const touched = new Uint32Array(t + nBuilt);
    t = 0;
    for (let k = 0; k < prog.length; k++) if (done[prog[k]] !== 0) touched[t++] = prog[k];
    for (let b = 0; b < nBuilt; b++) touched[t++] = ranked[built[b]];
    touched.sort();
    for (let q = 0; q < t; q++) touched[q] = id[touched[q]];
    out.touched = touched;
    topWant = Math.max(TOP_MIN, 4 * deepest);
    return out;
  }
}

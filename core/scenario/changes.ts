/**
 * What changed in a scenario's definition from one saved version to the next, in words a reviewer
 * reads ("rule 2 (core; residential): max FAR 6 → 8"). Versions are whole definitions (store.ts),
 * so a team, or a council checking a hand-over, could otherwise only compare two JSON blobs.
 * Rules, bands, exclusions and overrides are matched by what identifies them (a rule by its bands
 * and land uses when that is unique, else by position), so inserting one rule reads as one addition,
 * not as every later rule changed.
 */
import type { Band, ParcelOverride, Rule, ScenarioDef } from './model.js';
import { CHANGE_WORDS, fillIn, type ChangeLang, type ChangeWords } from './change-words.js';

/** Up to 4 decimals, no grouping: the same number always reads the same. */
const num = (x: number) => String(Math.round(x * 1e4) / 1e4);
const pct = (x: number) => `${num(x * 100)} %`;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const ruleKey = (r: Rule) => JSON.stringify([r.bands ?? null, r.landUses ?? null]);

/** The lines of one language: each function below reads its words from `w`. */
class Writer {
  constructor(readonly w: ChangeWords) {}
  t(key: keyof ChangeWords['t'], v?: Record<string, string | number>) { return fillIn(this.w.t[key], v); }
  list(xs: readonly string[] | undefined, all: string) { return xs && xs.length ? xs.join(this.w.sep) : all; }
  uses(xs: readonly string[] | undefined, all: string) { return this.list(xs?.map((u) => this.w.landUse[u] ?? u), all); }
  band(b: string) { return this.w.band[b] ?? b; }
  bands(xs: readonly string[] | undefined, all: string) { return this.list(xs?.map((b) => this.band(b)), all); }
  who(r: Rule) { return `${this.bands(r.bands, this.w.allBands)}${this.w.join}${this.uses(r.landUses, this.w.allUses)}`; }
  split(x: Rule['split']) { const s = this.w.split; return [`${s.residential} ${pct(x.residential)}`, `${s.commercial} ${pct(x.commercial)}`, `${s.office} ${pct(x.office)}`, `${s.civic} ${pct(x.civic)}`].join(this.w.sep); }
  parking(x: Rule['parking']) { return this.t('parkingValue', { d: num(x.perDwelling), n: num(x.per100m2NonResidential) }); }
  ruleText(r: Rule) { return this.t('ruleText', { far: num(r.maxFar), floors: num(r.maxFloors), coverage: pct(r.coverage) }); }
  kind(k: string) { return this.w.exclusionKind[k] ?? k; }
}

/** "field a → b" for each field of a rule that differs. */
function ruleFieldChanges(W: Writer, a: Rule, b: Rule): string[] {
  const out: string[] = [];
  if (a.maxFar !== b.maxFar) out.push(W.t('maxFar', { a: num(a.maxFar), b: num(b.maxFar) }));
  if (a.maxFloors !== b.maxFloors) out.push(W.t('maxFloors', { a: num(a.maxFloors), b: num(b.maxFloors) }));
  if (a.coverage !== b.coverage) out.push(W.t('coverage', { a: pct(a.coverage), b: pct(b.coverage) }));
  if (a.openSpaceShare !== b.openSpaceShare) out.push(W.t('openSpace', { a: pct(a.openSpaceShare), b: pct(b.openSpaceShare) }));
  if (!same(a.split, b.split)) out.push(W.t('useSplit', { a: W.split(a.split), b: W.split(b.split) }));
  if (!same(a.parking, b.parking)) out.push(W.t('parking', { a: W.parking(a.parking), b: W.parking(b.parking) }));
  if (!same(a.bands ?? null, b.bands ?? null)) out.push(W.t('bands', { a: W.bands(a.bands, W.w.all), b: W.bands(b.bands, W.w.all) }));
  if (!same(a.landUses ?? null, b.landUses ?? null)) out.push(W.t('landUses', { a: W.uses(a.landUses, W.w.all), b: W.uses(b.landUses, W.w.all) }));
  return out;
}

function ruleChanges(W: Writer, a: Rule[], b: Rule[]): string[] {
  const out: string[] = [];
  const changed = (n: number, r: Rule, f: string[]) => { if (f.length) out.push(W.t('ruleChanged', { n, who: W.who(r), fields: f.join(W.w.join) })); };
  const keysA = a.map(ruleKey), keysB = b.map(ruleKey);
  const unique = (ks: string[]) => new Set(ks).size === ks.length;
  if (unique(keysA) && unique(keysB)) {
    const atA = new Map(keysA.map((k, i) => [k, i]));
    const atB = new Map(keysB.map((k, i) => [k, i]));
    b.forEach((r, j) => {
      const i = atA.get(keysB[j]);
      if (i === undefined) out.push(W.t('ruleAdded', { n: j + 1, who: W.who(r), text: W.ruleText(r) }));
      else changed(j + 1, r, ruleFieldChanges(W, a[i], r));
    });
    a.forEach((r, i) => { if (!atB.has(keysA[i])) out.push(W.t('ruleRemovedPrevious', { n: i + 1, who: W.who(r) })); });
    // Later rules win where they overlap (model.ts), so a new order can change the answer.
    const kept = keysB.filter((k) => atA.has(k));
    if (kept.some((k, n) => n > 0 && atA.get(k)! < atA.get(kept[n - 1])!)) out.push(W.t('reordered'));
    return out;
  }
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i >= a.length) out.push(W.t('ruleAdded', { n: i + 1, who: W.who(b[i]), text: W.ruleText(b[i]) }));
    else if (i >= b.length) out.push(W.t('ruleRemoved', { n: i + 1, who: W.who(a[i]) }));
    else changed(i + 1, b[i], ruleFieldChanges(W, a[i], b[i]));
  }
  return out;
}

function bandChanges(W: Writer, a: Band[], b: Band[]): string[] {
  const out: string[] = [];
  const atA = new Map(a.map((x) => [x.name, x]));
  const names = new Set(b.map((x) => x.name));
  for (const x of b) {
    const y = atA.get(x.name);
    if (!y) out.push(W.t('bandAdded', { name: W.w.quote(W.band(x.name)), from: num(x.fromM), to: num(x.toM) }));
    else if (y.fromM !== x.fromM || y.toM !== x.toM) out.push(W.t('bandChanged', { name: W.w.quote(W.band(x.name)), a: num(y.fromM), b: num(y.toM), c: num(x.fromM), d: num(x.toM) }));
  }
  for (const y of a) if (!names.has(y.name)) out.push(W.t('bandRemoved', { name: W.w.quote(W.band(y.name)) }));
  return out;
}

function exclusionChanges(W: Writer, a: ScenarioDef['exclusions'], b: ScenarioDef['exclusions']): string[] {
  const out: string[] = [];
  const key = (x: ScenarioDef['exclusions'][number]) => `${x.layer}\u0000${x.kind}`;
  const atA = new Map(a.map((x) => [key(x), x]));
  const keysB = new Set(b.map(key));
  for (const x of b) {
    const y = atA.get(key(x));
    if (!y) out.push(W.t('exclusionAdded', { kind: W.kind(x.kind), layer: x.layer, within: x.bufferM ? W.t('exclusionWithin', { m: num(x.bufferM) }) : '' }));
    else if (y.bufferM !== x.bufferM) out.push(W.t('exclusionBuffer', { kind: W.kind(x.kind), layer: x.layer, a: num(y.bufferM), b: num(x.bufferM) }));
  }
  for (const y of a) if (!keysB.has(key(y))) out.push(W.t('exclusionRemoved', { kind: W.kind(y.kind), layer: y.layer }));
  return out;
}

function overrideChanges(W: Writer, a: ParcelOverride[], b: ParcelOverride[]): string[] {
  const atA = new Map(a.map((x) => [x.fid, x]));
  const fidsB = new Set(b.map((x) => x.fid));
  const added: number[] = [], changed: number[] = [], removed: number[] = [];
  for (const x of b) { const y = atA.get(x.fid); if (!y) added.push(x.fid); else if (!same(y, x)) changed.push(x.fid); }
  for (const y of a) if (!fidsB.has(y.fid)) removed.push(y.fid);
  const part = (key: 'overridesAdded' | 'overridesChanged' | 'overridesRemoved', fids: number[]) => {
    if (!fids.length) return null;
    const list = `${fids.slice(0, 5).join(W.w.sep)}${fids.length > 5 ? W.t('overridesMore') : ''}`;
    return W.t(key, { n: fids.length, fids: W.t(fids.length > 1 ? 'overrideFidsN' : 'overrideFids1', { list }) });
  };
  const parts = [part('overridesAdded', added), part('overridesChanged', changed), part('overridesRemoved', removed)].filter((x): x is string => x !== null);
  return parts.length ? [W.t('overrides', { parts: parts.join(W.w.join) })] : [];
}

/**
 * The changes from `a` (the earlier version) to `b`, one line each, in `lang` (change-words.ts);
 * empty when the definitions are the same.
 */
export function definitionChanges(a: ScenarioDef, b: ScenarioDef, lang: ChangeLang = 'en'): string[] {
  const W = new Writer(CHANGE_WORDS[lang]);
  const out: string[] = [];
  if (a.name !== b.name) out.push(W.t('name', { a: W.w.quote(a.name), b: W.w.quote(b.name) }));
  if (a.description !== b.description) out.push(W.t('description'));
  out.push(...bandChanges(W, a.bands, b.bands));
  out.push(...ruleChanges(W, a.rules, b.rules));
  if (a.softSiteFactor !== b.softSiteFactor) out.push(W.t('softSite', { a: num(a.softSiteFactor), b: num(b.softSiteFactor) }));
  if (!same(a.publicLand, b.publicLand)) {
    const pl = (x: ScenarioDef['publicLand']) => (x.mode === 'own' ? W.t('publicLandOwn', { f: num(x.softSiteFactor) }) : x.mode === 'keep' ? W.t('publicLandKeep') : W.t('publicLandAsPrivate'));
    out.push(W.t('publicLand', { a: pl(a.publicLand), b: pl(b.publicLand) }));
  }
  out.push(...exclusionChanges(W, a.exclusions, b.exclusions));
  if (a.zoneLayer !== b.zoneLayer) out.push(W.t('zoneLayer', { a: a.zoneLayer ?? W.w.none, b: b.zoneLayer ?? W.w.none }));
  out.push(...overrideChanges(W, a.parcelOverrides, b.parcelOverrides));
  if (a.inducedGrowth !== b.inducedGrowth) out.push(W.t('induced', { a: pct(a.inducedGrowth), b: pct(b.inducedGrowth) }));
  if (a.rezonesAgricultural !== b.rezonesAgricultural) out.push(W.t(b.rezonesAgricultural ? 'rezonesOn' : 'rezonesOff'));
  return out;
}

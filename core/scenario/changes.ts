/**
 * What changed in a scenario's definition from one saved version to the next, in words a reviewer
 * reads ("rule 2 (core; residential): max FAR 6 → 8"). Versions are whole definitions (store.ts),
 * so a team, or a council checking a hand-over, could otherwise only compare two JSON blobs.
 * Rules, bands, exclusions and overrides are matched by what identifies them (a rule by its bands
 * and land uses when that is unique, else by position), so inserting one rule reads as one addition,
 * not as every later rule changed.
 */
import type { Band, ParcelOverride, Rule, ScenarioDef } from './model.js';

/** Up to 4 decimals, no grouping: the same number always reads the same. */
const num = (x: number) => String(Math.round(x * 1e4) / 1e4);
const pct = (x: number) => `${num(x * 100)} %`;
const list = (xs: readonly string[] | undefined, all: string) => (xs && xs.length ? xs.join(', ') : all);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const ruleWho = (r: Rule) => `${list(r.bands, 'all bands')}; ${list(r.landUses, 'all uses')}`;
const ruleKey = (r: Rule) => JSON.stringify([r.bands ?? null, r.landUses ?? null]);

const splitText = (s: Rule['split']) => `residential ${pct(s.residential)}, commercial ${pct(s.commercial)}, office ${pct(s.office)}, civic ${pct(s.civic)}`;

/** "field a → b" for each field of a rule that differs. */
function ruleFieldChanges(a: Rule, b: Rule): string[] {
  const out: string[] = [];
  if (a.maxFar !== b.maxFar) out.push(`max FAR ${num(a.maxFar)} → ${num(b.maxFar)}`);
  if (a.maxFloors !== b.maxFloors) out.push(`max floors ${num(a.maxFloors)} → ${num(b.maxFloors)}`);
  if (a.coverage !== b.coverage) out.push(`coverage ${pct(a.coverage)} → ${pct(b.coverage)}`);
  if (a.openSpaceShare !== b.openSpaceShare) out.push(`open space ${pct(a.openSpaceShare)} → ${pct(b.openSpaceShare)}`);
  if (!same(a.split, b.split)) out.push(`use split ${splitText(a.split)} → ${splitText(b.split)}`);
  if (!same(a.parking, b.parking)) out.push(`parking ${num(a.parking.perDwelling)}/dwelling and ${num(a.parking.per100m2NonResidential)}/100 m² → ${num(b.parking.perDwelling)}/dwelling and ${num(b.parking.per100m2NonResidential)}/100 m²`);
  if (!same(a.bands ?? null, b.bands ?? null)) out.push(`bands ${list(a.bands, 'all')} → ${list(b.bands, 'all')}`);
  if (!same(a.landUses ?? null, b.landUses ?? null)) out.push(`land uses ${list(a.landUses, 'all')} → ${list(b.landUses, 'all')}`);
  return out;
}

const ruleText = (r: Rule) => `max FAR ${num(r.maxFar)}, max floors ${num(r.maxFloors)}, coverage ${pct(r.coverage)}`;

function ruleChanges(a: Rule[], b: Rule[]): string[] {
  const out: string[] = [];
  const keysA = a.map(ruleKey), keysB = b.map(ruleKey);
  const unique = (ks: string[]) => new Set(ks).size === ks.length;
  if (unique(keysA) && unique(keysB)) {
    const atA = new Map(keysA.map((k, i) => [k, i]));
    const atB = new Map(keysB.map((k, i) => [k, i]));
    b.forEach((r, j) => {
      const i = atA.get(keysB[j]);
      if (i === undefined) { out.push(`rule ${j + 1} added (${ruleWho(r)}): ${ruleText(r)}`); return; }
      const f = ruleFieldChanges(a[i], r);
      if (f.length) out.push(`rule ${j + 1} (${ruleWho(r)}): ${f.join('; ')}`);
    });
    a.forEach((r, i) => { if (!atB.has(keysA[i])) out.push(`rule ${i + 1} of the previous version removed (${ruleWho(r)})`); });
    // Later rules win where they overlap (model.ts), so a new order can change the answer.
    const kept = keysB.filter((k) => atA.has(k));
    if (kept.some((k, n) => n > 0 && atA.get(k)! < atA.get(kept[n - 1])!)) out.push('rules reordered (later rules win where they overlap)');
    return out;
  }
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i >= a.length) out.push(`rule ${i + 1} added (${ruleWho(b[i])}): ${ruleText(b[i])}`);
    else if (i >= b.length) out.push(`rule ${i + 1} removed (${ruleWho(a[i])})`);
    else { const f = ruleFieldChanges(a[i], b[i]); if (f.length) out.push(`rule ${i + 1} (${ruleWho(b[i])}): ${f.join('; ')}`); }
  }
  return out;
}

function bandChanges(a: Band[], b: Band[]): string[] {
  const out: string[] = [];
  const atA = new Map(a.map((x) => [x.name, x]));
  const names = new Set(b.map((x) => x.name));
  for (const x of b) {
    const y = atA.get(x.name);
    if (!y) out.push(`band "${x.name}" added (${num(x.fromM)}–${num(x.toM)} m)`);
    else if (y.fromM !== x.fromM || y.toM !== x.toM) out.push(`band "${x.name}" ${num(y.fromM)}–${num(y.toM)} m → ${num(x.fromM)}–${num(x.toM)} m`);
  }
  for (const y of a) if (!names.has(y.name)) out.push(`band "${y.name}" removed`);
  return out;
}

function exclusionChanges(a: ScenarioDef['exclusions'], b: ScenarioDef['exclusions']): string[] {
  const out: string[] = [];
  const key = (x: ScenarioDef['exclusions'][number]) => `${x.layer}\u0000${x.kind}`;
  const atA = new Map(a.map((x) => [key(x), x]));
  const keysB = new Set(b.map(key));
  for (const x of b) {
    const y = atA.get(key(x));
    if (!y) out.push(`exclusion added: ${x.kind} from layer ${x.layer}${x.bufferM ? ` within ${num(x.bufferM)} m` : ''}`);
    else if (y.bufferM !== x.bufferM) out.push(`exclusion ${x.kind} (layer ${x.layer}): buffer ${num(y.bufferM)} → ${num(x.bufferM)} m`);
  }
  for (const y of a) if (!keysB.has(key(y))) out.push(`exclusion removed: ${y.kind} from layer ${y.layer}`);
  return out;
}

function overrideChanges(a: ParcelOverride[], b: ParcelOverride[]): string[] {
  const atA = new Map(a.map((x) => [x.fid, x]));
  const fidsB = new Set(b.map((x) => x.fid));
  const added: number[] = [], changed: number[] = [], removed: number[] = [];
  for (const x of b) { const y = atA.get(x.fid); if (!y) added.push(x.fid); else if (!same(y, x)) changed.push(x.fid); }
  for (const y of a) if (!fidsB.has(y.fid)) removed.push(y.fid);
  const part = (what: string, fids: number[]) => (fids.length ? `${fids.length} ${what} (parcel${fids.length > 1 ? 's' : ''} ${fids.slice(0, 5).join(', ')}${fids.length > 5 ? ', …' : ''})` : null);
  const parts = [part('added', added), part('changed', changed), part('removed', removed)].filter((x): x is string => x !== null);
  return parts.length ? [`parcel overrides: ${parts.join('; ')}`] : [];
}

/** The changes from `a` (the earlier version) to `b`, one line each; empty when the definitions are the same. */
export function definitionChanges(a: ScenarioDef, b: ScenarioDef): string[] {
  const out: string[] = [];
  if (a.name !== b.name) out.push(`name "${a.name}" → "${b.name}"`);
  if (a.description !== b.description) out.push('description edited');
  out.push(...bandChanges(a.bands, b.bands));
  out.push(...ruleChanges(a.rules, b.rules));
  if (a.softSiteFactor !== b.softSiteFactor) out.push(`soft-site factor ${num(a.softSiteFactor)} → ${num(b.softSiteFactor)}`);
  if (!same(a.publicLand, b.publicLand)) {
    const pl = (x: ScenarioDef['publicLand']) => (x.mode === 'own' ? `own factor ${num(x.softSiteFactor)}` : x.mode === 'keep' ? 'kept' : 'as private land');
    out.push(`public land ${pl(a.publicLand)} → ${pl(b.publicLand)}`);
  }
  out.push(...exclusionChanges(a.exclusions, b.exclusions));
  if (a.zoneLayer !== b.zoneLayer) out.push(`zone layer ${a.zoneLayer ?? 'none'} → ${b.zoneLayer ?? 'none'}`);
  out.push(...overrideChanges(a.parcelOverrides, b.parcelOverrides));
  if (a.inducedGrowth !== b.inducedGrowth) out.push(`induced growth ${pct(a.inducedGrowth)} → ${pct(b.inducedGrowth)} of the baseline`);
  if (a.rezonesAgricultural !== b.rezonesAgricultural) out.push(b.rezonesAgricultural ? 'now rezones agricultural land' : 'no longer rezones agricultural land');
  return out;
}

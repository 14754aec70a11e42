import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { SAMPLE_DIR, SOURCES, quotedLonLat } from './checks.js';

// The allowed confidences are the contract of the citation table (README "What is real").
const ALLOWED = ['cited', 'derived', 'approximate', 'estimate'];

interface Fact { confidence: string; source: string; url?: string; quote?: string; rule?: string; inputs?: unknown; searched?: string }
interface Station extends Fact { id: string; lon: number; lat: number; source_lon?: number; source_lat?: number }
const SITES = Object.keys(SOURCES).filter((k) => k !== '//');

/** Every fact in sources.json, labelled by where it sits. */
function allFacts(): Array<[string, Fact]> {
  const out: Array<[string, Fact]> = [];
  for (const site of SITES) {
    const s = SOURCES[site];
    for (const st of s.stations) out.push([`${site} station ${st.id}`, st]);
    for (const l of s.lengths) out.push([`${site} length ${l.name}`, l]);
    for (const l of s.layout ?? []) out.push([`${site} layout ${l.name}`, l]);
    for (const z of s.census.zones) for (const [k, f] of Object.entries(z.facts)) out.push([`${site} census ${z.zone_id} ${k}`, f as Fact]);
    out.push([`${site} land value`, s.land_value]);
    s.land_value.evidence.forEach((e: Fact, i: number) => out.push([`${site} land value evidence ${i + 1}`, e]));
  }
  return out;
}

function factProblems(label: string, f: Fact): string[] {
  const p: string[] = [];
  if (typeof f.source !== 'string' || f.source.trim().length < 10) p.push(`${label}: no source`);
  if (!ALLOWED.includes(f.confidence)) p.push(`${label}: confidence ${f.confidence}`);
  if (f.confidence === 'cited' && !(/^https?:\/\/\S+$/.test(f.url ?? '') && f.quote?.trim())) p.push(`${label}: cited without URL and quote`);
  if (f.confidence === 'derived' && !(f.rule?.trim() && f.inputs)) p.push(`${label}: derived without rule and inputs`);
  if ((f.confidence === 'approximate' || f.confidence === 'estimate') && !f.searched?.trim()) p.push(`${label}: ${f.confidence} without saying what was searched`);
  return p;
}

describe('sources.json', () => {
  it('gives every fact a source and an allowed confidence; cited facts carry a URL and the quote', () => {
    const facts = allFacts();
    expect(facts.length).toBeGreaterThan(100);
    expect(facts.flatMap(([label, f]) => factProblems(label, f))).toEqual([]);
  });

  it('has cited and derived station positions equal to the coordinates their quotes print', () => {
    for (const site of SITES) {
      for (const s of SOURCES[site].stations as Station[]) {
        if (s.confidence === 'approximate') continue;
        const inputs = s.inputs as Array<{ url: string; quote: string }> | undefined;
        const quoted = quotedLonLat(s.confidence === 'cited' ? s.quote! : inputs![0].quote);
        expect(quoted, s.id).not.toBeNull();
        expect([s.source_lon, s.source_lat], s.id).toEqual(quoted);
        if (s.confidence === 'derived') expect(inputs![0].url, s.id).toMatch(/^https?:\/\//);
      }
    }
  });

  it('has derived census inputs that are the figures their quotes print, and totals that are the zone sums', () => {
    for (const site of SITES) {
      const census = SOURCES[site].census;
      for (const z of census.zones) {
        const f = z.facts.population;
        if (f.confidence !== 'derived') continue;
        const digits = f.quote.replace(/\D/g, '');
        expect(digits, z.name).toContain(String(f.inputs.population));
        expect(digits, z.name).toContain(String(f.inputs.area_km2).replace('.', ''));
        expect(f.inputs.cap).toBe(f.inputs.population);
      }
      for (const k of ['population', 'households', 'jobs']) {
        expect(census.totals[k], `${site} ${k}`).toBe(census.zones.reduce((s: number, z: Record<string, number>) => s + z[k], 0));
      }
    }
  });

  it('is summarised in the README: every station listed, with the count of cited or derived positions', () => {
    const readme = readFileSync(`${SAMPLE_DIR}README.md`, 'utf8');
    for (const site of SITES) {
      const stations = SOURCES[site].stations as Station[];
      const sourced = stations.filter((s) => s.confidence !== 'approximate').length;
      expect(readme, site).toContain(`${sourced} of ${stations.length} station positions cited or derived`);
      for (const s of stations) expect(readme, s.id).toMatch(new RegExp(`\\| ${s.id} \\| [^|]+ \\| ${s.confidence} \\|`));
    }
  });
});

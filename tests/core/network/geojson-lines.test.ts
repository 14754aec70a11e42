/**
 * The dedicated GeoJSON line reader against JSON.parse (the oracle): same coordinates bit for bit,
 * same parts; it declines what it does not handle (other CRS, a bare geometry) so the general
 * importer takes over. Also: the cached graph BLOB round-trips.
 */
import { describe, expect, it } from 'vitest';
import { readGeoJsonLines } from '../../../core/network/geojson-lines.js';
import { buildGraph } from '../../../core/network/build.js';
import { deserializeGraph, serializeGraph } from '../../../core/network/cache.js';
import { EkimaeError } from '../../../core/api/errors.js';
import { mulberry32 as rng } from '../../../core/util/prng.js';


/** Coordinates written in every way JSON allows: many digits, exponents, negative zero, integers. */
function sample(): string {
  const r = rng(7);
  const num = (x: number) => {
    const k = Math.floor(r() * 5);
    return k === 0 ? x.toFixed(7) : k === 1 ? x.toExponential(12) : k === 2 ? String(x) : k === 3 ? x.toPrecision(17) : x.toFixed(3);
  };
  const feats: string[] = [];
  for (let i = 0; i < 300; i++) {
    const n = 2 + Math.floor(r() * 4);
    const line = () => Array.from({ length: n }, () => `[${num(100 + r())},${num(13 + r())}${r() < 0.2 ? ',12.5' : ''}]`).join(',');
    const multi = r() < 0.3;
    const geom = multi ? `{"coordinates":[[${line()}],[${line()}]],"type":"MultiLineString"}` : `{"type":"LineString","coordinates":[${line()}]}`;
    feats.push(`{"type":"Feature","id":${i},"properties":{"highway":"resi\\u0064ential","nested":{"a":[1,{"b":"}"}]},"bridge":${r() < 0.1},"note":"q\\"uote"},"geometry":${geom}}`);
  }
  feats.push('{"type":"Feature","properties":{"highway":"footway"},"geometry":{"type":"Point","coordinates":[100.1,13.1]}}');
  feats.push('{"type":"Feature","properties":null,"geometry":null}');
  return `{"type":"FeatureCollection","name":"t","features":[\n${feats.join(',\n')}\n]}`;
}

describe('GeoJSON line reader', () => {
  it('reads the same coordinates as JSON.parse, bit for bit, and the same parts', () => {
    const text = sample();
    const src = readGeoJsonLines(Buffer.from(text), 't.geojson')!;
    const doc = JSON.parse(text);
    const coords: number[] = [], starts: number[] = [], fids: number[] = [];
    doc.features.forEach((f: { geometry: { type: string; coordinates: unknown } | null }, i: number) => {
      if (!f.geometry || (f.geometry.type !== 'LineString' && f.geometry.type !== 'MultiLineString')) return;
      const parts = (f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][];
      for (const p of parts) { starts.push(coords.length / 2); fids.push(i + 1); for (const q of p) coords.push(q[0], q[1]); }
    });
    expect(Array.from(src.coords)).toEqual(coords);
    expect(Array.from(src.partStart).slice(0, -1)).toEqual(starts);
    expect(Array.from(src.partFid)).toEqual(fids);
    expect(src.partWalkable.every((w) => w === 1)).toBe(true);
  });

  it('declines other CRSs and non-collections; rejects broken JSON with a code', () => {
    expect(readGeoJsonLines(Buffer.from('{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:32647"}},"features":[]}'), 'utm.geojson')).toBeNull();
    expect(readGeoJsonLines(Buffer.from('{"type":"LineString","coordinates":[[1,2],[3,4]]}'), 'g.geojson')).toBeNull();
    expect(readGeoJsonLines(Buffer.from('{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[]}'), 'c.geojson')).not.toBeNull();
    expect(() => readGeoJsonLines(Buffer.from('{"type":"FeatureCollection","features":[{"geometry":{"type":"LineString","coordinates":[[1,2],[3,'), 'cut.geojson'))
      .toThrow(expect.objectContaining({ code: 'E_FORMAT_INVALID' }) as unknown as EkimaeError);
  });

  it('the cached graph BLOB round-trips', () => {
    const g = buildGraph(readGeoJsonLines(Buffer.from(sample()), 't.geojson')!);
    const back = deserializeGraph(serializeGraph(g))!;
    for (const k of ['nodeLonLat', 'offsets', 'targets', 'weights', 'edgeU', 'edgeV', 'edgeLength', 'edgeFid', 'edgeVStart', 'edgeVEnd', 'vertices', 'component'] as const) {
      expect(Array.from(back[k]), k).toEqual(Array.from(g[k]));
    }
    expect(back.components).toEqual(g.components);
  });
});

describe('GeoJSON line reader against JSON.parse on damaged files (fuzz, seeded)', () => {
  /** Lines as JSON.parse + a plain walk would read them, or null when it is not a line FeatureCollection. */
  function reference(text: string): number[] | 'invalid' {
    let doc: unknown;
    try { doc = JSON.parse(text); } catch { return 'invalid'; }
    const out: number[] = [];
    const fs = (doc as { features?: unknown }).features;
    if (!Array.isArray(fs)) return out;
    for (const f of fs) {
      const g = (f as { geometry?: { type?: unknown; coordinates?: unknown } } | null)?.geometry;
      const lines = g?.type === 'LineString' ? [g.coordinates] : g?.type === 'MultiLineString' ? g.coordinates : null;
      if (!Array.isArray(lines)) continue;
      for (const l of lines) if (Array.isArray(l)) for (const p of l) if (Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number') out.push(p[0], p[1]);
    }
    return out;
  }

  it('never reads a broken file, and never reads a valid one differently', () => {
    const base = sample().slice(0, 4000).replace(/,\n[^\n]*$/, '\n]}');
    expect(reference(base)).not.toBe('invalid');
    const r = rng(2024);
    const alphabet = ',[]{}":0-.e\\ ';
    let broken = 0, declinedOrRefused = 0;
    for (let k = 0; k < 3000; k++) {
      const i = Math.floor(r() * base.length), op = Math.floor(r() * 3), ch = alphabet[Math.floor(r() * alphabet.length)];
      const text = op === 0 ? base.slice(0, i) + base.slice(i + 1) : op === 1 ? base.slice(0, i) + ch + base.slice(i) : base.slice(0, i) + ch + base.slice(i + 1);
      const ref = reference(text);
      let mine: number[] | null | 'error';
      try { const src = readGeoJsonLines(Buffer.from(text), 'f.geojson'); mine = src ? Array.from(src.coords) : null; } catch (e) {
        expect((e as EkimaeError).code).toBe('E_FORMAT_INVALID');
        mine = 'error';
      }
      if (ref === 'invalid') { broken++; expect(mine === 'error' || mine === null, `accepted broken JSON: ${JSON.stringify(text.slice(Math.max(0, i - 20), i + 20))}`).toBe(true); continue; }
      if (mine === 'error' || mine === null) { declinedOrRefused++; continue; }
      expect(mine, `read differently: ${JSON.stringify(text.slice(Math.max(0, i - 20), i + 20))}`).toEqual(ref);
    }
    expect(broken).toBeGreaterThan(500);
    expect(declinedOrRefused).toBeLessThan(300);
  });
});

/** The maplibre basemap style: layer names → drawings, the by-geometry fallback, raster sources, and agreement with the report's table. */
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { basemapStyle, BASEMAP_COLOURS, KIND_BY_NAME, ORDER, parseTileUrl, tileUrl, EMPTY_PNG_BASE64 } from '../../renderer/map/basemap-style.js';
import { offlineStyle } from '../../renderer/map/offline-style.js';
import * as core from '../../core/basemap/kinds.js';

const archive = (over: Partial<Parameters<typeof basemapStyle>[0]['archive']> = {}) => ({
  kind: 'pmtiles' as const, format: 'pbf' as const, minzoom: 0, maxzoom: 14, bounds: [100.4, 13.6, 100.7, 13.9] as [number, number, number, number],
  name: null, attribution: null, vectorLayers: [], ...over,
});

describe('basemap style', () => {
  it('uses the same names, colours and order as the report (core/basemap/kinds.ts)', () => {
    expect(KIND_BY_NAME).toEqual(core.KIND_BY_NAME);
    expect(BASEMAP_COLOURS).toEqual(core.BASEMAP_COLOURS);
    expect(ORDER).toEqual(core.KIND_ORDER);
  });

  it('OpenMapTiles and Protomaps layer names get their drawing, in land-water-roads-buildings order', () => {
    const s = basemapStyle({ key: '1', archive: archive({ vectorLayers: [{ id: 'building' }, { id: 'transportation' }, { id: 'water' }, { id: 'landuse' }, { id: 'earth' }] }) });
    expect(s.layers.map((l) => l.id)).toEqual([
      'basemap:earth:fill', 'basemap:landuse:fill', 'basemap:water:fill', 'basemap:water:line',
      'basemap:transportation:casing', 'basemap:transportation:line', 'basemap:building:fill',
    ]);
    const water = s.layers.find((l) => l.id === 'basemap:water:fill')!;
    expect(water).toMatchObject({ type: 'fill', source: 'basemap', 'source-layer': 'water', paint: { 'fill-color': BASEMAP_COLOURS.water } });
  });

  it('a source layer with an unknown name is drawn by geometry type (fill, line, circle)', () => {
    const s = basemapStyle({ key: '1', archive: archive({ vectorLayers: [{ id: 'census' }] }) });
    expect(s.layers.map((l) => [l.type, (l as { filter?: unknown }).filter])).toEqual([
      ['fill', ['==', ['geometry-type'], 'Polygon']], ['line', ['==', ['geometry-type'], 'LineString']], ['circle', ['==', ['geometry-type'], 'Point']],
    ]);
  });

  it('tiles come from the ekimae-basemap protocol only, within the archive zooms and bounds', () => {
    const s = basemapStyle({ key: '7', archive: archive({ vectorLayers: [{ id: 'roads' }] }) });
    expect(s.sources.basemap).toEqual({ type: 'vector', tiles: ['ekimae-basemap://7/{z}/{x}/{y}'], minzoom: 0, maxzoom: 14, bounds: [100.4, 13.6, 100.7, 13.9] });
    expect(parseTileUrl(tileUrl('7').replace('{z}', '14').replace('{x}', '12747').replace('{y}', '7547'))).toEqual({ z: 14, x: 12747, y: 7547 });
    expect(parseTileUrl('https://tiles.example/14/1/2')).toBeNull();
  });

  it('a raster archive is one raster layer of 256 px tiles', () => {
    const s = basemapStyle({ key: '1', archive: archive({ format: 'png' }) });
    expect(s.sources.basemap).toMatchObject({ type: 'raster', tileSize: 256 });
    expect(s.layers).toEqual([{ id: 'basemap:raster', type: 'raster', source: 'basemap' }]);
  });

  it('sits between the background and the project context layers; without one the style is as before', () => {
    const ctx = [{ name: 'zones', role: 'zones', geometryType: 'MULTIPOLYGON', data: { type: 'FeatureCollection' as const, features: [] } }];
    const withB = offlineStyle(ctx, { key: '1', archive: archive({ vectorLayers: [{ id: 'water' }] }) });
    expect(withB.layers.map((l) => l.id)).toEqual(['background', 'basemap:water:fill', 'basemap:water:line', 'ctx:zones:fill', 'ctx:zones:line']);
    const without = offlineStyle(ctx);
    expect(without.layers.map((l) => l.id)).toEqual(['background', 'ctx:zones:fill', 'ctx:zones:line']);
    expect(Object.keys(without.sources)).toEqual(['ctx:zones']);
  });

  it('the empty raster tile is a valid 1 × 1 fully transparent PNG', () => {
    const b = Buffer.from(EMPTY_PNG_BASE64, 'base64');
    expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([b.readUInt32BE(16), b.readUInt32BE(20), b[25]]).toEqual([1, 1, 6]); // width, height, colour type RGBA
    const idatLength = b.readUInt32BE(33);
    expect(b.subarray(37, 41).toString('latin1')).toBe('IDAT');
    expect([...inflateSync(b.subarray(41, 41 + idatLength))]).toEqual([0, 0, 0, 0, 0]); // filter byte, then R G B A = 0
  });
});

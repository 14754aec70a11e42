/**
 * Turns layers + features + view choices into the map scene. Geometry buffers are rebuilt only
 * when a parcel layer's features change; colour and height buffers only when their inputs change.
 */
import { useCallback, useMemo, useRef } from 'react';
import type { FeatureCollection, Geometry } from 'geojson';
import type { Feature, LayerInfo } from '../state/types.js';
import { buildPolygonBuffers, vertexColors, vertexElevations } from './binary-polygons.js';
import type { LineDraw, MapScene, ParcelDraw, PointDraw } from './deck-layers.js';
import { DECK_ROLES, type ContextLayer } from './offline-style.js';
import { colourParcels, parcelHeights, pathRows, pointRows, type ColourBy, type Colouring } from './scene-data.js';
import { geometryArea } from './geodesic-area.js';
import type { LegendItem } from '../panels/layer-panel.js';
import type { AreaDatum } from '../charts/overview-charts.js';
import { categoricalColors, type Rgba } from './palette.js';
import { CATCHMENT_STREETS_LAYER } from './catchment-columns.js';
import { areasOf, buffersFromColumns, colourColumns, columnHeights, featureRings, landUseHectares, pathsFromColumns, type ParcelColumns } from './parcel-columns.js';

export interface SceneInputs {
  layers: LayerInfo[];
  features: Record<string, Feature[]>;
  /** Parcel layers as typed arrays (layers.columns): drawn from these, never from per-parcel objects. */
  columns: Record<string, ParcelColumns>;
  hidden: ReadonlySet<string>;
  /** 'landUse' | 'single' | 'num:<field>' */
  colourBy: string;
  massing: boolean;
  storeyHeight: number;
  selection: { layer: string; index: number } | null;
  noDataLabel: string;
  roleLabel(role: string): string;
  /** Analysis colouring of the main parcel layer (walking band, scenario FAR), chosen by colourBy 'custom'. */
  custom: { key: string; colouring: Colouring } | null;
  /** Floors of the main parcel layer from the scenario, replacing the mapped floors field. */
  floorsOverride: { key: string; floors: Float32Array } | null;
  /** Lines drawn from analysis results (a catchment's reached streets, typed), over the project's lines; hidden by their layer name. */
  analysisLines?: LineDraw[];
}

export interface SceneOutputs {
  scene: MapScene;
  context: ContextLayer[];
  legends: Record<string, LegendItem[]>;
  landUseAreas: AreaDatum[] | null;
  parcelLayer: LayerInfo | null;
}

const LINE_STYLE: Record<string, { color: Rgba; width: number }> = {
  rail: { color: [38, 48, 66, 255], width: 4 },
  network: { color: [150, 150, 160, 200], width: 1.2 },
};
const POINT_STYLE: Record<string, { color: Rgba; radius: number; labels: boolean }> = {
  stations: { color: [200, 40, 60, 255], radius: 8, labels: true },
  entrances: { color: [40, 90, 200, 255], radius: 4, labels: false },
};

export function resolveColourBy(choice: string, parcels: LayerInfo | null): ColourBy {
  if (choice.startsWith('num:')) return { kind: 'numeric', field: choice.slice(4) };
  const lu = parcels?.fieldMap.land_use;
  if (choice === 'landUse' && lu) return { kind: 'landUse', field: lu };
  return { kind: 'single' };
}

interface ParcelCache {
  geometryVersion: number;
  buffers: ReturnType<typeof buildPolygonBuffers>;
  positionsAttr: { value: Float64Array | Float32Array; size: number };
  colour?: { key: string; colouring: Colouring; vertex: Uint8Array; version: number };
  height?: { key: string; vertex: Float32Array; version: number };
}

const NO_CONTEXT: ContextLayer[] = [];

/** floors × storey height; a plain loop (a typed array's map with a callback is several times slower at 100k). */
function scaled(floors: Float32Array, k: number): Float32Array {
  const out = new Float32Array(floors.length);
  for (let i = 0; i < floors.length; i++) out[i] = floors[i] * k;
  return out;
}

export function useMapScene(inp: SceneInputs): SceneOutputs {
  const parcelLayers = inp.layers.filter((l) => l.role === 'parcels' && !inp.hidden.has(l.name) && (inp.columns[l.name]?.geometry || inp.features[l.name]));
  // The largest parcel layer drives the colour-by choices and the land-use chart.
  const parcelLayer = parcelLayers.reduce<LayerInfo | null>((a, l) => (!a || l.count > a.count ? l : a), null);
  const version = useRef(0);
  // Keyed by the feature array or the typed geometry: a layer is tesselated once, recoloured and re-extruded in place.
  const caches = useRef(new WeakMap<object, ParcelCache>());

  const pathCache = useRef(new WeakMap<object, ReturnType<typeof pathsFromColumns>>());
  const pathsOf = useCallback((c: ParcelColumns) => {
    let p = pathCache.current.get(c.geometry!);
    if (!p) { p = pathsFromColumns(c); pathCache.current.set(c.geometry!, p); }
    return p;
  }, []);

  const parcelDraws: ParcelDraw[] = [];
  const colourings = new Map<string, Colouring>();
  for (const l of parcelLayers) {
    const cols = inp.columns[l.name]?.geometry ? inp.columns[l.name] : null;
    const feats = cols ? null : inp.features[l.name];
    const cacheKey: object = cols ? cols.geometry! : feats!;
    let c = caches.current.get(cacheKey);
    if (!c) {
      const buffers = cols ? buffersFromColumns(cols) : buildPolygonBuffers(feats!.map((f) => f.geometry as Geometry | null));
      c = { geometryVersion: ++version.current, buffers, positionsAttr: { value: buffers.positions, size: 2 } };
      caches.current.set(cacheKey, c);
    }
    const isMain = l === parcelLayer;
    const custom = isMain && inp.colourBy === 'custom' ? inp.custom : null;
    const by = resolveColourBy(inp.colourBy, l);
    // Columns only ever get added to a layer's set (fetched when first wanted): their names say whether the one needed has come.
    const have = cols ? Object.keys(cols.columns).join('\u0000') : '';
    const colourKey = custom ? `custom|${custom.key}` : `${JSON.stringify(by)}|${inp.noDataLabel}|${have}`;
    if (c.colour?.key !== colourKey) {
      const colouring = custom ? custom.colouring : cols ? colourColumns(cols, by, inp.noDataLabel) : colourParcels(feats!, by, inp.noDataLabel);
      c.colour = { key: colourKey, colouring, vertex: vertexColors(c.buffers, colouring.rgba), version: ++version.current };
    }
    const floorsField = l.fieldMap.floors;
    const override = isMain ? inp.floorsOverride : null;
    const heightKey = `${override ? `o:${override.key}` : floorsField ?? ''}|${inp.storeyHeight}|${have}`;
    if (c.height?.key !== heightKey) {
      const perFeature = override ? scaled(override.floors, inp.storeyHeight)
        : cols ? columnHeights(cols, floorsField, inp.storeyHeight) : parcelHeights(feats!, floorsField, inp.storeyHeight);
      c.height = { key: heightKey, vertex: vertexElevations(c.buffers, perFeature), version: ++version.current };
    }
    colourings.set(l.name, c.colour.colouring);
    parcelDraws.push({
      layer: l.name, buffers: c.buffers, positionsAttr: c.positionsAttr, geometryVersion: c.geometryVersion,
      vertexRgba: c.colour.vertex, colorVersion: c.colour.version, vertexElevation: c.height.vertex, elevationVersion: c.height.version,
    });
  }
  const parcelsKey = parcelDraws.map((p) => `${p.layer}:${p.geometryVersion}:${p.colorVersion}:${p.elevationVersion}`).join(',');
  const parcelColumns = parcelLayer ? inp.columns[parcelLayer.name] ?? null : null;
  const parcelFeatures = parcelLayer && !parcelColumns ? inp.features[parcelLayer.name] : null;

  const lines = useMemo(() => {
    const out: LineDraw[] = [];
    for (const l of inp.layers) {
      const st = LINE_STYLE[l.role];
      const cols = inp.columns[l.name];
      if (!st || inp.hidden.has(l.name) || !(inp.features[l.name] || cols?.geometry)) continue;
      if (cols?.geometry) out.push({ layer: l.name, role: l.role, rows: [], binary: pathsOf(cols), ...st });
      else out.push({ layer: l.name, role: l.role, rows: pathRows(inp.features[l.name]), ...st });
    }
    for (const a of inp.analysisLines ?? []) if (!inp.hidden.has(a.layer)) out.push(a);
    return out;
  }, [inp.layers, inp.features, inp.columns, inp.hidden, pathsOf, inp.analysisLines]);

  const points = useMemo(() => {
    const out: PointDraw[] = [];
    for (const l of inp.layers) {
      const st = POINT_STYLE[l.role];
      if (!st || inp.hidden.has(l.name) || !inp.features[l.name]) continue;
      out.push({ layer: l.name, role: l.role, rows: pointRows(inp.features[l.name], l.fieldMap.name), ...st });
    }
    return out;
  }, [inp.layers, inp.features, inp.hidden]);

  // The style is rebuilt whole, so it waits until every context layer has arrived (one rebuild, not one per layer).
  // A catchment's reached streets are drawn from typed arrays (analysisLines), never fetched as features.
  const asContext = (l: LayerInfo) => !DECK_ROLES.has(l.role) && l.name !== CATCHMENT_STREETS_LAYER && !inp.hidden.has(l.name);
  const context = useMemo(() => inp.layers.some((l) => asContext(l) && !inp.features[l.name]) ? NO_CONTEXT : inp.layers
    .filter((l) => asContext(l) && inp.features[l.name])
    .map((l): ContextLayer => ({
      name: l.name, role: l.role, geometryType: l.geometryType,
      data: { type: 'FeatureCollection', features: inp.features[l.name] } as unknown as FeatureCollection,
    })), [inp.layers, inp.features, inp.hidden]);

  const highlight = useMemo(() => {
    const s = inp.selection;
    const cols = s ? inp.columns[s.layer] : null;
    if (s && cols) {
      const rings = featureRings(cols, s.index);
      return rings.length ? rings : null;
    }
    const f = s ? inp.features[s.layer]?.[s.index] : null;
    if (!f?.geometry) return null;
    const rows = pathRows([f]);
    return rows.length ? rows.map((r) => r.path) : null;
  }, [inp.selection, inp.features, inp.columns]);

  const landUseField = parcelLayer?.fieldMap.land_use;
  const landUseColumn = landUseField ? parcelColumns?.columns[landUseField] : undefined;
  const landUseAreas = useMemo(() => {
    if (parcelColumns && landUseField) return landUseColumn ? landUseHectares(parcelColumns, landUseField, areasOf(parcelColumns), inp.noDataLabel) : null;
    if (!parcelFeatures || !landUseField) return null;
    const { legend } = categoricalColors(parcelFeatures.map((f) => f.properties[landUseField]));
    const colourOf = new Map(legend.map((e) => [e.label || inp.noDataLabel, e.color]));
    const byLabel = new Map<string, number>();
    for (const f of parcelFeatures) {
      const label = String(f.properties[landUseField] ?? '') || inp.noDataLabel;
      byLabel.set(label, (byLabel.get(label) ?? 0) + geometryArea(f.geometry as Geometry | null));
    }
    return [...byLabel.entries()]
      .map(([label, m2]) => ({ label, hectares: m2 / 10_000, color: colourOf.get(label) ?? ([190, 190, 200, 255] as Rgba) }))
      .sort((x, y) => y.hectares - x.hectares);
  }, [parcelFeatures, parcelColumns?.geometry, landUseColumn, landUseField, inp.noDataLabel]);

  const legends = useMemo(() => {
    const out: Record<string, LegendItem[]> = {};
    for (const [name, c] of colourings) if (c.legend.length) out[name] = c.legend;
    for (const l of lines) out[l.layer] = [{ label: l.label ?? inp.roleLabel(l.role), color: l.color }];
    for (const p of points) out[p.layer] = [{ label: inp.roleLabel(p.role), color: p.color }];
    return out;
  }, [parcelsKey, lines, points, inp.roleLabel]);

  const scene: MapScene = useMemo(
    () => ({ parcels: parcelDraws, lines, points, massing: inp.massing, highlight }),
    // parcelDraws is rebuilt every render; parcelsKey says when its content changed
    [parcelsKey, lines, points, inp.massing, highlight],
  );

  return { scene, context, legends, landUseAreas, parcelLayer };
}

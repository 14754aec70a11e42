/**
 * The deck.gl layers of the map, built from plain typed data. Parcels use binary attributes:
 * the geometry object is kept across renders (so it is tesselated once) and colour or height
 * changes swap in a new vertex buffer, signalled through updateTriggers.
 */
import { COORDINATE_SYSTEM, type Layer } from '@deck.gl/core';
import { PathLayer, ScatterplotLayer, SolidPolygonLayer, TextLayer } from '@deck.gl/layers';
import type { PolygonBuffers } from './binary-polygons.js';
import type { Rgba } from './palette.js';

export interface ParcelDraw {
  layer: string;
  buffers: PolygonBuffers;
  /** One object per geometry: deck.gl keeps its tesselation while it sees the same one. */
  positionsAttr: { value: Float64Array | Float32Array; size: number };
  /** Bumped when buffers change (a new layer of parcels). */
  geometryVersion: number;
  vertexRgba: Uint8Array;
  colorVersion: number;
  vertexElevation: Float32Array;
  elevationVersion: number;
}

export interface PathRow { path: number[][]; fi: number }
export interface PointRow { position: [number, number]; label: string; fi: number }

/** A line layer as typed arrays (layers.columns): one path per part, Float32 offsets from origin. */
export interface BinaryPaths { length: number; startIndices: Uint32Array; positions: Float32Array; origin: [number, number]; rowFeature: Uint32Array }
export interface LineDraw {
  layer: string; role: string; rows: PathRow[]; binary?: BinaryPaths; color: Rgba; width: number;
  /** Default true; false lets clicks through to the parcels below (a catchment's reached streets). */
  pickable?: boolean;
  /** Legend label, when not the role's. */
  label?: string;
}
export interface PointDraw { layer: string; role: string; rows: PointRow[]; color: Rgba; radius: number; labels: boolean }

export interface MapScene {
  parcels: ParcelDraw[];
  lines: LineDraw[];
  points: PointDraw[];
  massing: boolean;
  highlight: number[][][] | null;
}

interface BinaryPolygonData {
  length: number;
  startIndices: Uint32Array;
  geometryVersion: number;
  attributes: Record<string, { value: ArrayBufferView; size: number; normalized?: boolean }>;
}

export function parcelData(p: ParcelDraw): BinaryPolygonData {
  return {
    length: p.buffers.length,
    startIndices: p.buffers.startIndices,
    geometryVersion: p.geometryVersion,
    attributes: {
      getPolygon: p.positionsAttr,
      getFillColor: { value: p.vertexRgba, size: 4, normalized: true },
      getElevation: { value: p.vertexElevation, size: 1 },
    },
  };
}

/**
 * A typed-array layer's Float32 positions are degrees from its origin: deck.gl projects them around
 * that origin (LNGLAT_OFFSETS, with a second-order correction in latitude), so no Float64 copy is made.
 * Its error grows with the cube of the distance from the origin: ~0.05 m at 0.2° (the edge of a 45 km
 * metropolitan square) at Bangkok's latitude, far below a pixel at the zoom that shows the whole square.
 */
function coordinates(b: ParcelDraw['buffers']) {
  return b.origin ? { coordinateSystem: COORDINATE_SYSTEM.LNGLAT_OFFSETS, coordinateOrigin: [b.origin[0], b.origin[1], 0] as [number, number, number] } : {};
}

const sameGeometry = (a: unknown, b: unknown): boolean =>
  (a as BinaryPolygonData | null)?.geometryVersion === (b as BinaryPolygonData | null)?.geometryVersion;

const EDGE_ROWS_MAX = 50_000;

export function buildDeckLayers(scene: MapScene): Layer[] {
  const out: Layer[] = [];
  for (const p of scene.parcels) {
    out.push(new SolidPolygonLayer({
      id: `parcels:${p.layer}`,
      data: parcelData(p) as never,
      ...coordinates(p.buffers),
      dataComparator: sameGeometry,
      _normalize: false,
      _windingOrder: 'CCW',
      filled: true,
      extruded: scene.massing,
      wireframe: false,
      opacity: scene.massing ? 0.95 : 0.82,
      pickable: true,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 110],
      updateTriggers: { getFillColor: p.colorVersion, getElevation: p.elevationVersion },
      material: { ambient: 0.45, diffuse: 0.6, shininess: 16, specularColor: [60, 64, 70] },
    }));
    // Outlines of 50k+ parcels are sub-pixel at the view that shows them all and double the geometry work.
    if (!scene.massing && p.buffers.length <= EDGE_ROWS_MAX) {
      out.push(new PathLayer({
        id: `parcel-edges:${p.layer}`,
        ...coordinates(p.buffers),
        data: { length: p.buffers.length, startIndices: p.buffers.startIndices, geometryVersion: p.geometryVersion, attributes: { getPath: p.positionsAttr } } as never,
        dataComparator: sameGeometry,
        _pathType: 'open',
        getColor: [255, 255, 255, 200],
        getWidth: 1,
        widthUnits: 'pixels',
        pickable: false,
      }));
    }
  }
  for (const l of scene.lines) {
    if (l.binary) {
      const b = l.binary;
      out.push(new PathLayer({
        id: `lines:${l.layer}`,
        data: { length: b.length, startIndices: b.startIndices, attributes: { getPath: { value: b.positions, size: 2 } } } as never,
        coordinateSystem: COORDINATE_SYSTEM.LNGLAT_OFFSETS,
        coordinateOrigin: [b.origin[0], b.origin[1], 0],
        _pathType: 'open',
        getColor: l.color,
        getWidth: l.width,
        widthUnits: 'pixels',
        widthMinPixels: 1,
        pickable: l.pickable ?? true,
      }));
      continue;
    }
    out.push(new PathLayer<PathRow>({
      id: `lines:${l.layer}`,
      data: l.rows,
      getPath: (r) => r.path as never,
      getColor: l.color,
      getWidth: l.width,
      widthUnits: 'pixels',
      widthMinPixels: 1,
      capRounded: true,
      jointRounded: true,
      pickable: true,
    }));
  }
  if (scene.highlight) {
    out.push(new PathLayer<number[][]>({
      id: 'selection',
      data: scene.highlight,
      getPath: (r) => r as never,
      getColor: [20, 20, 30, 255],
      getWidth: 3,
      widthUnits: 'pixels',
      pickable: false,
    }));
  }
  for (const pt of scene.points) {
    out.push(new ScatterplotLayer<PointRow>({
      id: `points:${pt.layer}`,
      data: pt.rows,
      getPosition: (r) => r.position,
      getFillColor: pt.color,
      getLineColor: [255, 255, 255, 255],
      getRadius: pt.radius,
      radiusUnits: 'pixels',
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      pickable: true,
    }));
    if (pt.labels) {
      out.push(new TextLayer<PointRow>({
        id: `labels:${pt.layer}`,
        data: pt.rows.filter((r) => r.label),
        getPosition: (r) => r.position,
        getText: (r) => r.label,
        getSize: 13,
        getColor: [25, 30, 40, 255],
        getPixelOffset: [0, -16],
        background: true,
        getBackgroundColor: [255, 255, 255, 220],
        backgroundPadding: [4, 2],
        fontFamily: 'system-ui, "Noto Sans", "Noto Sans Thai", "Noto Sans CJK JP", sans-serif',
        characterSet: 'auto',
        pickable: false,
      }));
    }
  }
  return out;
}

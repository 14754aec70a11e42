/**
 * Parcels as deck.gl binary attributes: one flat position buffer with a start index per polygon
 * part, so recolouring or re-extruding 20k parcels rewrites one typed array instead of 20k objects.
 * A row is one outer ring (a MultiPolygon gives several rows); rowFeature maps a picked row back.
 * Holes are not cut out of the fill: parcels with courtyards draw solid (outlines still show them).
 */
import type { Geometry } from 'geojson';

export interface PolygonBuffers {
  /** Rows (outer rings). */
  length: number;
  /** Vertex start of each row, plus the end: length + 1 entries. */
  startIndices: Uint32Array;
  /** x,y (lon, lat) per vertex, or offsets from origin when there is one; rings are closed (first vertex repeated last). */
  positions: Float64Array | Float32Array;
  /** [lon, lat] the Float32 positions of a typed-array layer are offsets from (parcel-columns.ts). */
  origin?: [number, number];
  vertexCount: number;
  /** Feature index of each row. */
  rowFeature: Uint32Array;
  /** First row of each feature, plus the end: features + 1 entries. */
  featureRowStart: Uint32Array;
  featureCount: number;
}

type Ring = number[][];

function outerRings(g: Geometry | null): Ring[] {
  if (!g) return [];
  if (g.type === 'Polygon') return g.coordinates.length ? [g.coordinates[0]] : [];
  if (g.type === 'MultiPolygon') return g.coordinates.filter((p) => p.length > 0).map((p) => p[0]);
  return [];
}

export function buildPolygonBuffers(geometries: ReadonlyArray<Geometry | null>): PolygonBuffers {
  let rows = 0;
  let verts = 0;
  for (const g of geometries) {
    for (const r of outerRings(g)) {
      if (r.length < 3) continue;
      rows += 1;
      verts += closedLength(r);
    }
  }
  const startIndices = new Uint32Array(rows + 1);
  const positions = new Float64Array(verts * 2);
  const rowFeature = new Uint32Array(rows);
  const featureRowStart = new Uint32Array(geometries.length + 1);
  let row = 0;
  let v = 0;
  geometries.forEach((g, fi) => {
    featureRowStart[fi] = row;
    for (const r of outerRings(g)) {
      if (r.length < 3) continue;
      startIndices[row] = v;
      rowFeature[row] = fi;
      for (const p of r) {
        positions[v * 2] = p[0];
        positions[v * 2 + 1] = p[1];
        v += 1;
      }
      if (!isClosed(r)) {
        positions[v * 2] = r[0][0];
        positions[v * 2 + 1] = r[0][1];
        v += 1;
      }
      row += 1;
    }
  });
  featureRowStart[geometries.length] = row;
  startIndices[rows] = v;
  return { length: rows, startIndices, positions, vertexCount: v, rowFeature, featureRowStart, featureCount: geometries.length };
}

function isClosed(r: Ring): boolean {
  const a = r[0];
  const b = r[r.length - 1];
  return a[0] === b[0] && a[1] === b[1];
}

function closedLength(r: Ring): number {
  return isClosed(r) ? r.length : r.length + 1;
}

/** Spread a value per feature (size numbers each) onto every vertex of that feature's rows. */
export function spreadToVertices<T extends Uint8Array | Float32Array>(
  buf: PolygonBuffers, perFeature: T, size: number, target: T,
): T {
  if (perFeature.length < buf.featureCount * size) throw new RangeError(`expected ${buf.featureCount * size} values, got ${perFeature.length}`);
  if (target.length < buf.vertexCount * size) throw new RangeError(`target holds ${target.length} values, needs ${buf.vertexCount * size}`);
  for (let row = 0; row < buf.length; row++) {
    const f = buf.rowFeature[row] * size;
    const end = buf.startIndices[row + 1];
    for (let v = buf.startIndices[row]; v < end; v++) {
      const o = v * size;
      for (let k = 0; k < size; k++) target[o + k] = perFeature[f + k];
    }
  }
  return target;
}

export function vertexColors(buf: PolygonBuffers, featureRgba: Uint8Array): Uint8Array {
  return spreadToVertices(buf, featureRgba, 4, new Uint8Array(buf.vertexCount * 4));
}

export function vertexElevations(buf: PolygonBuffers, featureElevation: Float32Array): Float32Array {
  return spreadToVertices(buf, featureElevation, 1, new Float32Array(buf.vertexCount));
}

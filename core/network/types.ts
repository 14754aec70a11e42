/** The walk graph's shapes: line input (columnar), the CSR graph, and its connected components. */

/** Lines as columnar arrays, in EPSG:4326 lon/lat. A MultiLineString feature contributes several parts. */
export interface LineSource {
  /** Layer or file name, for messages. */
  name: string;
  /** lon0, lat0, lon1, lat1, … of every vertex of every part. */
  coords: Float64Array;
  /** Vertex offset where each part starts; length parts + 1. */
  partStart: Int32Array;
  /** Feature id (GeoPackage fid, or 1-based position in a file) of each part. */
  partFid: Float64Array;
  /** Vertical level: 0 at grade, >0 bridges, <0 tunnels. Interior vertices only node within one level. */
  partLevel: Int8Array;
  /** 1 when pedestrians may use the part. */
  partWalkable: Uint8Array;
  /** Street name per part when the layer maps one (islands are named after their streets). */
  partName?: Array<string | null>;
}

export interface ComponentInfo {
  id: number;
  nodes: number;
  edges: number;
  lengthM: number;
  bbox: [number, number, number, number];
  /** Up to five street names (or feature ids when unnamed) that make the component recognisable. */
  name: string;
}

export interface WalkGraph {
  version: number;
  nodeCount: number;
  edgeCount: number;
  /** lon, lat of each node (the first vertex occurrence that made it). */
  nodeLonLat: Float64Array;
  /** CSR adjacency: the arcs of node n are offsets[n] .. offsets[n+1]-1; both directions stored. */
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
  edgeU: Int32Array;
  edgeV: Int32Array;
  edgeLength: Float64Array;
  edgeFid: Float64Array;
  /** Each edge's geometry is vertices[edgeVStart..edgeVEnd] inclusive (lon/lat pairs, u end first). */
  edgeVStart: Int32Array;
  edgeVEnd: Int32Array;
  vertices: Float64Array;
  /** Component id per node; components sorted by node count, 0 = the largest. */
  component: Int32Array;
  components: ComponentInfo[];
  stats: GraphStats;
}

export interface GraphStats {
  parts: number;
  nonWalkableParts: number;
  /** Interior vertices that became nodes because another line of the same level shares them. */
  sharedInteriorNodes: number;
  /** Pieces of zero length or starting and ending at one node (they never shorten a path). */
  droppedLoops: number;
  /** Crossings noded by the optional centreline splitting. */
  crossingsSplit?: number;
}

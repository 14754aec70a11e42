// The horizon control's work per move at 100k parcels, printed (never asserted): `npx tsx tests/e2e/horizon.bench.ts`
// (or `npm run bench -- horizon`). A move picks another column of the projection already in the page
// (no request): FAR per feature, the colour classes, the per-vertex colour and elevation buffers that
// deck.gl uploads (the GPU upload and the draw are not in these figures; renderer.bench.ts measures frames).
// Also the one-off work when a scenario's projection arrives: decoding the packed columns and the fid order.
import { buildPolygonBuffers, vertexColors, vertexElevations } from '../../renderer/map/binary-polygons.js';
import { decodeProjection, farAtColumn, featureOrder, floorsOfFar, projectionColouring } from '../../renderer/map/projection-colours.js';

const N = Number(process.argv[2] ?? 100_000);
const H = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]) => `median ${median(xs).toFixed(1)} ms (runs: ${xs.map((x) => x.toFixed(1)).join(', ')})`;

let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const side = Math.ceil(Math.sqrt(N));
const features = Array.from({ length: N }, (_, i) => {
  const x = 100.5 + (i % side) * 0.0004, y = 13.8 + Math.floor(i / side) * 0.0004, d = 0.0003;
  return { id: i + 1, geometry: { type: 'Polygon' as const, coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] }, properties: {} };
});
const buffers = buildPolygonBuffers(features.map((f) => f.geometry));

// What growth.parcels sends: fids (Float64) and FAR columns (Float32, horizons then capacity) as typed arrays.
const fids = Float64Array.from({ length: N }, (_, k) => N - k); // another order than the map's
const far = new Float32Array(N * (H + 1));
for (let k = 0; k < N; k++) {
  const ex = rnd() * 2, cap = ex + rnd() * 6;
  for (let c = 0; c < H; c++) far[c * N + k] = ex + (rnd() < 0.05 * (c + 1) ? (cap - ex) * rnd() : 0);
  far[H * N + k] = cap;
}
const figures = { floorAreaM2: 0, residents: 0, jobs: 0 };
const wire = {
  scenarioId: 'bench', version: 1, name: 'bench', parcelLayer: 'parcels', source: 'bench', baseYear: 2024, horizons: [2030, 2040, 2045], n: N,
  columns: [2030, 2040, 2045, 'capacity' as const], fids, far, bands: [], total: { horizons: [figures, figures, figures], capacity: figures },
};
console.log(`${N.toLocaleString('en')} parcels, ${buffers.vertexCount.toLocaleString('en')} vertices, ${H} horizons + capacity; FAR columns ${(wire.far.byteLength / 1e6).toFixed(1)} MB`);

const arrive: number[] = [];
let data = decodeProjection(wire);
let order = featureOrder(features, data.fids);
for (let r = 0; r < 7; r++) {
  const t0 = performance.now();
  data = decodeProjection(wire);
  order = featureOrder(features, data.fids);
  arrive.push(performance.now() - t0);
}
console.log(`projection arrives (check the typed columns + fid order, once per scenario or rule edit): ${fmt(arrive)}`);

const move: number[] = [];
for (let r = 0; r < 12; r++) {
  const col = r % (H + 1);
  const t0 = performance.now();
  const f = farAtColumn(data, order, N, col);
  const c = projectionColouring(f, col === H ? 'capacity' : `projected ${data.horizons[col]}`);
  vertexColors(buffers, c.rgba);
  const floors = floorsOfFar(f);
  for (let i = 0; i < floors.length; i++) floors[i] *= 3.5;
  vertexElevations(buffers, floors);
  move.push(performance.now() - t0);
}
console.log(`horizon move, first visit of a column (FAR column + classes + vertex colour and elevation buffers): ${fmt(move)}`);
console.log('a column visited before is kept per scenario in the app (a move back swaps the cached colouring: the vertex spread alone)');

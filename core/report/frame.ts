/**
 * What a report map frames: the whole site (parcels and stations), or one station's site: the
 * outermost walk band of the latest catchment run around it, or, before any catchment run, its
 * entrances with a kilometre around them. A corridor's overview is hundreds of km wide; a station's
 * site is two or three.
 */
import { latestRunId, POLYGON_LAYER, readRun } from '../catchment/store.js';
import { stationsFromFeatures } from '../catchment/inputs.js';
import { EkimaeError } from '../errors.js';
import { bboxOf, emptyBBox, extendBBox, type BBox } from '../geo/geometry.js';
import type { SectionContext } from './sections/site.js';

export interface StationSite { id: string; name: string; bbox: BBox }

/** Without catchments: this far around the station (a 12-minute walk as the crow flies). */
const NO_CATCHMENT_M = 1000;
/** Room around the site on each side: a share of its larger span, at least MIN_MARGIN_M. */
const MARGIN = 0.12;
const MIN_MARGIN_M = 150;

const M_PER_DEG_LAT = 111_320;

function grow(b: BBox, metres: number): BBox {
  const lat = (b[1] + b[3]) / 2;
  const dy = metres / M_PER_DEG_LAT, dx = metres / (M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180));
  return [b[0] - dx, b[1] - dy, b[2] + dx, b[3] + dy];
}

/** Width and height of a lon/lat box in metres (local plane). */
function spanM(b: BBox): [number, number] {
  const lat = (b[1] + b[3]) / 2;
  return [(b[2] - b[0]) * M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180), (b[3] - b[1]) * M_PER_DEG_LAT];
}

function framed(b: BBox): BBox {
  const [w, h] = spanM(b);
  return grow(b, Math.max(MIN_MARGIN_M, MARGIN * Math.max(w, h)));
}

/** Every station's site, in the order the catchment run (or the stations layer) lists them. */
function stationSites(ctx: SectionContext): StationSite[] {
  const sites = new Map<string, { name: string; box: BBox }>();
  if (latestRunId(ctx.project) !== null) {
    const run = readRun(ctx.project);
    for (const b of run.bands) if (b.stationId !== '*' && !sites.has(b.stationId)) sites.set(b.stationId, { name: b.stationName ?? b.stationId, box: emptyBBox() });
    for (const f of ctx.features(POLYGON_LAYER)) {
      const s = f.properties.run_id === run.runId && f.geometry ? sites.get(String(f.properties.station_id)) : undefined;
      if (s) extendBBox(s.box, bboxOf(f.geometry!));
    }
  }
  const layer = ctx.byRole.stations;
  if (layer) {
    for (const st of stationsFromFeatures(layer.name, ctx.features(layer.name), layer.fieldMap)) {
      const s = sites.get(st.id) ?? [...sites.values()].find((x) => st.name && x.name === st.name);
      if (s && Number.isFinite(s.box[0])) continue;
      const box = emptyBBox();
      for (const [x, y] of st.points) extendBBox(box, [x, y, x, y]);
      if (!Number.isFinite(box[0])) continue;
      if (s) s.box = grow(box, NO_CATCHMENT_M);
      else sites.set(st.id, { name: st.name ?? st.id, box: grow(box, NO_CATCHMENT_M) });
    }
  }
  return [...sites].filter(([, s]) => Number.isFinite(s.box[0])).map(([id, s]) => ({ id, name: s.name, bbox: framed(s.box) }));
}

/** The site of the station named (by id or name); a clear error naming the stations there are. */
export function findStationSite(ctx: SectionContext, station: string): StationSite {
  const sites = stationSites(ctx);
  const hit = sites.find((s) => s.id === station) ?? sites.find((s) => s.name === station);
  if (!hit) {
    throw new EkimaeError('E_INPUT_INVALID', `station "${station}" is not in this project${sites.length ? ` (stations: ${sites.map((s) => s.name).join(', ')})` : ' (it has no stations)'}`, { station });
  }
  return hit;
}

/** A station's site gets its own map when the overview draws it this small or smaller (a quarter of the map's width). */
const OVERVIEW_RATIO = 4;

/**
 * The station sites a map framed on `overview` draws too small to read (a line between cities);
 * stations a few hundred metres apart share the overview instead. Empty for one station's map.
 */
export function sitesTooSmall(ctx: SectionContext, overview: BBox | undefined): StationSite[] {
  if (!overview) return [];
  const wide = spanM(overview)[0];
  return stationSites(ctx).filter((s) => wide > OVERVIEW_RATIO * spanM(s.bbox)[0]);
}

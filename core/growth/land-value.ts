/** Land value per m² per parcel (layer order) from the parcel layer's mapped land_value field; NaN where unknown. */
import type { Project } from '../store/project.js';
import { cached, type PreparedParcels } from '../scenario/prepare.js';

export function landValues(p: Project, prep: PreparedParcels): Float64Array {
  return cached(p, `landvalue:${prep.layer}`, prep.token, () => {
    const out = new Float64Array(prep.cols.n).fill(NaN);
    const field = p.layer(prep.layer).fieldMap.land_value;
    if (!field) return out;
    for (const f of p.readFeatures(prep.layer)) {
      const i = prep.fidIndex.get(f.fid!);
      if (i === undefined) continue;
      const raw = f.properties[field];
      const v = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (Number.isFinite(v) && v >= 0) out[i] = v;
    }
    return out;
  });
}

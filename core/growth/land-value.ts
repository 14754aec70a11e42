/** Land value per m² per parcel (layer order) from the parcel layer's mapped land_value field; NaN where unknown. */
import type { Project } from '../store/project.js';
import { layerArraysShared, valueAt } from '../store/layer-arrays.js';
import { cached, type PreparedParcels } from '../scenario/prepare.js';

export function landValues(p: Project, prep: PreparedParcels): Float64Array {
  return cached(p, `landvalue:${prep.layer}`, prep.token, () => {
    const out = new Float64Array(prep.cols.n).fill(NaN);
    const field = p.layer(prep.layer).fieldMap.land_value;
    if (!field) return out;
    // The typed arrays prepareParcels read (no geometry decoded again).
    const a = layerArraysShared(p, prep.layer, p.fieldsOf(prep.layer).some((f) => f.name === field) ? [field] : []);
    const col = a.columns[field];
    for (let k = 0; k < a.count; k++) {
      const i = prep.fidIndex.get(a.fids[k]);
      if (i === undefined) continue;
      const raw = col ? valueAt(col, k) : undefined;
      const v = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (Number.isFinite(v) && v >= 0) out[i] = v;
    }
    return out;
  });
}

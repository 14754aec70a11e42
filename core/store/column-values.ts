/**
 * One value of a typed column (layer-arrays.ts), apart from the reader: code that only reads values
 * from columns it was given, such as the catchment's station inputs on `ekimae catchment`'s file
 * path, then does not load the GeoPackage store and SQLite with it.
 */
import type { Value } from '../io/types.js';
import type { ColumnArray } from './layer-arrays.js';

/** The value readFeatures gives for feature i of this column. */
export function valueAt(col: ColumnArray, i: number): Value {
  switch (col.kind) {
    case 'number': { const v = col.values[i]; return v !== v ? null : v; }
    case 'boolean': { const v = col.values[i]; return v === 255 ? null : v === 1; }
    case 'text': { const c = col.codes[i]; return c < 0 ? null : col.dictionary[c]; }
    case 'mixed': return col.values[i];
  }
}

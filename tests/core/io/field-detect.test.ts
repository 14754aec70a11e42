/** Role, field-mapping and personal-data guesses on hand-made layers (what a planner's files look like). */
import { describe, expect, it } from 'vitest';
import { detectFieldMap, detectPersonalFields, detectRole } from '../../../core/io/field-detect.js';
import type { Feature, FieldDef } from '../../../core/io/types.js';

const fields = (...names: string[]): FieldDef[] => names.map((name) => ({ name, type: 'TEXT' }));
const rows = (name: string, values: unknown[]): Feature[] => values.map((v) => ({ geometry: null, properties: { [name]: v as string } }));

describe('detectRole', () => {
  it.each([
    ['bangsue_parcels.shp', 'polygon', [], 'parcels'],
    ['layer.geojson', 'polygon', ['LU_CODE', 'FAR'], 'parcels'],
    ['khwaeng_2020.shp', 'polygon', [], 'census'],
    ['zones.geojson', 'polygon', ['POP_2020'], 'census'],
    ['bldg_footprints.gpkg', 'polygon', [], 'buildings'],
    ['mrt_alignment.kml', 'line', [], 'rail'],
    ['roads.shp', 'line', [], 'network'],
    ['lines.geojson', 'line', ['highway'], 'network'],
    ['station_exits.csv', 'point', [], 'entrances'],
    ['stations.csv', 'point', [], 'stations'],
    ['trees.csv', 'point', [], 'other'],
  ])('%s (%s, fields %j) -> %s', (file, fam, f, role) => {
    expect(detectRole(file, fam as 'point' | 'line' | 'polygon', fields(...(f as string[])))).toBe(role);
  });
});

describe('detectFieldMap', () => {
  it('maps parcels fields by common names, each field used once', () => {
    expect(detectFieldMap('parcels', fields('PLOT_NO', 'LANDUSE', 'GFA_M2', 'FSI', 'storeys', 'jantri', 'ownership', 'owner_name'))).toEqual({
      parcel_id: 'PLOT_NO', land_use: 'LANDUSE', floor_area: 'GFA_M2', far: 'FSI', floors: 'storeys', land_value: 'jantri', ownership: 'ownership', owner_name: 'owner_name',
    });
  });

  it('census and network roles', () => {
    expect(detectFieldMap('census', fields('WARD_NO', 'ward_name', 'TOT_POP', 'HH', 'EMP'))).toEqual({ zone_id: 'WARD_NO', name: 'ward_name', population: 'TOT_POP', households: 'HH', jobs: 'EMP' });
    expect(detectFieldMap('network', fields('fclass', 'name', 'bridge', 'tunnel', 'layer'))).toEqual({ highway: 'fclass', name: 'name', bridge: 'bridge', tunnel: 'tunnel', layer: 'layer' });
  });

  it('other maps nothing', () => {
    expect(detectFieldMap('other', fields('LANDUSE', 'FAR'))).toEqual({});
  });
});

describe('detectPersonalFields', () => {
  it('by name (owner, phone, Thai เจ้าของ) but not ownership categories', () => {
    const out = detectPersonalFields(fields('owner', 'phone_no', 'เจ้าของ', 'ownership', 'owner_type', 'land_use'), []);
    expect(Object.keys(out).sort()).toEqual(['owner', 'phone_no', 'เจ้าของ'].sort());
  });

  it('by content: Thai national IDs, Aadhaar, e-mail; not when too few values look so', () => {
    expect(detectPersonalFields(fields('ref'), rows('ref', ['3100100123456', '1100200654321', '3101700111222']))).toEqual({ ref: 'values look like Thai national ID numbers (13 digits)' });
    expect(detectPersonalFields(fields('uid'), rows('uid', ['2345 6789 0123', '3456 7890 1234', '4567 8901 2345']))).toEqual({ uid: 'values look like Aadhaar numbers (12 digits)' });
    expect(detectPersonalFields(fields('contact'), rows('contact', ['a@b.co', 'x.y@city.go.th', 'p@q.in']))).toHaveProperty('contact');
    expect(detectPersonalFields(fields('ref'), rows('ref', ['3100100123456', 'A-1', 'B-2', 'C-3', 'D-4']))).toEqual({});
    expect(detectPersonalFields(fields('ref'), rows('ref', ['3100100123456', '1100200654321']))).toEqual({});
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILES, parseStops, readCollection, selectFeatures, selectedStopIds } from '../../sample-data/lib/realdata.js';
import { SAMPLE_DIR } from './checks.js';

const SHARED = resolve(SAMPLE_DIR, '../../shared/realdata');
const COPY = `${SAMPLE_DIR}realdata/`;
const GEOJSON = ['khwaeng', 'khet', 'bmcWards', 'ahmedabadWards', 'vadodaraWards', 'irStations'] as const;

describe('sample-data/realdata', () => {
  it('names every copied file in SOURCE.md with its source and licence', () => {
    const md = readFileSync(`${COPY}SOURCE.md`, 'utf8');
    for (const f of Object.values(FILES)) {
      const row = md.split('\n').find((l) => l.includes(f.copy.split('/')[1]));
      expect(row, f.copy).toBeDefined();
      expect(row, f.copy).toMatch(/CC0|CC BY|no licence stated/);
      expect(row, f.copy).toMatch(/@ [0-9a-f]{8}/);
    }
  });

  // A user's clone may lack ../shared: the copies are what the generator reads, checked here when it is present.
  describe.skipIf(!existsSync(SHARED))('against ../shared/realdata', () => {
    it.each(GEOJSON)('%s: the features touching the sample sites, attributes and geometry unchanged', (file) => {
      const f = FILES[file];
      const shared = readCollection(`${SHARED}/${f.shared}`);
      const copy = readCollection(COPY + f.copy);
      const khwaeng = file === 'khet' ? selectFeatures('khwaeng', readCollection(`${SHARED}/${FILES.khwaeng.shared}`)) : [];
      const want = selectFeatures(file, shared, khwaeng);
      expect(copy.length, file).toBeGreaterThan(0);
      expect(copy.map(f.key)).toEqual(want.map(f.key));
      for (const c of copy) expect(c, f.key(c)).toEqual(shared.find((s) => f.key(s) === f.key(c)));
    });

    it('namtang_gtfs_stops.csv: the stops sources.json names, rows as published', () => {
      const shared = readFileSync(`${SHARED}/${FILES.stops.shared}`, 'utf8').trim().split('\n');
      const copy = readFileSync(COPY + FILES.stops.copy, 'utf8').trim().split('\n');
      expect(copy[0]).toBe(shared[0]);
      for (const row of copy.slice(1)) expect(shared, row).toContain(row);
      expect([...parseStops(copy.join('\n')).keys()].sort()).toEqual([...new Set(selectedStopIds())].sort());
    });
  });
});

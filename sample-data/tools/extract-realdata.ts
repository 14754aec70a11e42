/**
 * npx tsx sample-data/tools/extract-realdata.ts [shared realdata dir, default ../shared/realdata]
 * Copies the real inputs the generator reads from the shared reference data into
 * sample-data/realdata/ (the features touching the sample sites, attributes and geometry unchanged),
 * so the samples rebuild from the repository alone. SOURCE.md there is written by hand.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FILES, REALDATA_DIR, readCollection, selectFeatures, selectedStopIds, type GeoFeature } from '../lib/realdata.js';

export const DEFAULT_SHARED = resolve(fileURLToPath(new URL('../../../shared/realdata/', import.meta.url)));

/** One feature per line: small diffs when a copy changes, still plain GeoJSON. */
export function collectionText(features: GeoFeature[]): string {
  return `{"type":"FeatureCollection","features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

/** The stops.txt header and the rows of the given stop ids, as the shared file has them. */
export function stopsText(shared: string, ids: string[]): string {
  const [head, ...rows] = shared.trim().split('\n');
  const keep = new Set(ids);
  return [head, ...rows.filter((l) => keep.has(l.replace(/^"/, '').split('"')[0]))].join('\n') + '\n';
}

export function extract(sharedDir: string): string[] {
  const written: string[] = [];
  const write = (file: keyof typeof FILES, text: string) => {
    const out = REALDATA_DIR + FILES[file].copy;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
    written.push(out);
  };
  const shared = (file: keyof typeof FILES) => `${sharedDir}/${FILES[file].shared}`;
  const khwaeng = selectFeatures('khwaeng', readCollection(shared('khwaeng')));
  write('khwaeng', collectionText(khwaeng));
  write('khet', collectionText(selectFeatures('khet', readCollection(shared('khet')), khwaeng)));
  write('stops', stopsText(readFileSync(shared('stops'), 'utf8'), selectedStopIds()));
  for (const f of ['bmcWards', 'ahmedabadWards', 'vadodaraWards', 'irStations'] as const) write(f, collectionText(selectFeatures(f, readCollection(shared(f)))));
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const f of extract(resolve(process.argv[2] ?? DEFAULT_SHARED))) console.log(`wrote ${f}`);
}

/**
 * `ekimae import <project> <feed>` with a GTFS feed as a zip and as a folder (tests/fixtures/gtfs/complete):
 * one line per layer with its role and counts; a malformed feed exits 1 with the coded message.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { main } from '../../core/cli/main.js';
import { tmpDir } from '../helpers/tmp.js';

const FEED = new URL('../fixtures/gtfs/complete/mini_feed', import.meta.url).pathname;
const dir = tmpDir('ekimae-cli-gtfs-');

async function cli(argv: string[]) {
  const out: string[] = [], err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s), stdin: async () => '' });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('ekimae import with a GTFS feed', () => {
  it('imports a zip and a folder: stations, entrances, rail lines, bus routes', async () => {
    const project = join(dir, 'site.gpkg');
    expect((await cli(['new', project, '--name', 'GTFS site'])).code).toBe(0);
    const zip = join(dir, 'feed.zip');
    writeFileSync(zip, zipSync(Object.fromEntries(readdirSync(FEED).map((f) => [f, readFileSync(join(FEED, f))]))));

    const z = await cli(['import', project, zip]);
    expect(z.code, z.err).toBe(0);
    expect(z.out).toContain('-> layer feed_stations (stations, POINT): 5 written of 5 read, 0 skipped; CRS EPSG:4326');
    expect(z.out).toContain('-> layer feed_entrances (entrances, POINT): 3 written of 3 read');
    expect(z.out).toContain('-> layer feed_rail_lines (rail, MULTILINESTRING): 2 written of 2 read');
    expect(z.out).toContain('-> layer feed_bus_routes (other, MULTILINESTRING): 1 written of 1 read');

    const f = await cli(['import', project, FEED]);
    expect(f.code, f.err).toBe(0);
    expect(f.out).toContain('-> layer mini_feed_stations (stations, POINT): 5 written of 5 read');

    const info = JSON.parse((await cli(['info', project, '--json'])).out) as { layers: Array<{ name: string; provenance: Array<{ note: string | null }> }> };
    expect(info.layers.map((l) => l.name).sort()).toEqual(['feed_stations', 'feed_entrances', 'feed_rail_lines', 'feed_bus_routes',
      'mini_feed_stations', 'mini_feed_entrances', 'mini_feed_rail_lines', 'mini_feed_bus_routes'].sort());
    expect(info.layers.find((l) => l.name === 'feed_stations')!.provenance[0].note).toContain('peak hour 07:00–08:00');
  });

  it('a feed without stops.txt exits 1 with E_GTFS_FILE_MISSING and writes nothing', async () => {
    const project = join(dir, 'bad.gpkg');
    expect((await cli(['new', project, '--name', 'bad'])).code).toBe(0);
    const zip = join(dir, 'nostops.zip');
    writeFileSync(zip, zipSync(Object.fromEntries(readdirSync(FEED).filter((f) => f !== 'stops.txt').map((f) => [f, readFileSync(join(FEED, f))]))));
    const r = await cli(['import', project, zip]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('E_GTFS_FILE_MISSING');
    expect(r.err).toContain('nostops.zip has no stops.txt');
    expect(JSON.parse((await cli(['info', project, '--json'])).out).layers).toEqual([]);
  });
});

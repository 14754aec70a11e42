/**
 * The `ekimae` CLI: main(argv, io) in-process for every command, its --help, exit codes
 * (0 ok, 1 user/data error with the message on stderr, 2 usage), and real spawns of bin/ekimae.mjs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, main } from '../../core/cli/main.js';
import { tmpDir } from '../helpers/tmp.js';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const dir = tmpDir('ekimae-cli-');
const project = join(dir, 'bang-sue.gpkg');
const stations = join(dir, 'stations.geojson');

async function cli(argv: string[], stdin = '') {
  const out: string[] = [], err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s), stdin: async () => stdin });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(() => {
  writeFileSync(stations, JSON.stringify({
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', geometry: { type: 'Point', coordinates: [100.5300, 13.8030] }, properties: { name: 'Bang Sue', station_id: 'BL11' } },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [100.5410, 13.8130] }, properties: { name: 'Tao Poon', station_id: 'PP16' } },
    ],
  }));
});

describe('ekimae CLI in-process', () => {
  it('new creates a project (exit 0)', async () => {
    const r = await cli(['new', project, '--name', 'Bang Sue TOD', '--country', 'TH', '--currency', 'THB', '--price-year', '2025', '--center', '100.53,13.80']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain(`created ${project}`);
    expect(existsSync(project)).toBe(true);
  });

  it('import writes a layer and reports counts and CRS (exit 0)', async () => {
    const r = await cli(['import', project, stations, '--role', 'stations', '--name', 'stations']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/-> layer stations \(stations, POINT\): 2 written of 2 read, 0 skipped; CRS EPSG:4326 \(assumed\)/);
  });

  it('info prints the layers; --json prints the ProjectInfo', async () => {
    const r = await cli(['info', project]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Bang Sue TOD');
    expect(r.out).toMatch(/- stations \[stations\] POINT × 2/);
    const j = await cli(['info', project, '--json']);
    const info = JSON.parse(j.out);
    expect(info.settings).toMatchObject({ name: 'Bang Sue TOD', country: 'TH', currency: 'THB', priceYear: 2025, center: [100.53, 13.8] });
    expect(info.layers[0]).toMatchObject({ name: 'stations', count: 2, fieldMap: { station_id: 'station_id', name: 'name' } });
  });

  it('export writes a GeoJSON file (exit 0)', async () => {
    const out = join(dir, 'stations-out.geojson');
    const r = await cli(['export', project, '--layer', 'stations', '--format', 'geojson', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`wrote ${out}`);
    expect(JSON.parse(readFileSync(out, 'utf8')).features).toHaveLength(2);
    const again = await cli(['export', project, '--layer', 'stations', '--format', 'geojson', '--out', out]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('E_PROJECT_EXISTS');
  });

  it('call runs any contract method with JSON from a file or stdin', async () => {
    const input = join(dir, 'features.json');
    writeFileSync(input, JSON.stringify({ layer: 'stations', limit: 1 }));
    const r = await cli(['call', 'layers.features', input, '--project', project, '--read-only']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(['Bang Sue']);
    const v = await cli(['call', 'app.version', '-'], '{}');
    expect(v.code).toBe(0);
    expect(JSON.parse(v.out).importFormats).toContain('geojson');
    const list = await cli(['call', '--list']);
    expect(list.out).toMatch(/^layers\.import\s/m);
    const schema = await cli(['call', 'layers.features', '--schema']);
    expect(JSON.parse(schema.out).input.properties).toHaveProperty('bbox');
  });

  it('call with input outside the contract exits 1 with the error as JSON on stderr', async () => {
    const r = await cli(['call', 'layers.features', '-', '--project', project], '{"layer": "stations", "limit": "ten"}');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(JSON.parse(r.err).error.code).toBe('E_INPUT_INVALID');
    const bad = await cli(['call', 'app.version', '-'], '{not json');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('E_INPUT_INVALID');
  });

  it('a data error exits 1 with the code and the file on stderr, stdout empty', async () => {
    const broken = join(dir, 'broken.geojson');
    writeFileSync(broken, '{"type": "FeatureCollection", "features": [');
    const r = await cli(['import', project, broken]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/E_FORMAT_INVALID: .*broken\.geojson/);
    const missing = await cli(['info', join(dir, 'nope.gpkg')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('E_PROJECT_NOT_FOUND');
  });

  it.each([
    [['bogus'], /unknown command "bogus"/],
    [['new', project], /--name is required/],
    [['new'], /give exactly one <project.gpkg>/],
    [['import', project], /at least one file/],
    [['import', project, stations, '--role', 'airport'], /--role must be one of/],
    [['export', project, '--layer', 'stations', '--format', 'dxf', '--out', 'x'], /--format must be one of/],
    [['info', project, '--colour'], /Unknown option '--colour'/],
    [['call'], /missing <method>/],
    [['call', 'project.explode', '-'], /unknown method "project.explode"/],
    [['new', join(dir, 'x.gpkg'), '--name', 'x', '--center', 'bangkok'], /--center takes lon,lat/],
    [['lvc', project, '--tolerance', 'tight'], /--tolerance takes a share from 0 to 0.5/],
    [['lvc', project, '--tolerance', '0.6'], /--tolerance takes a share from 0 to 0.5/],
    [['analyze', project, '--tolerance=-0.01'], /--tolerance takes a share from 0 to 0.5/],
    [['analyze', project, '--tolerance', ''], /--tolerance takes a share from 0 to 0.5/],
    [['analyze', project, '--draws', '0'], /--draws takes a whole number from 1 to 20000/],
  ])('usage error %j exits 2 with the message on stderr', async (argv, msg) => {
    const r = await cli(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.out).toBe('');
  });

  it('no command prints the help on stderr and exits 2; --help exits 0 on stdout', async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/usage: ekimae <command>/);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const c of COMMANDS) expect(help.out).toContain(c.name);
  });

  it('the help lists each command with its summary; --version prints package.json\'s version', async () => {
    const help = await cli(['help']);
    for (const c of COMMANDS) {
      expect(c.summary.length, c.name).toBeGreaterThan(10);
      expect(help.out).toContain(`  ${c.name.padEnd(10)} ${c.summary}`);
    }
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V', 'version']) {
      const v = await cli([flag]);
      expect(v.code).toBe(0);
      expect(v.out).toBe(`ekimae ${pkg.version}`);
      expect(v.err).toBe('');
    }
  });

  it.each(COMMANDS.map((c) => c.name))('%s --help prints its usage (exit 0)', async (name) => {
    const r = await cli([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.out.startsWith(`${COMMANDS.find((c) => c.name === name)!.summary}\n`)).toBe(true);
    expect(r.out).toContain(`usage: ekimae ${name}`);
    expect(r.err).toBe('');
  });
});

describe('bin/ekimae.mjs spawned', () => {
  const bin = join(ROOT, 'bin/ekimae.mjs');
  const spawn = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: dir, timeout: 60_000 });

  it('new + import + info --json round through a real process (exit 0)', () => {
    const p = join(dir, 'spawned.gpkg');
    expect(spawn(['new', p, '--name', 'Spawned']).status).toBe(0);
    const imp = spawn(['import', p, stations]);
    expect(imp.status, imp.stderr).toBe(0);
    const info = spawn(['info', p, '--json']);
    expect(info.status, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout).layers.map((l: { count: number }) => l.count)).toEqual([2]);
  });

  it('exit 1 on a data error and 2 on a usage error, messages on stderr', () => {
    const data = spawn(['import', join(dir, 'spawned.gpkg'), join(dir, 'missing.geojson')]);
    expect(data.status).toBe(1);
    expect(data.stderr).toContain('E_FILE_NOT_FOUND');
    expect(data.stdout).toBe('');
    const version = spawn(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^ekimae \d+\.\d+\.\d+$/);
    const usage = spawn(['frobnicate']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('unknown command');
  });
});

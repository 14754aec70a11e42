/** `ekimae push <project.gpkg> <postgresql://…?schema=…>`: share a project through PostGIS. */
import { resolve } from 'node:path';
import { pushProject } from '../../store/postgis/push.js';
import { isPgUrl, parsePgUrl } from '../../store/postgis/url.js';
import { EXIT_OK, UsageError, type Command } from '../command.js';

export const pushCommand: Command = {
  name: 'push',
  usage: "ekimae push <project.gpkg> 'postgresql://role@host:port/database?schema=name' [--replace] [--json]\n       (the password comes from PGPASSWORD or ~/.pgpass rather than the address, so it stays out of shell history)",
  options: { replace: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values, positionals }, _svc, io) {
    const [file, url] = positionals;
    if (positionals.length !== 2 || !isPgUrl(url)) throw new UsageError('give <project.gpkg> and a postgresql:// address');
    const target = parsePgUrl(url);
    const t0 = performance.now();
    const r = await pushProject(resolve(file), target, { replace: !!values.replace });
    const ms = performance.now() - t0;
    if (values.json) { io.out(JSON.stringify({ ...r, ms: Math.round(ms) }, null, 2)); return EXIT_OK; }
    for (const t of r.tables) io.out(`  ${t.name.padEnd(32)} ${String(t.rows).padStart(8)} rows${t.geometry ? `  geometry SRID ${t.srid}, GiST index` : ''}`);
    io.out(`pushed ${file} to ${target.display}: ${r.tables.length} tables in ${(ms / 1000).toFixed(2)} s`);
    return EXIT_OK;
  },
};

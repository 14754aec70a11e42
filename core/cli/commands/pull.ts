/** `ekimae pull <postgresql://…?schema=…> <out.gpkg>`: a shared project back as one GeoPackage file. */
import { resolve } from 'node:path';
import { pullProject } from '../../store/postgis/pull.js';
import { isPgUrl, parsePgUrl } from '../../store/postgis/url.js';
import { EXIT_OK, UsageError, type Command } from '../command.js';

export const pullCommand: Command = {
  name: 'pull',
  usage: "ekimae pull 'postgresql://role@host:port/database?schema=name' <out.gpkg> [--overwrite] [--json]",
  options: { overwrite: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values, positionals }, _svc, io) {
    const [url, file] = positionals;
    if (positionals.length !== 2 || !isPgUrl(url)) throw new UsageError('give a postgresql:// address and <out.gpkg>');
    const target = parsePgUrl(url);
    const t0 = performance.now();
    const r = await pullProject(target, resolve(file), { overwrite: !!values.overwrite });
    const ms = performance.now() - t0;
    if (values.json) { io.out(JSON.stringify({ tables: r.tables, ms: Math.round(ms) }, null, 2)); return EXIT_OK; }
    io.out(`pulled ${target.display} into ${file}: ${r.tables.length} tables, ${r.tables.reduce((a, t) => a + t.rows, 0)} rows in ${(ms / 1000).toFixed(2)} s`);
    return EXIT_OK;
  },
};

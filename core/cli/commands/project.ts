/** new, import, info, export: the everyday project commands. */
import type { EkimaeService } from '../../api/service.js';
import { EXPORT_FORMATS } from '../../io/export.js';
import { LAYER_ROLES } from '../../store/layer-roles.js';
import { EXIT_OK, UsageError, type Command, type Io } from '../command.js';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export async function openProject(svc: EkimaeService, path: string | undefined, readOnly = false) {
  if (!path) throw new UsageError('missing <project.gpkg>');
  return svc.invoke('project.open', { path, readOnly });
}

export const newCommand: Command = {
  name: 'new',
  usage: 'ekimae new <project.gpkg> --name <name> [--country TH] [--currency THB] [--price-year 2025] [--client <c>] [--center <lon,lat>]',
  options: { name: { type: 'string' }, country: { type: 'string' }, currency: { type: 'string' }, 'price-year': { type: 'string' }, client: { type: 'string' }, center: { type: 'string' } },
  async run({ values, positionals }, svc, io) {
    const [path] = positionals;
    if (!path || positionals.length > 1) throw new UsageError('give exactly one <project.gpkg>');
    if (!str(values.name)) throw new UsageError('--name is required');
    let center: [number, number] | undefined;
    if (str(values.center)) {
      const parts = str(values.center)!.split(',').map(Number);
      if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n))) throw new UsageError('--center takes lon,lat');
      center = [parts[0], parts[1]];
    }
    const priceYear = str(values['price-year']) ? Number(values['price-year']) : undefined;
    if (priceYear !== undefined && !Number.isInteger(priceYear)) throw new UsageError('--price-year takes a year');
    const info = await svc.invoke('project.create', {
      path, settings: { name: str(values.name)!, country: str(values.country), currency: str(values.currency), priceYear, client: str(values.client), center },
    });
    io.out(`created ${info.path}`);
    return EXIT_OK;
  },
};

export const importCommand: Command = {
  name: 'import',
  usage: `ekimae import <project.gpkg> <file>... [--role ${LAYER_ROLES.join('|')}] [--name <layer>] [--crs EPSG:n] [--encoding cp874]
       [--geometry-family point|line|polygon] [--lon-field f --lat-field f | --wkt-field f] [--layers a,b] [--json]`,
  options: {
    role: { type: 'string' }, name: { type: 'string' }, crs: { type: 'string' }, encoding: { type: 'string' }, 'geometry-family': { type: 'string' },
    'lon-field': { type: 'string' }, 'lat-field': { type: 'string' }, 'wkt-field': { type: 'string' }, layers: { type: 'string' }, json: { type: 'boolean' },
  },
  async run({ values, positionals }, svc, io) {
    const [project, ...files] = positionals;
    if (!files.length) throw new UsageError('give <project.gpkg> and at least one file');
    const role = str(values.role);
    if (role && !(LAYER_ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${LAYER_ROLES.join(', ')}`);
    const fam = str(values['geometry-family']);
    if (fam && !['point', 'line', 'polygon'].includes(fam)) throw new UsageError('--geometry-family must be point, line or polygon');
    await openProject(svc, project);
    const options = {
      crs: str(values.crs), encoding: str(values.encoding), geometryFamily: fam as 'point' | 'line' | 'polygon' | undefined,
      lonField: str(values['lon-field']), latField: str(values['lat-field']), wktField: str(values['wkt-field']),
      layers: str(values.layers)?.split(',').map((s) => s.trim()).filter(Boolean),
    };
    const results = [];
    for (const file of files) {
      const r = await svc.invoke('layers.import', { path: file, options, role: role as never, name: files.length === 1 ? str(values.name) : undefined });
      results.push({ file, ...r });
      if (!values.json) {
        for (const l of r.layers) {
          const p = l.provenance[l.provenance.length - 1];
          io.out(`${file} -> layer ${l.name} (${l.role}, ${l.geometryType}): ${p.featuresWritten} written of ${p.featuresRead} read, ${p.featuresSkipped} skipped; CRS ${p.crsRead}`);
        }
        for (const i of r.issues) io.out(`  ${i.action.padEnd(8)} ${i.code}: ${i.message}`);
      }
    }
    if (values.json) io.out(JSON.stringify(results, null, 2));
    return EXIT_OK;
  },
};

export const infoCommand: Command = {
  name: 'info',
  usage: 'ekimae info <project.gpkg> [--json]',
  options: { json: { type: 'boolean' } },
  async run({ values, positionals }, svc, io) {
    const info = await openProject(svc, positionals[0], true);
    if (values.json) { io.out(JSON.stringify(info, null, 2)); return EXIT_OK; }
    io.out(`${info.settings.name}  (${info.path})`);
    io.out(`schema ${info.schemaVersion}, created ${info.createdAt}, ${info.layers.length} layers`);
    for (const l of info.layers) {
      const b = l.bbox ? l.bbox.map((v) => v.toFixed(5)).join(', ') : 'empty';
      io.out(`- ${l.name} [${l.role}] ${l.geometryType} × ${l.count}  extent ${b}`);
      const mapped = Object.entries(l.fieldMap).map(([k, v]) => `${k}=${v}`).join(', ');
      if (mapped) io.out(`    fields: ${mapped}`);
      const personal = l.fields.filter((f) => f.personal).map((f) => f.name);
      if (personal.length) io.out(`    personal (left out of exports): ${personal.join(', ')}`);
      for (const p of l.provenance) io.out(`    from ${p.sourceFile} (${p.sourceFormat}, ${p.crsRead}, sha256 ${p.sha256.slice(0, 12)}…), ${p.featuresSkipped} skipped, ${p.issues.length} issues`);
    }
    return EXIT_OK;
  },
};

export const exportCommand: Command = {
  name: 'export',
  usage: `ekimae export <project.gpkg> --layer <name> [--layer <name>...] --format ${EXPORT_FORMATS.join('|')} --out <path> [--include-personal] [--include-field layer.field...] [--exclude-field layer.field...] [--csv-geometry wkt|lonlat] [--overwrite]\n       ekimae export <project.gpkg> --lvc <runId|latest> [--scenario <id>] --format csv|xlsx --out <path> [--overwrite]`,
  options: {
    layer: { type: 'string', multiple: true }, format: { type: 'string' }, out: { type: 'string' }, 'include-personal': { type: 'boolean' },
    'csv-geometry': { type: 'string' }, overwrite: { type: 'boolean' }, lvc: { type: 'string' }, scenario: { type: 'string' },
    'include-field': { type: 'string', multiple: true }, 'exclude-field': { type: 'string', multiple: true },
  },
  async run({ values, positionals }, svc, io: Io) {
    if (str(values.lvc) !== undefined) return exportLvcCashflow(values, positionals, svc, io);
    const layers = (values.layer as string[] | undefined) ?? [];
    const format = str(values.format);
    if (!layers.length) throw new UsageError('--layer is required');
    if (!format || !(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
    if (!str(values.out)) throw new UsageError('--out is required');
    const cg = str(values['csv-geometry']);
    if (cg && cg !== 'wkt' && cg !== 'lonlat') throw new UsageError('--csv-geometry must be wkt or lonlat');
    await openProject(svc, positionals[0], true);
    const r = await svc.invoke('layers.export', {
      layers, format: format as never, path: str(values.out)!, includePersonal: !!values['include-personal'], csvGeometry: cg as never, overwrite: !!values.overwrite,
      includeFields: values['include-field'] as string[] | undefined, excludeFields: values['exclude-field'] as string[] | undefined,
    });
    io.out(`wrote ${r.path} (${r.bytes} bytes, sha256 ${r.sha256})`);
    for (const o of r.omittedFields) io.out(`  left out field ${o.layer}.${o.field}: ${o.reason}`);
    return EXIT_OK;
  },
};

/** `export --lvc`: a run's cash flow by instrument and calendar year with every parameter, for a reviewer to recompute NPV and IRR. */
async function exportLvcCashflow(values: Record<string, unknown>, positionals: string[], svc: EkimaeService, io: Io): Promise<number> {
  const which = str(values.lvc)!;
  const format = str(values.format);
  if (format !== 'csv' && format !== 'xlsx') throw new UsageError('--format must be csv or xlsx with --lvc');
  if (!str(values.out)) throw new UsageError('--out is required');
  const runId = which === 'latest' ? undefined : Number(which);
  if (runId !== undefined && !(Number.isInteger(runId) && runId >= 1)) throw new UsageError('--lvc takes a run number or "latest"');
  await openProject(svc, positionals[0], true);
  const r = await svc.invoke('lvc.exportCashflow', { runId, scenario: str(values.scenario), format, path: str(values.out)!, overwrite: !!values.overwrite });
  io.out(`wrote ${r.paths.join(', ')}: run ${r.runId}, ${r.rows} years; financial NPV ${r.npvFinancial}, economic NPV ${r.npvEconomic}`);
  return EXIT_OK;
}

/** Handlers for project and layer methods. */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { EkimaeError } from '../../errors.js';
import type { Handlers } from '../service.js';
import { PROJECT_METHODS } from '../schemas/project.js';
import { SCHEMA_VERSION } from '../../store/schema.js';
import { APP_VERSION, Project } from '../../store/project.js';
import { importFile, previewFile } from '../../io/stream-import.js';
import { exportLayers, EXPORT_FORMATS } from '../../io/export.js';
import { detectFieldMap, detectPersonalFields, detectRole } from '../../io/field-detect.js';
import { familyOfLayerType } from '../../geo/geometry.js';
import { importFormats } from '../../io/formats.js';
import { isPgUrl } from '../../store/postgis/url.js';
import { openSharedProject } from '../../store/postgis/sync.js';
import { getFeatureTable } from '../../store/gpkg.js';
import { readLayerColumns } from '../../store/layer-columns.js';

type K = keyof typeof PROJECT_METHODS;

/** One file under two spellings (a symlink, ./x and x) is still one project. */
function samePath(a: string, b: string): boolean {
  const real = (p: string) => { try { return realpathSync(p); } catch { return resolve(p); } };
  return real(a) === real(b);
}

export const projectHandlers: Handlers<K> = {
  'app.version': () => ({ version: APP_VERSION, schemaVersion: SCHEMA_VERSION, importFormats: importFormats(), exportFormats: [...EXPORT_FORMATS] }),

  'project.create': ({ path, settings }, _ctx, svc) => {
    svc.assertIdle();
    const p = Project.create(resolve(path), settings);
    svc.setProject(p);
    return p.info();
  },

  'project.open': async ({ path, readOnly }, _ctx, svc) => {
    svc.assertIdle();
    if (isPgUrl(path)) {
      // A shared project in PostgreSQL: engines work on a private working copy that writes through.
      const p = await openSharedProject(path, { readOnly });
      svc.setProject(p);
      return p.info();
    }
    const cur = svc.project;
    if (cur?.isOpen && samePath(cur.path, resolve(path))) {
      // Already open: a second connection to the same file in this process would be left behind by
      // setProject, and the first one's close could not return the file to one piece.
      if (cur.readOnly === !!readOnly) return cur.info();
      svc.setProject(null);
    }
    const p = Project.open(resolve(path), { readOnly });
    svc.setProject(p);
    return p.info();
  },

  'project.openDatabase': async ({ url, readOnly }, _ctx, svc) => {
    svc.assertIdle();
    const p = await openSharedProject(url, { readOnly });
    svc.setProject(p);
    return p.info();
  },

  'project.reload': async (_i, _c, svc) => {
    svc.assertIdle();
    const cur = svc.requireProject();
    if (!cur.reopen) throw new EkimaeError('E_INPUT_INVALID', 'only a project opened from a database can be reloaded: a project file is always current', { path: cur.info().path });
    // The old copy stays open (and in use) until the new one is ready: a failed reload changes nothing.
    const next = await cur.reopen();
    svc.setProject(next);
    return next.info();
  },

  'project.info': (_i, _c, svc) => svc.requireProject().info(),

  'project.updateSettings': ({ patch }, _c, svc) => {
    const p = svc.requireProject();
    p.updateSettings(patch);
    return p.info();
  },

  'project.saveAs': ({ path, overwrite }, _c, svc) => {
    const p = svc.requireProject();
    p.saveAs(resolve(path), { overwrite });
    return p.info();
  },

  'project.close': (_i, _c, svc) => {
    svc.assertIdle();
    const was = !!svc.project;
    svc.setProject(null);
    return { closed: was };
  },

  'layers.preview': async ({ path, options }, ctx) => {
    const r = await previewFile(path, options ?? {}, ctx);
    return {
      format: r.format,
      sha256: r.sha256,
      layers: r.layers.map(({ layer: l, read, count, bbox, sample, issues }) => {
        const role = l.role ?? detectRole(l.source.sourceLayer ?? l.source.file, familyOfLayerType(l.geometryType), l.fields);
        return {
          name: l.name, geometryType: l.geometryType, count, read, crs: l.source.crs,
          encoding: l.source.encoding ?? null, bbox, fields: l.fields, suggestedRole: role,
          suggestedFieldMap: detectFieldMap(role, l.fields), personalFields: detectPersonalFields(l.fields, sample, role), issues,
        };
      }),
    };
  },

  'layers.import': async ({ path, options, role, name, title }, ctx, svc) => {
    const p = svc.requireProject();
    if (p.readOnly) throw new EkimaeError('E_PROJECT_READONLY', `${p.path} is open read-only`);
    return importFile(p, path, options ?? {}, (l, _i, count) => ({
      // Layers already named after the file (a GTFS feed's feed_stations, …) are not prefixed twice.
      name: count === 1 ? name ?? l.name : name && !l.name.startsWith(`${name}_`) ? `${name}_${l.name}` : l.name,
      title: count === 1 ? title ?? l.name : l.name,
      // A file of several layers whose importer knows their roles (GTFS stations, entrances, lines) keeps them.
      role: (count > 1 ? l.role ?? role : role ?? l.role) ?? detectRole(l.source.sourceLayer ?? l.source.file, familyOfLayerType(l.geometryType), l.fields),
    }), ctx);
  },

  'layers.list': (_i, _c, svc) => svc.requireProject().layers(),

  'layers.remove': ({ layer }, _c, svc) => {
    svc.requireProject().removeLayer(layer);
    return { removed: layer };
  },

  'layers.setRole': ({ layer, role }, _c, svc) => svc.requireProject().setRole(layer, role),

  'layers.setFieldMap': ({ layer, mapping }, _c, svc) => svc.requireProject().setFieldMap(layer, mapping),

  'layers.setPersonal': ({ layer, field, personal }, _c, svc) => svc.requireProject().setFieldPersonal(layer, field, personal),

  'layers.features': ({ layer, bbox, limit, offset, fids, includePersonal }, _c, svc) => {
    const p = svc.requireProject();
    const info = p.layer(layer);
    const personal = includePersonal ? [] : info.fields.filter((f) => f.personal).map((f) => f.name);
    const features = p.readFeatures(layer, { bbox, limit, offset, fids }).map((f) => {
      const properties = { ...f.properties };
      for (const k of personal) delete properties[k];
      return { type: 'Feature' as const, id: f.fid, geometry: f.geometry, properties };
    });
    return { type: 'FeatureCollection' as const, features };
  },

  'layers.export': (req, ctx, svc) => {
    ctx.progress(0, 'exporting');
    const out = exportLayers(svc.requireProject(), { ...req, path: resolve(req.path) });
    ctx.progress(1, 'done');
    return out;
  },

  'jobs.cancel': ({ jobId }, _c, svc) => ({ cancelled: svc.cancel(jobId) }),

  'layers.columns': ({ layer, fields, geometry, includePersonal }, _c, svc) => {
    const p = svc.requireProject();
    const info = p.layer(layer);
    const personal = includePersonal ? null : fields?.find((f) => info.fields.some((x) => x.name === f && x.personal));
    if (personal) throw new EkimaeError('E_INPUT_INVALID', `field "${personal}" of layer "${layer}" is personal: ask with includePersonal to read it`, { layer, field: personal });
    const table = getFeatureTable(p.database, layer);
    if (!table) throw new EkimaeError('E_LAYER_NOT_FOUND', `no layer "${layer}"`, { layer });
    return { layer, ...readLayerColumns(p.database, table, { fields: fields ?? [], geometry: geometry ?? true }) };
  },
};

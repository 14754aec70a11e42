/**
 * The native File and Help menu actions (Electron only: browser mode has no menus; its toolbar's
 * Download… dialog, panels/browser-downloads.tsx, does Export and Report). Each asks for a path through
 * the bridge's file dialog and then calls the core; errors go to the error banner.
 */
import { newJobId, type Client } from '../api/client.js';
import type { Lang, Translate } from '../i18n/index.js';
import type { ProjectState } from './use-project.js';
import { askDatabaseAddress } from '../panels/open-database-dialog.js';

export interface FileActionDeps {
  client: Client;
  proj: ProjectState;
  t: Translate;
  onError(e: unknown): void;
  onMessage(m: string): void;
  /** The language to write reports in (state/report-lang.ts); the core's default (the project's setting) when absent. */
  reportLang?: Lang;
  /** Whether the undo history holds edits (a scenario's may be unsaved): a reload asks first, as it drops them. */
  hasEdits?: boolean;
}

const EXPORT_BY_EXT: Record<string, 'geojson' | 'gpkg' | 'csv' | 'shapefile'> = { geojson: 'geojson', json: 'geojson', gpkg: 'gpkg', csv: 'csv', zip: 'shapefile' };

export function splitPath(p: string): { dir: string; base: string; stem: string; ext: string } {
  const cut = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  const dir = cut >= 0 ? p.slice(0, cut) || p.slice(0, 1) : '.';
  const base = p.slice(cut + 1);
  const dot = base.lastIndexOf('.');
  return { dir, base, stem: dot > 0 ? base.slice(0, dot) : base, ext: dot > 0 ? base.slice(dot + 1).toLowerCase() : '' };
}

/** Returns true when it handled the action. */
export async function runFileAction(action: string, d: FileActionDeps): Promise<boolean> {
  const { client, proj, t } = d;
  const pick = client.bridge.pickFile?.bind(client.bridge);
  try {
    if (action.startsWith('file.openRecent:')) {
      await proj.open(action.slice('file.openRecent:'.length));
      return true;
    }
    switch (action) {
      case 'file.open': {
        const p = await pick?.({ title: t('welcome.open'), filters: [{ name: 'GeoPackage', extensions: ['gpkg'] }] });
        if (p) await proj.open(p);
        return true;
      }
      case 'file.openDatabase': {
        const url = await askDatabaseAddress(t);
        if (url) await proj.openDatabase(url);
        return true;
      }
      case 'file.reloadDatabase': {
        // On a project file the core says there is nothing to reload (E_INPUT_INVALID, in the banner).
        if (!proj.project) return true;
        if (d.hasEdits && globalThis.confirm?.(t('toolbar.reloadConfirm')) === false) return true;
        await proj.reload();
        d.onMessage(t('status.reloaded'));
        return true;
      }
      case 'file.new': {
        const p = await pick?.({ title: t('welcome.create'), filters: [{ name: 'GeoPackage', extensions: ['gpkg'] }], save: true });
        if (p) await proj.create(p, splitPath(p).stem);
        return true;
      }
      case 'file.saveAs': {
        const p = await pick?.({ title: t('menu.saveAs'), filters: [{ name: 'GeoPackage', extensions: ['gpkg'] }], save: true });
        if (p) { await client.call('project.saveAs', { path: p, overwrite: true }); await proj.refresh(); d.onMessage(t('menu.savedAs', { path: p })); }
        return true;
      }
      case 'file.export': {
        const layers = proj.project?.layers.map((l) => l.name) ?? [];
        if (layers.length === 0) return true;
        const p = await pick?.({ title: t('menu.export'), save: true, filters: [
          { name: 'GeoPackage', extensions: ['gpkg'] }, { name: 'GeoJSON', extensions: ['geojson'] },
          { name: 'CSV', extensions: ['csv'] }, { name: 'Shapefile (zip)', extensions: ['zip'] },
        ] });
        if (!p) return true;
        const format = EXPORT_BY_EXT[splitPath(p).ext] ?? 'gpkg';
        const r = await client.call('layers.export', { layers, format, path: p, overwrite: true, jobId: newJobId('export') });
        d.onMessage(t('menu.exported', { n: r.layers.length, path: r.path }));
        return true;
      }
      case 'file.report': {
        const p = await pick?.({ title: t('menu.report'), save: true, filters: [{ name: 'PDF', extensions: ['pdf'] }] });
        if (!p) return true;
        const { dir, stem } = splitPath(p);
        const name = stem.replace(/[^\w.-]/g, '_').slice(0, 80) || 'report';
        await client.call('report.generate', { outDir: dir, name, html: true, pdf: true, jobId: newJobId('report'), ...(d.reportLang ? { lang: d.reportLang } : {}) });
        d.onMessage(t('menu.reported', { path: `${dir}/${name}.pdf` }));
        return true;
      }
      case 'help.about': {
        const v = await client.call('app.version', {});
        d.onMessage(t('menu.about', { version: v.version, schema: v.schemaVersion }));
        return true;
      }
      default:
        return false;
    }
  } catch (e) {
    d.onError(e);
    return true;
  }
}

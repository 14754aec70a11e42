/**
 * The review file beside a plan package: a GeoPackage (an Ekimae project QGIS also opens) with one
 * point layer, review_comments. It is opened for each action and closed again, so a reviewer who
 * quits at any moment leaves one self-contained file and never a half-written comment.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { EkimaeError } from '../errors.js';
import { nowIso } from '../store/clock.js';
import { insertFeatures, q, setContentsExtent } from '../store/gpkg.js';
import { Project } from '../store/project.js';
import { exportLayers, type ExportResult } from '../io/export.js';
import type { FieldDef, Feature } from '../io/types.js';

export const COMMENTS_LAYER = 'review_comments';
const REVIEW_KIND = 'ekimae-review';
export const COMMENT_STATUSES = ['open', 'resolved'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

/** The layer's fields: what the consultant sees after importing the export back. */
export const COMMENT_FIELDS: FieldDef[] = [
  { name: 'comment_id', type: 'TEXT' },
  { name: 'author', type: 'TEXT' },
  { name: 'text', type: 'TEXT' },
  { name: 'status', type: 'TEXT' },
  { name: 'created_at', type: 'TEXT' },
  { name: 'updated_at', type: 'TEXT' },
  { name: 'layer', type: 'TEXT' },
  { name: 'parcel_fid', type: 'INTEGER' },
  { name: 'package_manifest_sha256', type: 'TEXT' },
];

export interface ReviewComment {
  id: string;
  author: string;
  text: string;
  status: CommentStatus;
  createdAt: string;
  updatedAt: string | null;
  layer: string | null;
  fid: number | null;
  lon: number;
  lat: number;
  /** Which signed package version the comment was made on. */
  packageManifestSha256: string;
}

export interface NewComment {
  author: string;
  text: string;
  lon: number;
  lat: number;
  layer: string | null;
  fid: number | null;
}

export const TEXT_MAX = 4000;
export const AUTHOR_MAX = 200;

export function checkText(text: string, what: 'text' | 'author', max: number): string {
  const t = text.trim();
  if (!t) throw new EkimaeError('E_INPUT_INVALID', `the comment's ${what} is empty`, { field: what });
  if (t.length > max) throw new EkimaeError('E_INPUT_INVALID', `the comment's ${what} has ${t.length} characters; at most ${max}`, { field: what, max });
  return t;
}

function toComment(f: Feature): ReviewComment {
  const p = f.properties;
  const c = f.geometry?.type === 'Point' ? f.geometry.coordinates : [NaN, NaN];
  return {
    id: String(p.comment_id), author: String(p.author ?? ''), text: String(p.text ?? ''),
    status: p.status === 'resolved' ? 'resolved' : 'open',
    createdAt: String(p.created_at ?? ''), updatedAt: p.updated_at == null ? null : String(p.updated_at),
    layer: p.layer == null ? null : String(p.layer), fid: p.parcel_fid == null ? null : Number(p.parcel_fid),
    lon: c[0], lat: c[1], packageManifestSha256: String(p.package_manifest_sha256 ?? ''),
  };
}

export class ReviewFile {
  constructor(readonly path: string, readonly manifestSha256: string, private readonly title: string) {}

  /**
   * Create the file, or check an existing one read-only first: opening it for writing would already
   * rewrite its header, and a wrongly chosen file (the consultant's plan) must stay byte for byte.
   */
  ensure(): void {
    if (!existsSync(this.path)) {
      Project.create(this.path, { name: this.title, kind: REVIEW_KIND }).close();
    } else {
      const p = Project.open(this.path, { readOnly: true });
      try {
        const has = p.layers().some((l) => l.name === COMMENTS_LAYER);
        if (!has && p.settings().kind !== REVIEW_KIND) {
          throw new EkimaeError('E_PROJECT_INVALID', `${this.path} is an Ekimae project, not a review file; choose another review file`, { path: this.path });
        }
        if (has) checkFields(this.path, p);
      } finally {
        p.close();
      }
    }
    // A file created here (or left by a crash before its layer was added) gets the layer now.
    this.with((p) => {
      if (p.layers().some((l) => l.name === COMMENTS_LAYER)) return;
      p.addLayer({
        name: COMMENTS_LAYER, geometryType: 'POINT', fields: COMMENT_FIELDS, features: [], read: 0, issues: [],
        source: { file: this.path, format: 'ekimae', crs: 'EPSG:4326' },
      }, { name: COMMENTS_LAYER, title: 'Review comments', role: 'other', sha256: this.manifestSha256, note: 'comments pinned by plan reviewers' });
    });
  }

  private with<T>(fn: (p: Project) => T): T {
    const p = Project.open(this.path);
    try {
      return fn(p);
    } finally {
      p.close();
    }
  }

  list(status?: CommentStatus): ReviewComment[] {
    return this.with((p) => p.readFeatures(COMMENTS_LAYER).map(toComment))
      .filter((c) => !status || c.status === status)
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  }

  add(c: NewComment): ReviewComment {
    const id = randomUUID();
    this.with((p) => p.action((db) => {
      insertFeatures(db, COMMENTS_LAYER, COMMENT_FIELDS, [{
        geometry: { type: 'Point', coordinates: [c.lon, c.lat] },
        properties: {
          comment_id: id, author: c.author, text: c.text, status: 'open', created_at: nowIso(), updated_at: null,
          layer: c.layer, parcel_fid: c.fid, package_manifest_sha256: this.manifestSha256,
        },
      }]);
      refreshExtent(p);
    }));
    return this.get(id);
  }

  get(id: string): ReviewComment {
    const c = this.list().find((x) => x.id === id);
    if (!c) throw new EkimaeError('E_COMMENT_NOT_FOUND', `no comment ${id} in ${this.path}`, { id });
    return c;
  }

  update(id: string, patch: { text?: string; status?: CommentStatus }): ReviewComment {
    this.with((p) => p.action((db) => {
      const r = db.prepare(`UPDATE ${q(COMMENTS_LAYER)} SET text = coalesce(?, text), status = coalesce(?, status), updated_at = ? WHERE comment_id = ?`)
        .run(patch.text ?? null, patch.status ?? null, nowIso(), id);
      if (r.changes === 0) throw new EkimaeError('E_COMMENT_NOT_FOUND', `no comment ${id} in ${this.path}`, { id });
    }));
    return this.get(id);
  }

  remove(id: string): void {
    this.with((p) => p.action((db) => {
      const r = db.prepare(`DELETE FROM ${q(COMMENTS_LAYER)} WHERE comment_id = ?`).run(id);
      if (r.changes === 0) throw new EkimaeError('E_COMMENT_NOT_FOUND', `no comment ${id} in ${this.path}`, { id });
      refreshExtent(p);
    }));
  }

  /** The comments as a layer the consultant imports back (authors are the point of a review, so they stay). */
  export(format: 'gpkg' | 'geojson', path: string, overwrite?: boolean): ExportResult {
    return this.with((p) => exportLayers(p, { layers: [COMMENTS_LAYER], format, path, overwrite, includePersonal: true }));
  }
}

function checkFields(path: string, p: Project): void {
  const have = new Set(p.fieldsOf(COMMENTS_LAYER).map((f) => f.name));
  const missing = COMMENT_FIELDS.filter((f) => !have.has(f.name)).map((f) => f.name);
  if (missing.length) throw new EkimaeError('E_PROJECT_INVALID', `${path} is not an Ekimae review file: ${COMMENTS_LAYER} lacks ${missing.join(', ')}`, { path, missing });
}

function refreshExtent(p: Project): void {
  const r = p.database.prepare(`SELECT min(ST_MinX(geom)) AS a, min(ST_MinY(geom)) AS b, max(ST_MaxX(geom)) AS c, max(ST_MaxY(geom)) AS d FROM ${q(COMMENTS_LAYER)}`)
    .get() as { a: number | null; b: number | null; c: number | null; d: number | null };
  setContentsExtent(p.database, COMMENTS_LAYER, r.a == null ? null : [r.a, r.b!, r.c!, r.d!]);
}

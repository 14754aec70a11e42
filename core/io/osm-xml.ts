/**
 * OpenStreetMap XML (.osm) import: a single forward scan over the text keeping node coordinates
 * and highway ways only, so a city extract never becomes a DOM. DOCTYPE is refused (no entity expansion).
 */
import { EkimaeError } from '../errors.js';
import type { RawLayer } from './normalize.js';
import { highwayLayer, NodeStore, type OsmWay } from './osm-walkable.js';
import { decodeUtf8Strict, looksBinary, type SourceFile } from './source.js';
import type { ImportOptions } from './types.js';

const ELEMENT = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITY = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescape(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (_, e: string) => {
    if (e[0] !== '#') return NAMED[e];
    const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
  });
}

function attributes(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(s); m; m = ATTRIBUTE.exec(s)) out[m[1]] = unescape(m[2] ?? m[3]);
  return out;
}

/** Node coordinates and highway ways from OSM XML text. */
export function scanOsmXml(xml: string, file: string): { nodes: NodeStore; ways: OsmWay[] } {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml.slice(0, 4096))) {
    throw new EkimaeError('E_FORMAT_INVALID', `${file} declares a DOCTYPE; OSM XML never needs one and Ekimae does not expand entities`, { file });
  }
  const nodes = new NodeStore();
  const ways: OsmWay[] = [];
  let way: OsmWay | null = null;
  let sawRoot = false;
  ELEMENT.lastIndex = 0;
  for (let m = ELEMENT.exec(xml); m; m = ELEMENT.exec(xml)) {
    const name = m[2];
    if (!name) continue;
    if (!sawRoot) {
      if (name !== 'osm') throw new EkimaeError('E_FORMAT_INVALID', `${file} is XML but not OpenStreetMap data (root element <${name.slice(0, 40)}>, expected <osm>)`, { file });
      sawRoot = true;
      continue;
    }
    const closing = m[1] === '/';
    if (closing) {
      if (name === 'way' && way) { if (way.tags.highway) ways.push(way); way = null; }
      continue;
    }
    switch (name) {
      case 'node': {
        const a = attributes(m[3]);
        if (a.visible === 'false' || a.lat === undefined || a.lon === undefined) break;
        nodes.add(Number(a.id), Number(a.lon), Number(a.lat));
        break;
      }
      case 'way': {
        const a = attributes(m[3]);
        const selfClosing = m[3].trimEnd().endsWith('/');
        if (!selfClosing && a.visible !== 'false') way = { id: Number(a.id), refs: [], tags: {} };
        break;
      }
      case 'nd': if (way) way.refs.push(Number(attributes(m[3]).ref)); break;
      case 'tag': if (way) { const a = attributes(m[3]); if (a.k !== undefined) way.tags[a.k] = a.v ?? ''; } break;
    }
  }
  if (!sawRoot) throw new EkimaeError('E_FORMAT_INVALID', `${file} has no <osm> element; it is not OpenStreetMap XML`, { file });
  return { nodes, ways };
}

export function parseOsmXml(src: SourceFile, opts: ImportOptions): RawLayer[] {
  if (looksBinary(src.bytes)) throw new EkimaeError('E_FORMAT_INVALID', `${src.name} is binary data, not OSM XML (is it an .osm.pbf?)`, { file: src.name });
  const { nodes, ways } = scanOsmXml(decodeUtf8Strict(src.bytes, src.name), src.name);
  if (!ways.length) throw new EkimaeError('E_NO_FEATURES', `${src.name} has no highway ways (${nodes.size} nodes read)`, { file: src.name });
  return [highwayLayer(nodes, ways, src.name, 'osm-xml', opts)];
}

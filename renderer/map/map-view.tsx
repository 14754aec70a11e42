/** The map: maplibre with the offline style, deck.gl overlaid through MapboxOverlay. */
import { useEffect, useRef } from 'react';
import maplibregl from 'maplibre-gl';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer, PickingInfo } from '@deck.gl/core';
import 'maplibre-gl/dist/maplibre-gl.css';
import { buildDeckLayers, type MapScene } from './deck-layers.js';
import { offlineStyle, type ContextLayer } from './offline-style.js';
import { BASEMAP_PROTOCOL, base64ToBytes, EMPTY_PNG_BASE64, parseTileUrl, type BasemapView } from './basemap-style.js';
import { useT } from '../i18n/index.js';

export interface Pick { layer: string; index: number }

/** A click anywhere on the map: the place, the plan feature under it, and the deck.gl object hit (a review pin, say). */
export interface MapClick {
  lon: number;
  lat: number;
  pick: Pick | null;
  layerId: string | null;
  object: unknown;
}

export interface MapViewProps {
  scene: MapScene;
  context: ContextLayer[];
  bbox: [number, number, number, number] | null;
  /** Changing it refits the view to bbox. */
  fitKey: number;
  onPick(p: Pick | null): void;
  /** Layers drawn above the plan (review pins). */
  overlays?: Layer[];
  /** Every click, with its place; while `placing` it replaces onPick. */
  onClick?(c: MapClick): void;
  /** The reviewer is choosing a place: crosshair cursor, clicks go to onClick only. */
  placing?: boolean;
  /** The user's local basemap (shown when set and on), and how to get its tiles from the core. */
  basemap?: BasemapView | null;
  loadTile?: TileLoader;
}

export type TileLoader = (z: number, x: number, y: number) => Promise<{ format: string; data: string | null }>;

/**
 * maplibre's protocols are global: one handler, registered once, that asks whichever map is mounted.
 * Tiles cross the app's own channel (IPC in Electron, the token-checked loopback API in browser mode),
 * so no tile URL ever leaves the page and the CSP needs no new source.
 */
let currentLoader: TileLoader | null = null;
let protocolAdded = false;
function ensureBasemapProtocol(): void {
  if (protocolAdded) return;
  protocolAdded = true;
  maplibregl.addProtocol(BASEMAP_PROTOCOL, async (params) => {
    const at = parseTileUrl(params.url);
    if (!at || !currentLoader) throw new Error(`no basemap tile at ${params.url}`);
    const t = await currentLoader(at.z, at.x, at.y);
    if (t.data === null) {
      // An empty vector tile is valid; an empty raster tile is a transparent pixel.
      const bytes = t.format === 'pbf' ? new Uint8Array(0) : base64ToBytes(EMPTY_PNG_BASE64);
      return { data: bytes.buffer as ArrayBuffer };
    }
    return { data: base64ToBytes(t.data).buffer as ArrayBuffer };
  });
}

/** What tests and the benchmark read: frames drawn by deck and whether the map is idle. */
export interface MapProbe {
  map: maplibregl.Map;
  frames: number;
  /** performance.now() when deck.gl started and finished drawing its last frame. */
  lastFrameStartAt: number;
  lastFrameAt: number;
  idle: boolean;
  project(lon: number, lat: number): [number, number];
}

declare global {
  interface Window { __ekimaeMap?: MapProbe }
}

function rowToPick(info: PickingInfo, scene: MapScene): Pick | null {
  if (!info.layer || info.index < 0) return null;
  const [kind, layer] = info.layer.id.split(':');
  if (kind === 'parcels') {
    const p = scene.parcels.find((x) => x.layer === layer);
    return p ? { layer, index: p.buffers.rowFeature[info.index] } : null;
  }
  if (kind === 'lines') {
    const l = scene.lines.find((x) => x.layer === layer);
    if (l?.binary) return info.index < l.binary.rowFeature.length ? { layer, index: l.binary.rowFeature[info.index] } : null;
    return l ? { layer, index: l.rows[info.index].fi } : null;
  }
  if (kind === 'points') {
    const p = scene.points.find((x) => x.layer === layer);
    return p ? { layer, index: p.rows[info.index].fi } : null;
  }
  return null;
}

const NO_OVERLAYS: Layer[] = [];

export function MapView({ scene, context, bbox, fitKey, onPick, overlays = NO_OVERLAYS, onClick, placing = false, basemap = null, loadTile }: MapViewProps) {
  const t = useT();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const sceneRef = useRef(scene);
  sceneRef.current = scene;
  const pickRef = useRef(onPick);
  pickRef.current = onPick;
  const clickRef = useRef(onClick);
  clickRef.current = onClick;
  const placingRef = useRef(placing);
  placingRef.current = placing;

  currentLoader = loadTile ?? null;

  useEffect(() => {
    if (!container.current) return;
    ensureBasemapProtocol();
    const map = new maplibregl.Map({
      container: container.current,
      style: offlineStyle([]),
      center: [100.53, 13.8],
      zoom: 14,
      attributionControl: false,
      maxPitch: 70,
      // No MSAA: on software WebGL (SwiftShader, and machines without a GPU) it multiplies the cost of every frame.
      canvasContextAttributes: { antialias: false, preserveDrawingBuffer: true },
    });
    map.addControl(new maplibregl.NavigationControl({ visualizePitch: true }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    const probe: MapProbe = {
      map, frames: 0, lastFrameStartAt: 0, lastFrameAt: 0, idle: false,
      project: (lon, lat) => { const p = map.project([lon, lat]); return [p.x, p.y]; },
    };
    const overlay = new MapboxOverlay({
      interleaved: false,
      deviceProps: { webgl: { antialias: false, preserveDrawingBuffer: true } },
      layers: [],
      onClick: (info) => {
        const pick = rowToPick(info, sceneRef.current);
        if (!placingRef.current) pickRef.current(pick);
        if (info.coordinate && clickRef.current) {
          clickRef.current({ lon: info.coordinate[0], lat: info.coordinate[1], pick, layerId: info.layer?.id ?? null, object: info.object });
        }
      },
      onBeforeRender: () => { probe.lastFrameStartAt = performance.now(); },
      onAfterRender: () => { probe.frames += 1; probe.lastFrameAt = performance.now(); },
      getCursor: ({ isHovering }) => (placingRef.current ? 'crosshair' : isHovering ? 'pointer' : 'grab'),
    });
    map.addControl(overlay);
    map.on('idle', () => { probe.idle = true; });
    map.on('movestart', () => { probe.idle = false; });
    mapRef.current = map;
    overlayRef.current = overlay;
    window.__ekimaeMap = probe;
    return () => {
      delete window.__ekimaeMap;
      overlay.finalize();
      map.remove();
      mapRef.current = null;
      overlayRef.current = null;
    };
  }, []);

  useEffect(() => {
    mapRef.current?.setStyle(offlineStyle(context, basemap));
  }, [context, basemap]);

  useEffect(() => {
    overlayRef.current?.setProps({ layers: [...buildDeckLayers(scene), ...overlays] });
  }, [scene, overlays]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !bbox) return;
    map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding: 40, duration: 0, maxZoom: 18 });
  }, [fitKey, bbox]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    map.easeTo({ pitch: scene.massing ? 50 : 0, bearing: scene.massing ? -20 : 0, duration: 0 });
  }, [scene.massing]);

  return <div ref={container} className={placing ? 'map placing' : 'map'} role="application" aria-label={t('map.label')} />;
}

/** The map: maplibre with the offline style, deck.gl overlaid through MapboxOverlay. */
import { useEffect, useRef } from 'react';
import maplibregl from 'maplibre-gl';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { PickingInfo } from '@deck.gl/core';
import 'maplibre-gl/dist/maplibre-gl.css';
import { buildDeckLayers, type MapScene } from './deck-layers.js';
import { offlineStyle, type ContextLayer } from './offline-style.js';
import { useT } from '../i18n/index.js';

export interface Pick { layer: string; index: number }

export interface MapViewProps {
  scene: MapScene;
  context: ContextLayer[];
  bbox: [number, number, number, number] | null;
  /** Changing it refits the view to bbox. */
  fitKey: number;
  onPick(p: Pick | null): void;
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
    return l ? { layer, index: l.rows[info.index].fi } : null;
  }
  if (kind === 'points') {
    const p = scene.points.find((x) => x.layer === layer);
    return p ? { layer, index: p.rows[info.index].fi } : null;
  }
  return null;
}

export function MapView({ scene, context, bbox, fitKey, onPick }: MapViewProps) {
  const t = useT();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const sceneRef = useRef(scene);
  sceneRef.current = scene;
  const pickRef = useRef(onPick);
  pickRef.current = onPick;

  useEffect(() => {
    if (!container.current) return;
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
      onClick: (info) => pickRef.current(rowToPick(info, sceneRef.current)),
      onBeforeRender: () => { probe.lastFrameStartAt = performance.now(); },
      onAfterRender: () => { probe.frames += 1; probe.lastFrameAt = performance.now(); },
      getCursor: ({ isHovering }) => (isHovering ? 'pointer' : 'grab'),
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
    mapRef.current?.setStyle(offlineStyle(context));
  }, [context]);

  useEffect(() => {
    overlayRef.current?.setProps({ layers: buildDeckLayers(scene) });
  }, [scene]);

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

  return <div ref={container} className="map" role="application" aria-label={t('map.label')} />;
}

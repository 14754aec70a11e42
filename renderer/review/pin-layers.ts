/** The review pins as deck.gl layers (circles and their numbers), drawn above the plan. */
import type { Layer } from '@deck.gl/core';
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { pinLabelProps, pinLayerProps, type PinRow } from './comment-pins.js';

export function reviewPinLayers(rows: PinRow[], selectedId: string | null): Layer[] {
  if (rows.length === 0) return [];
  return [
    new ScatterplotLayer<PinRow>(pinLayerProps(rows, selectedId)),
    new TextLayer<PinRow>({ ...pinLabelProps(rows), fontFamily: 'system-ui, "Noto Sans", sans-serif', pickable: false }),
  ];
}

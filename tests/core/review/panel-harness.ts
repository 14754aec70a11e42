/**
 * Browser entry for the review panel test: mounts ReviewPanel with a bridge that calls the real
 * service in the test process (window.ekimaeCall, exposed by playwright) and a map stand-in whose
 * next click the test sets (window.pickNext).
 */
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { makeClient } from '../../../renderer/api/client.js';
import type { CallResult, EkimaeBridge } from '../../../renderer/api/bridge.js';
import { ReviewPanel, type PickedPlace } from '../../../renderer/review/review-panel.js';
import { commentPins, type PinRow } from '../../../renderer/review/comment-pins.js';

declare global {
  interface Window {
    ekimaeCall(method: string, input: unknown): Promise<CallResult>;
    pickNext: PickedPlace | null;
    pins: PinRow[];
  }
}

const bridge: EkimaeBridge = {
  kind: 'electron',
  call: (method, input) => window.ekimaeCall(method, input),
  onProgress: () => () => {},
  onMenu: () => () => {},
};

window.pickNext = null;
window.pins = [];
createRoot(document.getElementById('root')!).render(createElement(ReviewPanel, {
  client: makeClient(bridge),
  onPickLocation: async () => window.pickNext,
  onCommentsChange: (c) => { window.pins = commentPins(c); },
}));

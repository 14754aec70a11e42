/**
 * Point labels that never overprint: each label tries eight places around its point (right, left,
 * above, below, then the four corners), then the same eight further out with a leader line; the
 * first place whose box hits no placed label, no point symbol and no reserved box (legend, scale bar,
 * north arrow) and lies inside the map wins. Labels are placed greedily in priority order; one that
 * fits nowhere is left off and named in a note instead (Bang Sue: Mo Chit and Chatuchak Park are
 * 150 m apart, as are Bang Sue and Krung Thep Aphiwat).
 */

export interface Box { x: number; y: number; w: number; h: number }
export interface LabelRequest { text: string; x: number; y: number; /** symbol radius */ r: number; /** higher first */ priority: number }
export interface PlacedLabel { text: string; box: Box; /** text baseline origin */ tx: number; ty: number; anchor: 'start' | 'middle' | 'end'; leader?: [number, number, number, number] }

/**
 * Text width in px at `size` px, per script: Noto Sans Latin lower case about 0.62 em (capitals,
 * digits, m and w 0.73, narrow letters 0.35), Thai 0.62 em for each spacing character (vowel and
 * tone marks above and below take no width), CJK and full-width forms 1 em. Errs wide, so a box
 * holds its text: the sample test measures Chromium's drawn boxes against these.
 */
export function textWidth(s: string, size: number): number {
  let em = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x0e31 && c <= 0x0e3a && c !== 0x0e32 && c !== 0x0e33) || (c >= 0x0e47 && c <= 0x0e4e) || (c >= 0x0300 && c <= 0x036f)) continue;
    if (c >= 0x0e00 && c <= 0x0e7f) em += 0.62;
    else if ((c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef) || (c >= 0x3000 && c <= 0x30ff)) em += 1;
    else if (c >= 0x0900 && c <= 0x0aff) em += 0.66;
    else if (/[A-Z0-9@%&mw]/.test(ch)) em += 0.73;
    else if (/[iljtf.,;:'|!() ]/.test(ch)) em += 0.35;
    else em += 0.62;
  }
  return em * size;
}

export const intersects = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** dx, dy unit directions of the eight places, in order of preference (cartographic convention: right first). */
const DIRS: Array<[number, number]> = [[1, 0], [-1, 0], [0, -1], [0, 1], [1, -1], [-1, -1], [1, 1], [-1, 1]];

export function placeLabels(requests: LabelRequest[], opts: { width: number; height: number; size: number; reserved: Box[] }): { placed: PlacedLabel[]; dropped: string[] } {
  const { size } = opts;
  const h = size * 1.25, pad = 1;
  const taken: Box[] = [...opts.reserved, ...requests.map((q) => ({ x: q.x - q.r, y: q.y - q.r, w: 2 * q.r, h: 2 * q.r }))];
  const placed: PlacedLabel[] = [];
  const dropped: string[] = [];
  const order = requests.map((q, i) => ({ q, i })).sort((a, b) => b.q.priority - a.q.priority || a.i - b.i);
  for (const { q } of order) {
    const w = textWidth(q.text, size);
    let hit: PlacedLabel | null = null;
    for (const ring of [0, 1]) {
      const gap = q.r + 2 + ring * 12;
      for (const [dx, dy] of DIRS) {
        // The box's near edge sits `gap` from the point on that side.
        const x = dx > 0 ? q.x + gap : dx < 0 ? q.x - gap - w : q.x - w / 2;
        const y = dy > 0 ? q.y + gap : dy < 0 ? q.y - gap - h : q.y - h / 2;
        const box = { x: x - pad, y: y - pad, w: w + 2 * pad, h: h + 2 * pad };
        if (box.x < 0 || box.y < 0 || box.x + box.w > opts.width || box.y + box.h > opts.height) continue;
        if (taken.some((t) => intersects(t, box))) continue;
        const leader: PlacedLabel['leader'] = ring ? [q.x + dx * (q.r + 1), q.y + dy * (q.r + 1), dx > 0 ? x : dx < 0 ? x + w : q.x, dy > 0 ? y : dy < 0 ? y + h : q.y] : undefined;
        hit = { text: q.text, box, tx: x, ty: y + size * 0.95, anchor: 'start', leader };
        break;
      }
      if (hit) break;
    }
    if (hit) { placed.push(hit); taken.push(hit.box); } else dropped.push(q.text);
  }
  return { placed, dropped };
}

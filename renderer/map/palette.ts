/** Colours for parcels: planning-convention land-use classes and a sequential ramp for numbers. */
export type Rgba = [number, number, number, number];

export interface LandUseClass { id: string; color: Rgba; words: readonly string[] }

// Conventional master-plan colours; the words match common English, Thai and Japanese codes.
export const LAND_USE_CLASSES: readonly LandUseClass[] = [
  { id: 'residential', color: [246, 211, 101, 255], words: ['res', 'house', 'housing', 'dwell', 'apartment', 'condo', 'ที่อยู่', '住宅', '住居'] },
  { id: 'mixed', color: [240, 140, 60, 255], words: ['mix', 'ผสม', '複合'] },
  { id: 'office', color: [196, 78, 150, 255], words: ['office', 'สำนักงาน', '業務', '事務所'] },
  { id: 'commercial', color: [220, 70, 70, 255], words: ['com', 'retail', 'shop', 'hotel', 'business', 'พาณิชย', '商業'] },
  { id: 'industrial', color: [150, 110, 180, 255], words: ['ind', 'factory', 'warehouse', 'logistic', 'อุตสาหกรรม', '工業'] },
  { id: 'institutional', color: [90, 140, 210, 255], words: ['inst', 'gov', 'public', 'school', 'hospital', 'civic', 'educ', 'religio', 'temple', 'ราชการ', 'สถาบัน', '公共', '文教'] },
  { id: 'open', color: [110, 180, 100, 255], words: ['park', 'green', 'open', 'recreat', 'garden', 'สวน', 'นันทนาการ', '公園', '緑'] },
  { id: 'transport', color: [150, 150, 150, 255], words: ['transp', 'rail', 'station', 'road', 'depot', 'parking', 'คมนาคม', '交通', '鉄道'] },
  { id: 'vacant', color: [214, 206, 190, 255], words: ['vacant', 'empty', 'undevelop', 'ว่าง', '空地', '未利用'] },
];

const OTHER: Rgba = [190, 190, 200, 255];
const NO_DATA: Rgba = [225, 225, 230, 255];
const EXTRA: Rgba[] = [
  [77, 175, 150, 255], [200, 120, 160, 255], [120, 120, 200, 255], [180, 160, 90, 255], [100, 160, 190, 255], [210, 150, 110, 255],
];

export function landUseClass(value: unknown): LandUseClass | null {
  if (value === null || value === undefined || value === '') return null;
  const s = String(value).toLowerCase();
  for (const c of LAND_USE_CLASSES) if (c.words.some((w) => s.includes(w))) return c;
  return null;
}

export interface LegendEntry { label: string; color: Rgba; count: number }

/** Categorical colouring: known classes get their convention colour, others a stable extra colour. */
export function categoricalColors(values: ReadonlyArray<unknown>): { rgba: Uint8Array; legend: LegendEntry[] } {
  const rgba = new Uint8Array(values.length * 4);
  const legend = new Map<string, LegendEntry>();
  let extra = 0;
  values.forEach((v, i) => {
    const isEmpty = v === null || v === undefined || v === '';
    const label = isEmpty ? '' : String(v);
    let entry = legend.get(label);
    if (!entry) {
      const cls = isEmpty ? null : landUseClass(v);
      const color = isEmpty ? NO_DATA : cls ? cls.color : extra < EXTRA.length ? EXTRA[extra++] : OTHER;
      entry = { label, color, count: 0 };
      legend.set(label, entry);
    }
    entry.count += 1;
    rgba.set(entry.color, i * 4);
  });
  return { rgba, legend: [...legend.values()].sort((a, b) => b.count - a.count) };
}

// A colour-blind-safe sequential ramp (viridis samples).
export const RAMP: readonly Rgba[] = [
  [68, 1, 84, 255], [65, 68, 135, 255], [42, 120, 142, 255], [34, 168, 132, 255], [122, 209, 81, 255], [253, 231, 37, 255],
];

/** Quantile breaks (n-1 of them) over the finite values; equal values collapse. */
export function quantileBreaks(values: ArrayLike<number>, classes = RAMP.length): number[] {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite.push(values[i]);
  if (finite.length === 0) return [];
  finite.sort((a, b) => a - b);
  const breaks: number[] = [];
  for (let k = 1; k < classes; k++) {
    const b = finite[Math.min(finite.length - 1, Math.floor((k * finite.length) / classes))];
    if (breaks.length === 0 || b > breaks[breaks.length - 1]) breaks.push(b);
  }
  return breaks;
}

export function classOf(v: number, breaks: readonly number[]): number {
  let k = 0;
  while (k < breaks.length && v >= breaks[k]) k++;
  return k;
}

export interface NumericColouring { rgba: Uint8Array; breaks: number[]; colors: Rgba[] }

export function numericColors(values: ArrayLike<number>, target?: Uint8Array, fixedBreaks?: number[]): NumericColouring {
  const breaks = fixedBreaks ?? quantileBreaks(values);
  const colors = Array.from({ length: breaks.length + 1 }, (_, k) => RAMP[Math.round((k * (RAMP.length - 1)) / Math.max(1, breaks.length))]);
  const rgba = target ?? new Uint8Array(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    rgba.set(Number.isFinite(v) ? colors[classOf(v, breaks)] : NO_DATA, i * 4);
  }
  return { rgba, breaks, colors };
}

export function singleColor(n: number, color: Rgba = [120, 144, 170, 255]): Uint8Array {
  const rgba = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) rgba.set(color, i * 4);
  return rgba;
}

export const rgbCss = (c: Rgba): string => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

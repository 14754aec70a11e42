/**
 * A public-land programme that brings its own market (growth settings `programmeAbsorption:
 * 'additional'`): a national project such as the SRT's zones at Bang Sue sells and lets to the
 * metropolitan market, not only to the district's share of it, so the floor area it has due in a
 * period is added to the absorption ceiling of the market areas that hold its zones. Without this
 * the programme, built first, takes the ceiling the district's own market needs (or is held back by
 * it) whenever the programme's pace exceeds the area's ceiling.
 */

export interface ProgrammeCeilingInput {
  n: number;
  nAreas: number;
  periods: number;
  /** Market area per parcel (-1 = none) and programme zone per parcel (-1 = none). */
  area: Int32Array;
  zoneOf: Int32Array;
  nZones: number;
  /** What build-out adds on each parcel, m² of housing and of other floor area (0 where it may not grow). */
  dResM2: Float64Array;
  dNonResM2: Float64Array;
  /** Per zone × period: floor area the programme has due by the end of the period (cumulative m²). */
  programmeDue: Float64Array;
}

/**
 * Adds to capResM2 / capNonResM2 (area × period, in place) the programme floor area due in each
 * period, split between the areas and uses in proportion to what each parcel of the zone adds at
 * build-out (the programme's due is a share of that sum, so its pace falls on the parcels alike).
 * Where every parcel of a zone lies in some area, the additions sum to the zone's due exactly.
 */
export function addProgrammeCeiling(c: ProgrammeCeilingInput, capResM2: Float64Array, capNonResM2: Float64Array): void {
  const { n, nAreas: A, periods: P, nZones: Z } = c;
  const zr = new Float64Array(Z * A), zn = new Float64Array(Z * A), zt = new Float64Array(Z);
  for (let i = 0; i < n; i++) {
    const z = c.zoneOf[i];
    if (z < 0) continue;
    // The parcel's weight in its zone's capacity (as the programme's due counts it), split by use.
    const w = Math.max(0, c.dResM2[i] + c.dNonResM2[i]);
    zt[z] += w;
    const ar = c.area[i];
    if (ar < 0 || !(w > 0)) continue;
    const r = Math.max(0, c.dResM2[i]), m = Math.max(0, c.dNonResM2[i]);
    zr[z * A + ar] += w * r / (r + m); zn[z * A + ar] += w * m / (r + m);
  }
  for (let z = 0; z < Z; z++) {
    if (!(zt[z] > 0)) continue;
    for (let p = 0; p < P; p++) {
      const inPeriod = c.programmeDue[z * P + p] - (p > 0 ? c.programmeDue[z * P + p - 1] : 0);
      if (!(inPeriod > 0)) continue;
      const f = inPeriod / zt[z];
      for (let ar = 0; ar < A; ar++) {
        capResM2[ar * P + p] += f * zr[z * A + ar];
        capNonResM2[ar * P + p] += f * zn[z * A + ar];
      }
    }
  }
}

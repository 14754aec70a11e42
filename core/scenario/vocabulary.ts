/**
 * The fixed vocabularies the scenario engine codes into typed arrays: parcel land uses and the
 * floor-space uses a building's floor area is split into.
 */
export const LAND_USES = [
  'residential', 'commercial', 'office', 'mixed_use', 'industrial', 'civic', 'open_space', 'transport', 'vacant', 'water',
] as const;
export type LandUse = (typeof LAND_USES)[number];
export const NU = LAND_USES.length;
/** Code for a parcel whose land use is missing or not in the vocabulary (it keeps what it has). */
export const LU_UNKNOWN = 255;

const LU_CODE = new Map<string, number>(LAND_USES.map((u, i) => [u, i]));
export const LU = Object.fromEntries(LAND_USES.map((u, i) => [u, i])) as Record<LandUse, number>;

export function landUseCode(s: unknown): number {
  if (typeof s !== 'string') return LU_UNKNOWN;
  return LU_CODE.get(s.trim().toLowerCase().replace(/[\s-]+/g, '_')) ?? LU_UNKNOWN;
}

export function isLandUse(s: string): s is LandUse {
  return LU_CODE.has(s);
}

/** Floor-space uses; jobs and power are computed per use. Order = column order of result arrays. */
export const FLOOR_USES = ['residential', 'commercial', 'office', 'civic', 'industrial'] as const;
export type FloorUse = (typeof FLOOR_USES)[number];

/** Land uses whose parcels count as public open space when they keep their existing use. */
export const OPEN_LAND_USES: readonly number[] = [LU.open_space];
/** Land uses left out of "net" land (not developable for homes or jobs): open space, transport, water. */
export const NON_NET_LAND_USES: readonly number[] = [LU.open_space, LU.transport, LU.water];

export const EXCLUSION_KINDS = ['heritage', 'open_space', 'water', 'rail_corridor', 'flood', 'other'] as const;
export type ExclusionKind = (typeof EXCLUSION_KINDS)[number];

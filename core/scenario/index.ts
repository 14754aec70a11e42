/** Density scenarios: zoning rules → per-parcel floor area, dwellings, residents, jobs; indicators; comparison. */
export { LAND_USES, FLOOR_USES, EXCLUSION_KINDS, type LandUse } from './vocabulary.js';
export { ScenarioDefSchema, type ScenarioDef, type ScenarioDefInput, MAX_FAR, MAX_FLOORS } from './model.js';
export { ASSUMPTION_KEYS, COUNTRIES, defaultAssumptions, resolveAssumptions, modeShareAt, type Assumptions, type AssumptionEntry } from './assumptions.js';
export { compileRules, OUTSIDE_BAND, type CompiledRules } from './compile.js';
export { DEFAULT_SCENARIOS, DEFAULT_BANDS } from './defaults.js';
export { evaluateParcels, allocResult, FLAG, type ParcelColumns, type SiteInputs, type ParcelResult } from './evaluate.js';
export { buildIndicators, indicatorsFromSums, type Indicators, type IndicatorSet } from './indicators.js';
export { prepareParcels, parcelLayerName, type PreparedParcels } from './prepare.js';
export { evaluateScenario, alignDistances, crowFliesDistances, type DistanceColumns, type Evaluation } from './run.js';
export { compareScenarios, COMPARE_METRICS, type Comparison } from './compare.js';
export * from './store.js';
export { distanceSource, type DistanceSpec } from './distance-source.js';
export { catchmentDistances } from './catchment-distances.js';
export { calibrateExisting, censusLayer, type Calibration, type CalibrationOptions } from './calibrate.js';

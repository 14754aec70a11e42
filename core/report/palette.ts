/** Colours shared by report maps and charts (planning conventions: residential yellow, commercial red, open space green). */
export const LAND_USE_COLORS: Record<string, string> = {
  residential: '#f2cf5b', commercial: '#e4572e', office: '#a23b72', mixed_use: '#f18f01', industrial: '#8d6a9f',
  civic: '#4f86c6', open_space: '#6bbf59', transport: '#a6a6a6', vacant: '#e2dccf', water: '#86c5ef',
};
export const UNKNOWN_COLOR = '#cfcfcf';
export const SERIES_COLORS = ['#1f5f8b', '#e4572e', '#6bbf59', '#f18f01', '#8d6a9f', '#4f86c6', '#a23b72', '#2a9d8f'];
export const BAND_COLORS = ['#08519c', '#3182bd', '#6baed6', '#bdd7e7'];

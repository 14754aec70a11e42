// A small report model that passes ReportModelSchema, for tests that carry a model around without a project.
import type { ReportModel } from '../../core/report/model.js';

export function tinyModel(paper: 'A4' | 'A3' = 'A4', orientation: 'portrait' | 'landscape' = 'portrait'): ReportModel {
  return {
    meta: {
      title: 'Station-area master plan', subtitle: 'Test', site: 'Bang Sue <Grand>', client: null, date: '2026-11-25', scenarios: [],
      paper, orientation, generator: 'Ekimae test', projectFile: 'p.gpkg', projectDigest: 'abc', currency: null,
    },
    sections: [{ id: 'site', title: 'Site', blocks: [{ kind: 'text', text: 'A short report.' }] }],
    omittedPersonalFields: [],
  };
}

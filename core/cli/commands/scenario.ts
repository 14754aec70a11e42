/**
 * `ekimae scenario <project.gpkg>`: add the default scenarios, evaluate and store them, print the comparison.
 * `--history <id>`: a scenario's saved versions, newest first (read-only): who saved each (a database project), its note, what changed.
 */
import { EXIT_OK, UsageError, type Command, type Io } from '../command.js';
import type { Output } from '../../api/contract.js';
import { utcMinute } from '../../store/clock.js';
import { openProject } from './project.js';

const fmt = (x: number | null, d = 0) => (x === null ? '–' : x.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d }));

export const scenarioCommand: Command = {
  name: 'scenario',
  usage: `ekimae scenario <project.gpkg> [--ids existing,trend,...] [--parcels <layer>] [--baseline <id>] [--json]
       ekimae scenario <project.gpkg> --history <scenario id> [--json]`,
  options: { ids: { type: 'string' }, parcels: { type: 'string' }, baseline: { type: 'string' }, json: { type: 'boolean' }, history: { type: 'string' } },
  async run({ values, positionals }, svc, io) {
    if (positionals.length !== 1) throw new UsageError('give exactly one <project.gpkg>');
    if (values.history !== undefined) {
      if (typeof values.history !== 'string' || !values.history) throw new UsageError('--history takes a scenario id');
      await openProject(svc, positionals[0], true);
      const h = await svc.invoke('scenario.history', { id: values.history });
      if (values.json) io.out(JSON.stringify(h, null, 2)); else printHistory(io, h);
      return EXIT_OK;
    }
    await openProject(svc, positionals[0]);
    const added = (await svc.invoke('scenario.defaults', {})).added;
    if (added.length) io.err(`added default scenarios: ${added.join(', ')}`);
    const ids = typeof values.ids === 'string' ? values.ids.split(',').map((s) => s.trim()).filter(Boolean) : ['existing', 'trend', 'tod-moderate', 'tod-intensive'];
    const cmp = await svc.invoke('scenario.compare', {
      ids, store: true, parcelLayer: typeof values.parcels === 'string' ? values.parcels : undefined,
      baseline: typeof values.baseline === 'string' ? values.baseline : undefined,
    });
    if (values.json) { io.out(JSON.stringify(cmp, null, 2)); return EXIT_OK; }
    io.out(`parcels: ${cmp.parcelLayer}; distances: ${cmp.distanceSource}; baseline: ${cmp.baseline}; results stored`);
    io.out(['scenario'.padEnd(18), 'floor area m²'.padStart(14), 'residents'.padStart(11), 'jobs'.padStart(10), 'boardings/d'.padStart(12), 'Δ residents'.padStart(12), 'Δ jobs'.padStart(10)].join(' '));
    for (const s of cmp.scenarios) {
      const t = s.indicators.total, d = s.vsBaseline.total;
      io.out([s.name.slice(0, 18).padEnd(18), fmt(t.floorAreaM2).padStart(14), fmt(t.residents).padStart(11), fmt(t.jobs).padStart(10),
        fmt(t.dailyBoardings).padStart(12), fmt(d.residents.delta).padStart(12), fmt(d.jobs.delta).padStart(10)].join(' '));
    }
    for (const s of cmp.scenarios) {
      io.out(`\n${s.name}, by station:`);
      for (const st of s.indicators.stations) {
        const t = st.indicators;
        io.out(`  ${st.station.slice(0, 40).padEnd(40)} residents ${fmt(t.residents).padStart(9)}  jobs ${fmt(t.jobs).padStart(9)}  FAR ${fmt(t.achievedFar, 2).padStart(5)}  boardings ${fmt(t.dailyBoardings).padStart(8)}`);
      }
    }
    for (const w of cmp.warnings) io.err(`warning: ${w}`);
    return EXIT_OK;
  },
};

/** Newest first: version, when (UTC), who (database projects), the note, then what changed from the version before. */
function printHistory(io: Io, h: Output<'scenario.history'>): void {
  io.out(`${h.name} (${h.id}): ${h.versions.length} version${h.versions.length === 1 ? '' : 's'}${h.authors === 'file' ? ' (a project file records when, not by whom)' : ''}`);
  h.versions.forEach((v, i) => {
    io.out(`v${v.version}  ${utcMinute(v.savedAt ?? v.createdAt)}${v.savedBy ? `  ${v.savedBy}` : ''}${v.name !== h.name ? `  "${v.name}"` : ''}${v.note ? `  (${v.note})` : ''}`);
    if (v.changes === null) io.out('    first version');
    else if (!v.changes.length) io.out(`    same rules as v${h.versions[i + 1]?.version ?? v.version - 1}`);
    else for (const c of v.changes) io.out(`    ${c}`);
  });
  for (const w of h.warnings) io.err(`warning: ${w}`);
}

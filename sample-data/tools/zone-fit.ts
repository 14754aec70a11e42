/** npx tsx sample-data/tools/zone-fit.ts <file.gpkg>: each census zone's calibration factors (residents, jobs), without storing anything (README, "Each census zone at its own density"). */
import { Project } from '../../core/store/project.js';
import { calibrateExisting } from '../../core/scenario/calibrate.js';
const p = Project.open(process.argv[2], { readOnly: true });
const c = calibrateExisting(p, { store: false });
let out = 0, out2 = 0;
for (const z of c.zones) {
  const bad = z.factor.residents < 0.5 || z.factor.residents > 2 || z.factor.jobs < 0.5 || z.factor.jobs > 2;
  if (bad) out++;
  if ([0.25, 4].includes(z.factor.residents) || [0.25, 4].includes(z.factor.jobs)) out2++;
  console.log(`${bad ? '!!' : '  '} ${z.zoneId.padEnd(14)} ${(z.name ?? '').slice(0, 34).padEnd(34)} pop ${Math.round(z.target.residents).toString().padStart(7)} mod ${Math.round(z.after.residents).toString().padStart(7)} ×${z.factor.residents.toFixed(2)}  jobs ${Math.round(z.target.jobs ?? 0).toString().padStart(7)} mod ${Math.round(z.after.jobs ?? 0).toString().padStart(7)} ×${z.factor.jobs.toFixed(2)} n=${z.parcels}`);
}
console.log(`outside 0.5–2: ${out}; at bounds: ${out2}; of ${c.zones.length}`);
for (const a of c.assumptions) console.log(a.key, a.before.toFixed(2), '→', a.after.toFixed(2));

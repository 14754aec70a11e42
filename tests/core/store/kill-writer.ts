/**
 * The child of kill-loop.test.ts: opens the project, imports the layer "extra" if it is absent or
 * removes it if present, records the round in the settings, closes; again and again until killed.
 * Every step goes through the service, as the CLI and the app do (open, migrate, WAL on, one
 * transaction per action, a streamed import's long one, checkpoint and DELETE mode on close). It
 * prints a line at each step (and each import batch), which the parent counts to pick its moment.
 */
import { EkimaeService } from '../../../core/api/service.js';

const [path, source] = process.argv.slice(2);
const say = (s: string) => process.stdout.write(`${s}\n`);
for (let round = 0; ; round++) {
  const svc = new EkimaeService();
  // One line per fourth batch written: an import is about a dozen lines, no more than the other steps together.
  let batch = 0;
  svc.onProgress((e) => { if (e.message === 'writing to project' && batch++ % 4 === 0) say('import writing'); });
  await svc.invoke('project.open', { path });
  say('opened');
  if (svc.requireProject().layers().some((l) => l.name === 'extra')) {
    await svc.invoke('layers.remove', { layer: 'extra' });
    say('removed');
  } else {
    await svc.invoke('layers.import', { path: source, name: 'extra', role: 'parcels', jobId: `import-${round}` });
    say('imported');
  }
  await svc.invoke('project.updateSettings', { patch: { round } });
  say('settings');
  svc.close();
  say('closed');
}

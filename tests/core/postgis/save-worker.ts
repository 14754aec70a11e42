/**
 * A second planner's process for the concurrency tests: opens the shared project (its own working
 * copy), says "ready" on stdout, waits until the `go` file exists (so both processes hold a copy
 * opened before either saves), then saves one scenario and prints the result as JSON.
 * argv: <postgresql url> <scenario id> <new name> <go file> [--as-new]
 */
import { existsSync } from 'node:fs';
import { EkimaeService } from '../../../core/api/service.js';

const [url, id, name, go, flag] = process.argv.slice(2);
const svc = new EkimaeService();
try {
  await svc.invoke('project.open', { path: url });
  const cur = await svc.invoke('scenario.get', { id });
  process.stdout.write('ready\n');
  while (!existsSync(go)) await new Promise((r) => setTimeout(r, 50));
  let r = await svc.call('scenario.save', { id, scenario: { ...cur.definition, name }, note: `edited by ${name}` });
  if (!r.ok && r.error.code === 'E_CONFLICT' && flag === '--as-new') {
    const asNew = r.error.details?.asNew as { method: string; input: unknown };
    const again = await svc.call(asNew.method, asNew.input);
    r = again.ok ? { ok: true, value: { ...(again.value as object), savedAsNewAfter: r.error } } : again;
  }
  process.stdout.write(JSON.stringify(r) + '\n');
} finally {
  svc.close();
}

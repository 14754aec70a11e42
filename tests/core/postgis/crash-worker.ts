/** Starts a test PostgreSQL, prints its directory and pid, then waits to be killed (postgres-harness.test.ts). */
import { startPostgres } from '../../helpers/postgres.js';

const s = await startPostgres();
process.stdout.write(JSON.stringify({ dir: s.dir, pid: s.serverPid }) + '\n');
setInterval(() => undefined, 1 << 30);

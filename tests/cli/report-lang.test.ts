/** `--lang` of `ekimae report` and `ekimae package`: only en, ja and th; anything else is a usage error (exit 2) before the project is touched. */
import { describe, expect, it } from 'vitest';
import { main } from '../../core/cli/main.js';

async function cli(argv: string[]) {
  const err: string[] = [];
  const code = await main(argv, { out: () => {}, err: (s) => err.push(s), stdin: async () => '' });
  return { code, err: err.join('\n') };
}

describe('ekimae report --lang', () => {
  it('rejects a language the report has no words for, naming the ones it has', async () => {
    for (const cmd of ['report', 'package']) {
      const r = await cli([cmd, '/nonexistent/p.gpkg', '--out', '/tmp/x', '--lang', 'fr']);
      expect(r.code).toBe(2);
      expect(r.err).toContain('--lang must be en, ja or th');
    }
  });
});

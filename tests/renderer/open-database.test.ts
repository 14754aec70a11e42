// File ▸ Open database…: the password typed apart from the address goes into the address only for the
// call (percent-encoded, so an @ or / in it cannot change the host), and only a postgresql:// address
// with a database enables Open.
import { describe, expect, it } from 'vitest';
import { isDatabaseAddress, withPassword } from '../../renderer/panels/open-database-dialog.js';
import { parsePgUrl } from '../../core/store/postgis/url.js';

describe('open database dialog', () => {
  it('puts the password into the address percent-encoded; the core reads it back exactly and shows it masked', () => {
    const url = withPassword('postgresql://akiko@db.example.org:5432/tod?schema=bangsue', 'p@ss/w:rd');
    const t = parsePgUrl(url);
    expect(t.password).toBe('p@ss/w:rd');
    expect(t.display).toBe('postgresql://akiko:***@db.example.org:5432/tod?schema=bangsue');
    expect(new URL(url).hostname).toBe('db.example.org');
  });

  it('leaves an address without a password as typed (PGPASSWORD or ~/.pgpass then apply)', () => {
    expect(withPassword(' postgresql://akiko@db/tod?schema=s ', '')).toBe('postgresql://akiko@db/tod?schema=s');
  });

  it('enables Open only for a postgresql:// address naming a database', () => {
    expect(['postgresql://', 'postgresql://host', 'postgresql://host/', '/home/a/site.gpkg', 'http://host/db', 'postgresql://h/db?schema=x', 'postgres://u@h:5432/db']
      .map(isDatabaseAddress)).toEqual([false, false, false, false, false, true, true]);
  });
});

/** Database addresses: the schema parameter, and the password masked in everything printable. */
import { describe, expect, it } from 'vitest';
import { isPgUrl, parsePgUrl, redactText } from '../../../core/store/postgis/url.js';
import { EkimaeError } from '../../../core/api/errors.js';

describe('postgresql:// addresses', () => {
  it('splits off ?schema= and masks the password (percent-encoded or not) in the display form', () => {
    const t = parsePgUrl('postgresql://akiko:p%40ss%2Fw0rd@db.example.org:5433/tod?schema=bangsue&sslmode=require');
    expect(t.schema).toBe('bangsue');
    expect(t.password).toBe('p@ss/w0rd');
    expect(t.display).toBe('postgresql://akiko:***@db.example.org:5433/tod?schema=bangsue&sslmode=require');
    expect(t.connectionString).toBe('postgresql://akiko:p%40ss%2Fw0rd@db.example.org:5433/tod?sslmode=require');
  });

  it('an address without a password or schema: public schema, nothing to mask', () => {
    const t = parsePgUrl('postgres://somchai@localhost/tod');
    expect([t.schema, t.password, t.display]).toEqual(['public', null, 'postgres://somchai@localhost/tod']);
  });

  it('masks every address in a message and a known password anywhere else in it', () => {
    expect(redactText('cannot connect to postgresql://a:s3cret@h/db and postgres://b:x%2By@h2/db2')).toBe('cannot connect to postgresql://a:***@h/db and postgres://b:***@h2/db2');
    expect(redactText('password "s3cret" rejected', 's3cret')).toBe('password "***" rejected');
    expect(redactText('pw p%40ss in an echo', 'p@ss')).toBe('pw *** in an echo');
  });

  it('a schema that is not a lower-case identifier is E_INPUT_INVALID (it names tables QGIS and psql show)', () => {
    for (const bad of ['Bang', 'bang-sue', 'a;drop', '1abc']) {
      expect(() => parsePgUrl(`postgresql://h/db?schema=${encodeURIComponent(bad)}`), bad).toThrow(EkimaeError);
    }
  });

  it('an address with no database is E_INPUT_INVALID, without its password in the message', () => {
    let err: unknown;
    try { parsePgUrl('postgresql://u:topsecret@host/?schema=x'); } catch (e) { err = e; }
    expect((err as EkimaeError).code).toBe('E_INPUT_INVALID');
    expect((err as EkimaeError).message).not.toContain('topsecret');
  });

  it('tells addresses from file paths', () => {
    expect([isPgUrl('postgresql://h/db'), isPgUrl('POSTGRES://h/db'), isPgUrl('site.gpkg'), isPgUrl('/tmp/postgresql://x')]).toEqual([true, true, false, false]);
  });
});

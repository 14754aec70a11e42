/**
 * Where a shared project lives: `postgresql://role[:password]@host[:port]/db?schema=name`. The password
 * is only ever handed to the client; everything that can be printed, stored or logged goes through
 * redactUrl (or redactText for messages that may quote the address).
 */
import { EkimaeError } from '../../errors.js';

export interface PgTarget {
  /** The connection string without the `schema` parameter (what node-postgres gets). */
  connectionString: string;
  schema: string;
  /** The address with the password replaced, safe to print and store. */
  display: string;
  password: string | null;
}

export const isPgUrl = (s: string): boolean => /^postgres(ql)?:\/\//i.test(s.trim());

export function parsePgUrl(raw: string): PgTarget {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new EkimaeError('E_INPUT_INVALID', `not a database address: ${redactText(raw)} (expected postgresql://role@host:port/database?schema=name)`);
  }
  if (!/^postgres(ql)?:$/i.test(u.protocol)) throw new EkimaeError('E_INPUT_INVALID', `not a postgresql:// address: ${redactUrl(raw)}`);
  const schema = u.searchParams.get('schema') ?? 'public';
  // Quoted everywhere, but a plain identifier keeps QGIS's browser and psql \dn free of quoting surprises.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new EkimaeError('E_INPUT_INVALID', `schema "${schema}" must be a lower-case identifier (a–z, 0–9, _; at most 63 characters)`, { schema });
  }
  if (!u.pathname || u.pathname === '/') throw new EkimaeError('E_INPUT_INVALID', `${redactUrl(raw)} names no database (postgresql://host/database?schema=…)`);
  u.searchParams.delete('schema');
  const password = u.password ? decodeURIComponent(u.password) : null;
  return { connectionString: u.toString(), schema, display: redactUrl(raw), password };
}

/** The address with any password replaced by ***. */
export function redactUrl(raw: string): string {
  return redactText(raw);
}

/**
 * Any text with the passwords of postgres URLs in it masked (error messages of the client can quote the
 * address), and a known password masked wherever else it appears.
 */
export function redactText(text: string, password?: string | null): string {
  let out = text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)([^@\s]*)@/gi, '$1***@');
  if (password) {
    out = out.split(password).join('***');
    const enc = encodeURIComponent(password);
    if (enc !== password) out = out.split(enc).join('***');
  }
  return out;
}

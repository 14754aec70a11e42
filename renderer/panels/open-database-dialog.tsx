/**
 * File ▸ Open database…: the address of a project shared in PostgreSQL/PostGIS (docs/TEAM.md) and,
 * separately, a password. The password is put into the address only for the call to the core, which
 * masks it in everything it reports; it is never kept here or in Open Recent. Mounted on its own
 * (askDatabaseAddress), so the menu action needs no state in the app.
 */
import { useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { Translate } from '../i18n/index.js';

/** The address with the password set (percent-encoded), or the address as typed when there is none. */
export function withPassword(address: string, password: string): string {
  if (!password) return address.trim();
  const u = new URL(address.trim());
  u.password = encodeURIComponent(password);
  return u.toString();
}

export const isDatabaseAddress = (s: string) => /^postgres(ql)?:\/\/[^/]+\/[^/?]+/i.test(s.trim());

function OpenDatabaseDialog({ t, done }: { t: Translate; done(v: string | null): void }) {
  const [address, setAddress] = useState('postgresql://');
  const [password, setPassword] = useState('');
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => { ref.current?.focus(); }, []);
  const ok = isDatabaseAddress(address);
  return (
    <div className="modal-backdrop" onClick={() => done(null)}>
      <form className="modal" role="dialog" aria-modal="true" aria-label={t('db.heading')} onClick={(e) => e.stopPropagation()}
        onSubmit={(e) => { e.preventDefault(); if (ok) done(withPassword(address, password)); }}
        onKeyDown={(e) => { if (e.key === 'Escape') done(null); }}>
        <h2>{t('db.heading')}</h2>
        <p>{t('db.explain')}</p>
        <label>{t('db.address')}<br />
          <input ref={ref} type="text" size={60} value={address} spellCheck={false} autoComplete="off" onChange={(e) => setAddress(e.target.value)}
            placeholder="postgresql://role@host:5432/database?schema=bangsue" aria-invalid={!ok} />
        </label>
        <br />
        <label>{t('db.password')}<br />
          <input type="password" size={30} value={password} autoComplete="off" onChange={(e) => setPassword(e.target.value)} />
        </label>
        <div className="actions">
          <button type="button" onClick={() => done(null)}>{t('db.cancel')}</button>
          <button type="submit" disabled={!ok}>{t('db.open')}</button>
        </div>
      </form>
    </div>
  );
}

/** Shows the dialog; resolves with the address to open (password included) or null when cancelled. */
export function askDatabaseAddress(t: Translate): Promise<string | null> {
  return new Promise((resolve) => {
    const host = document.createElement('div');
    document.body.appendChild(host);
    const root = createRoot(host);
    const done = (v: string | null) => {
      root.unmount();
      host.remove();
      resolve(v);
    };
    root.render(<OpenDatabaseDialog t={t} done={done} />);
  });
}

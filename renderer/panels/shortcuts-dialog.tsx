/** The list of keyboard shortcuts. */
import { useEffect, useRef } from 'react';
import { useT, type MessageKey } from '../i18n/index.js';
import { SHORTCUTS } from '../state/use-shortcuts.js';

const LABEL: Record<string, MessageKey> = {
  undo: 'shortcuts.undo', redo: 'shortcuts.redo', import: 'shortcuts.import', massing: 'shortcuts.massing',
  fit: 'shortcuts.fit', help: 'shortcuts.help', escape: 'shortcuts.escape',
};

export function ShortcutsDialog({ onClose }: { onClose(): void }) {
  const t = useT();
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => { ref.current?.focus(); }, []);
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={t('shortcuts.heading')} onClick={(e) => e.stopPropagation()}>
        <h2>{t('shortcuts.heading')}</h2>
        <table className="shortcuts">
          <tbody>{SHORTCUTS.map((s) => <tr key={s.action}><td><kbd>{s.keys}</kbd></td><td>{t(LABEL[s.action])}</td></tr>)}</tbody>
        </table>
        <div className="actions"><button type="button" ref={ref} onClick={onClose}>{t('import.close')}</button></div>
      </div>
    </div>
  );
}

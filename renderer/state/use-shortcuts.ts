/** Keyboard shortcuts; single-key ones are ignored while typing in a field or while a dialog is open. */
import { useEffect, useRef } from 'react';

export interface ShortcutActions {
  undo(): void;
  redo(): void;
  import(): void;
  massing(): void;
  fit(): void;
  help(): void;
  escape(): void;
}

export const SHORTCUTS: ReadonlyArray<{ keys: string; action: keyof ShortcutActions }> = [
  { keys: 'Ctrl+Z', action: 'undo' },
  { keys: 'Ctrl+Shift+Z / Ctrl+Y', action: 'redo' },
  { keys: 'Ctrl+I', action: 'import' },
  { keys: 'M', action: 'massing' },
  { keys: 'F', action: 'fit' },
  { keys: '?', action: 'help' },
  { keys: 'Esc', action: 'escape' },
];

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || (el.tagName === 'INPUT' && !['checkbox', 'radio', 'range', 'button'].includes((el as HTMLInputElement).type)) || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}

export function useShortcuts(actions: ShortcutActions, dialogOpen: boolean): void {
  const ref = useRef(actions);
  ref.current = actions;
  const dialog = useRef(dialogOpen);
  dialog.current = dialogOpen;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const a = ref.current;
      const mod = e.ctrlKey || e.metaKey;
      const k = e.key.toLowerCase();
      if (mod && k === 'z' && !typing(e.target)) { e.preventDefault(); if (e.shiftKey) a.redo(); else a.undo(); return; }
      if (mod && k === 'y' && !typing(e.target)) { e.preventDefault(); a.redo(); return; }
      if (mod && k === 'i') { e.preventDefault(); a.import(); return; }
      if (e.key === 'Escape') { a.escape(); return; }
      if (mod || e.altKey || dialog.current || typing(e.target)) return;
      if (k === 'm') a.massing();
      else if (k === 'f') a.fit();
      else if (e.key === '?') a.help();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/**
 * The native menu. Items that act on the project send an action string to the renderer (which owns
 * the dialogs' flow, undo history and error display); editing and view items use Electron's roles.
 * Actions: file.new, file.open, file.openDatabase, file.reloadDatabase, file.openRecent:<path>, file.saveAs, file.import, file.export,
 * file.report, edit.undo, edit.redo, help.shortcuts, help.about.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { MenuItemConstructorOptions } from 'electron';

export const MENU_ACTIONS = [
  'file.new', 'file.open', 'file.openDatabase', 'file.reloadDatabase', 'file.saveAs', 'file.import', 'file.export', 'file.report', 'file.review',
  'edit.undo', 'edit.redo', 'help.shortcuts', 'help.about',
] as const;
export type MenuAction = (typeof MENU_ACTIONS)[number] | `file.openRecent:${string}`;

export function menuTemplate(send: (action: MenuAction) => void, recent: readonly string[], isMac: boolean): MenuItemConstructorOptions[] {
  const item = (label: string, action: MenuAction, accelerator?: string): MenuItemConstructorOptions => ({ label, accelerator, click: () => send(action) });
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? recent.map((path) => ({ label: path, click: () => send(`file.openRecent:${path}`) }))
    : [{ label: 'No recent projects', enabled: false }];
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        item('New Project…', 'file.new', 'CmdOrCtrl+N'),
        item('Open Project…', 'file.open', 'CmdOrCtrl+O'),
        item('Open Database…', 'file.openDatabase'),
        item('Reload from Database', 'file.reloadDatabase'),
        { label: 'Open Recent', submenu: recentItems },
        item('Save As…', 'file.saveAs', 'CmdOrCtrl+Shift+S'),
        { type: 'separator' },
        item('Import Layer…', 'file.import', 'CmdOrCtrl+I'),
        item('Export…', 'file.export', 'CmdOrCtrl+E'),
        item('Report…', 'file.report', 'CmdOrCtrl+P'),
        item('Review a Plan Package…', 'file.review'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        item('Undo', 'edit.undo', 'CmdOrCtrl+Z'),
        item('Redo', 'edit.redo', isMac ? 'Cmd+Shift+Z' : 'Ctrl+Y'),
        { type: 'separator' },
        { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    {
      label: 'Help',
      submenu: [item('Keyboard Shortcuts', 'help.shortcuts', 'F1'), item('About Ekimae', 'help.about')],
    },
  ];
}

/** The recently opened projects, newest first, kept in a small JSON file in the user data folder. */
export class RecentProjects {
  private list: string[];

  constructor(private file: string, private max = 10) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      this.list = Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string').slice(0, max) : [];
    } catch {
      this.list = [];
    }
  }

  get items(): readonly string[] {
    return this.list;
  }

  add(path: string): void {
    this.list = [path, ...this.list.filter((p) => p !== path)].slice(0, this.max);
    try {
      writeFileSync(this.file, JSON.stringify(this.list, null, 1));
    } catch {
      // A read-only profile only loses the list on restart; it must not break opening the project.
    }
  }
}

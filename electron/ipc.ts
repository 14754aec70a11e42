/**
 * IPC generated from the contract: exactly one `ekimae:call:<method>` handler per CONTRACT method.
 * Each handler refuses any sender but our own top-level renderer page and validates the input with
 * the method's zod schema before anything reaches the core process; the core validates again.
 */
import { z } from 'zod';
import type { BrowserWindow, Dialog, IpcMain, IpcMainInvokeEvent } from 'electron';
import { CONTRACT, METHOD_NAMES, type MethodName } from '../core/api/contract.js';
import type { ErrorData, Result } from '../core/api/errors.js';
import type { PathGrants } from './path-grants.js';
import { isAppUrl } from './security.js';

export const CALL_CHANNEL_PREFIX = 'ekimae:call:';
export const PICK_FILE_CHANNEL = 'ekimae:pickFile';
export const PROGRESS_CHANNEL = 'ekimae:progress';
export const MENU_CHANNEL = 'ekimae:menu';

const FORBIDDEN: ErrorData = { code: 'E_FORBIDDEN', message: 'IPC refused: the sender is not the Ekimae window' };

export type Forward = (method: MethodName, input: unknown) => Promise<Result<unknown>>;

/** The sender must be the main frame of a window we created, showing our app:// page. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>, trustedContentsIds: ReadonlySet<number>): boolean {
  const frame = event.senderFrame;
  return !!frame && frame.parent === null && isAppUrl(frame.url) && trustedContentsIds.has(event.sender.id);
}

export function invalidInput(method: string, issues: z.core.$ZodIssue[]): ErrorData {
  return {
    code: 'E_INPUT_INVALID',
    message: `${method}: ${issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`,
    details: { issues: issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
  };
}

/** With `grants`, a path in the input that no dialog returned is refused (E_PATH_NOT_GRANTED) and paths the core reports opening are granted. */
export function registerContractHandlers(ipcMain: Pick<IpcMain, 'handle'>, trusted: ReadonlySet<number>, forward: Forward, grants?: PathGrants): void {
  for (const method of METHOD_NAMES) {
    const schema = CONTRACT[method].input;
    ipcMain.handle(CALL_CHANNEL_PREFIX + method, async (event, input: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event, trusted)) return { ok: false, error: FORBIDDEN };
      const parsed = schema.safeParse(input ?? {});
      if (!parsed.success) return { ok: false, error: invalidInput(method, parsed.error.issues) };
      const refused = grants?.check(method, input);
      if (refused) return { ok: false, error: refused };
      const r = await forward(method, input);
      if (r.ok) grants?.grantFromResult(method, r.value);
      return r;
    });
  }
}

export const PickFileOptionsSchema = z.object({
  title: z.string().max(200),
  filters: z.array(z.object({ name: z.string().max(100), extensions: z.array(z.string().regex(/^[A-Za-z0-9*]{1,12}$/)).max(50) })).max(20).optional(),
  save: z.boolean().optional(),
}).strict();

/** The native file dialog (Electron only): returns a chosen path, or null when cancelled or refused. */
export function registerDialogHandler(ipcMain: Pick<IpcMain, 'handle'>, trusted: ReadonlySet<number>, dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>, window: () => BrowserWindow | null, grants?: PathGrants): void {
  ipcMain.handle(PICK_FILE_CHANNEL, async (event, raw: unknown): Promise<string | null> => {
    if (!isTrustedSender(event, trusted)) return null;
    const parsed = PickFileOptionsSchema.safeParse(raw);
    if (!parsed.success) return null;
    const { title, filters, save } = parsed.data;
    const win = window();
    if (save) {
      const r = win ? await dialog.showSaveDialog(win, { title, filters }) : await dialog.showSaveDialog({ title, filters });
      const chosen = r.canceled || !r.filePath ? null : r.filePath;
      grants?.grant(chosen);
      return chosen;
    }
    const opts = { title, filters, properties: ['openFile' as const] };
    const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    const chosen = r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0]!;
    grants?.grant(chosen);
    return chosen;
  });
}

// The desktop File ▸ Report action writes the report in the language it is given (the app's, or the
// user's override): the core call carries `lang`, and without one the core's default stays in force.
import { describe, expect, it, vi } from 'vitest';
import type { Client } from '../../renderer/api/client.js';
import { translator } from '../../renderer/i18n/index.js';
import { runFileAction, type FileActionDeps } from '../../renderer/state/file-actions.js';
import { reportLangOf } from '../../renderer/state/report-lang.js';

function deps(reportLang?: 'en' | 'ja' | 'th') {
  const call = vi.fn(async () => ({}));
  const client = { call, bridge: { pickFile: async () => '/tmp/plans/Bang Sue report.pdf' } } as unknown as Client;
  const d: FileActionDeps = { client, proj: {} as FileActionDeps['proj'], t: translator('ja'), onError: (e) => { throw e; }, onMessage: () => {}, ...(reportLang ? { reportLang } : {}) };
  return { d, call };
}

describe('report language of the desktop report action', () => {
  it('the app in Japanese: report.generate carries lang "ja" into the chosen folder', async () => {
    const { d, call } = deps(reportLangOf('app', 'ja'));
    expect(await runFileAction('file.report', d)).toBe(true);
    expect(call).toHaveBeenCalledTimes(1);
    expect(call.mock.calls[0]).toEqual(['report.generate', expect.objectContaining({ outDir: '/tmp/plans', name: 'Bang_Sue_report', lang: 'ja', html: true, pdf: true })]);
  });

  it('an override wins over the app language: Thai report from a Japanese app', async () => {
    const { d, call } = deps(reportLangOf('th', 'ja'));
    await runFileAction('file.report', d);
    expect((call.mock.calls[0] as unknown[])[1]).toMatchObject({ lang: 'th' });
  });

  it('no language given: no lang in the call (the core falls back to the project setting)', async () => {
    const { d, call } = deps();
    await runFileAction('file.report', d);
    expect((call.mock.calls[0] as unknown[])[1]).not.toHaveProperty('lang');
  });
});

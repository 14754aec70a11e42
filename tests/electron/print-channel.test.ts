// The print channel between the core host and Electron's main process, every message structured-cloned
// as the utilityProcess channel does: a report.generate call in the core ends up as one print request in
// main, and the bytes main prints come back into the files. Malformed messages either way are refused
// by name, and the core never hangs on an answer that cannot be used.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../core/api/service.js';
import { answerPrint, MessageClient, printOverMessages, serveMessages, type HostMessage, type MainMessage, type PrintHandler, type PrintRequest } from '../../core/api/transports/message-host.js';
import { printSpec, REPORT_PAGE, useReportPrinter } from '../../core/report/render.js';
import { tmpDir } from '../helpers/tmp.js';
import { tinyModel } from './tiny-model.js';

const dir = tmpDir('ekimae-print-channel-');
const tick = () => new Promise((r) => setImmediate(r));

/** The core host (service + printer) and main (MessageClient with `print`) joined by structuredClone. */
function connect(print: PrintHandler) {
  const service = new EkimaeService();
  let printing: ReturnType<typeof printOverMessages>;
  const toHost = (m: MainMessage) => setImmediate(() => {
    const copy = structuredClone(m);
    if (!printing.receive(copy)) host.receive(copy);
  });
  const client = new MessageClient(toHost, print);
  const toMain = (m: HostMessage) => setImmediate(() => client.receive(structuredClone(m)));
  const host = serveMessages(service, toMain, Promise.resolve());
  printing = printOverMessages(toMain);
  return { service, client, printer: printing.printer, receive: (m: unknown) => printing.receive(m) };
}

describe('print channel: core host ↔ main', () => {
  afterAll(() => useReportPrinter(null));

  it.skipIf(!existsSync(REPORT_PAGE))('report.generate in the core is printed by main and written to files', async () => {
    const requests: Parameters<PrintHandler>[0][] = [];
    // A Node Buffer inside a larger pooled buffer, as printToPDF may hand back: only its own bytes must cross.
    const pool = Buffer.from('garbage%PDF-1.7 printed by main%%EOFgarbage');
    const pdf = pool.subarray(7, pool.length - 7);
    const link = connect(async (r) => {
      requests.push(r);
      return { html: '<!doctype html>\n<p>static</p>', pdf };
    });
    useReportPrinter(link.printer);
    try {
      await link.client.call('project.create', { path: join(dir, 'p.gpkg'), settings: { name: 'Print Channel Site' } });
      const r = await link.client.call('report.generate', { outDir: join(dir, 'out'), pdf: true, html: true, paper: 'A3', orientation: 'landscape' });
      expect(r).toMatchObject({ ok: true, value: { html: join(dir, 'out', 'report.html'), pdf: join(dir, 'out', 'report.pdf') } });
      expect(requests).toHaveLength(1);
      expect(requests[0]!.model.meta).toMatchObject({ site: 'Print Channel Site', paper: 'A3', orientation: 'landscape' });
      expect(requests[0]!.want).toEqual({ html: true, pdf: true });
      expect(requests[0]!.spec).toEqual(printSpec(requests[0]!.model.meta));
      expect(readFileSync(join(dir, 'out', 'report.pdf'), 'latin1')).toBe('%PDF-1.7 printed by main%%EOF');
      expect(readFileSync(join(dir, 'out', 'report.html'), 'utf8')).toBe('<!doctype html>\n<p>static</p>');
    } finally {
      useReportPrinter(null);
      link.service.close();
    }
  });

  it.skipIf(!existsSync(REPORT_PAGE))('an error in main fails the report with E_REPORT_RENDER and leaves no file', async () => {
    const link = connect(async () => {
      throw new Error('the report page was not laid out within 60 s');
    });
    useReportPrinter(link.printer);
    try {
      await link.client.call('project.create', { path: join(dir, 'q.gpkg'), settings: { name: 'Q' } });
      const r = await link.client.call('report.generate', { outDir: join(dir, 'out-q'), pdf: true });
      expect(r).toMatchObject({ ok: false, error: { code: 'E_REPORT_RENDER', message: expect.stringContaining('not laid out within 60 s') } });
      expect(readdirSync(join(dir, 'out-q'))).toEqual([]);
    } finally {
      useReportPrinter(null);
      link.service.close();
    }
  });

  it('matches overlapping prints to their answers', async () => {
    const link = connect(async (r) => {
      await new Promise((res) => setTimeout(res, r.model.meta.paper === 'A4' ? 30 : 0));
      return { html: `<p>${r.model.meta.paper}</p>` };
    });
    const want = { html: true, pdf: false };
    const [a4, a3] = await Promise.all([
      link.printer(tinyModel('A4'), want, printSpec(tinyModel('A4').meta)),
      link.printer(tinyModel('A3'), want, printSpec(tinyModel('A3').meta)),
    ]);
    expect([a4.html, a3.html]).toEqual(['<p>A4</p>', '<p>A3</p>']);
    link.service.close();
  });
});

describe('print answers as the core host checks them', () => {
  const posted: PrintRequest[] = [];
  const printing = printOverMessages((m) => posted.push(m));
  const ask = (want = { html: true, pdf: true }) => {
    const p = printing.printer(tinyModel(), want, printSpec(tinyModel().meta));
    return { p, id: posted.at(-1)!.id };
  };
  const pdf = new TextEncoder().encode('%PDF-1.7 x');

  it('rejects answers that miss what was asked for, or are not a PDF', async () => {
    let q = ask();
    printing.receive({ type: 'printed', id: q.id, html: '<p></p>' });
    await expect(q.p).rejects.toThrow('the print window returned no PDF');
    q = ask();
    printing.receive({ type: 'printed', id: q.id, html: '<p></p>', pdf: new TextEncoder().encode('<html>not a pdf') });
    await expect(q.p).rejects.toThrow('the print window returned no PDF');
    q = ask();
    printing.receive({ type: 'printed', id: q.id, pdf });
    await expect(q.p).rejects.toThrow('the print window returned no HTML');
  });

  it('rejects malformed answers by name, and main\'s errors with its message', async () => {
    let q = ask();
    printing.receive({ type: 'printed', id: q.id, html: 42, pdf });
    await expect(q.p).rejects.toThrow(/malformed answer \(html: /);
    q = ask();
    printing.receive({ type: 'printed', id: q.id, html: '', pdf, script: 'alert(1)' });
    await expect(q.p).rejects.toThrow(/malformed answer/);
    q = ask();
    printing.receive({ type: 'printed', id: q.id, error: 'Printing failed' });
    await expect(q.p).rejects.toThrow('Printing failed');
  });

  it('ignores answers for no pending print and says which messages were print answers', async () => {
    const q = ask({ html: true, pdf: false });
    expect(printing.receive({ type: 'printed', id: 999_999, html: 'x' })).toBe(true);
    expect(printing.receive({ type: 'printed', id: 'x' })).toBe(true);
    expect(printing.receive({ type: 'call', id: 1, method: 'app.version', input: {} })).toBe(false);
    expect(printing.receive(null)).toBe(false);
    printing.receive({ type: 'printed', id: q.id, html: '<p>ok</p>' });
    expect(await q.p).toEqual({ html: '<p>ok</p>', pdf: undefined });
  });
});

describe('print requests as main checks them', () => {
  const good = (): PrintRequest => ({ type: 'print', id: 3, model: tinyModel(), want: { html: true, pdf: true }, spec: printSpec(tinyModel().meta) });

  it('refuses malformed requests without printing, naming what is wrong', async () => {
    let printed = 0;
    const print: PrintHandler = async () => {
      printed++;
      return { html: '', pdf: new Uint8Array() };
    };
    const bad: [unknown, RegExp][] = [
      [{ ...good(), spec: { ...good().spec, paper: 'A5' } }, /spec\.paper/],
      [{ ...good(), spec: { ...good().spec, marginsMm: { top: -1, bottom: 0, left: 0, right: 0 } } }, /spec\.marginsMm\.top/],
      [{ ...good(), model: { meta: {} } }, /model\./],
      [{ ...good(), want: { html: 'yes', pdf: true } }, /want\.html/],
      [{ ...good(), path: '/etc/passwd' }, /malformed print request/],
    ];
    for (const [m, message] of bad) {
      const answer = await answerPrint(m, print);
      expect(answer).toMatchObject({ type: 'printed', id: 3 });
      expect((answer as { error: string }).error).toMatch(message);
    }
    expect(printed).toBe(0);
  });

  it('answers nothing to messages that are not print requests or have no usable id', async () => {
    const print: PrintHandler = async () => ({});
    expect(await answerPrint({ ...good(), id: -1 }, print)).toBeNull();
    expect(await answerPrint({ ...good(), id: 1.5 }, print)).toBeNull();
    expect(await answerPrint({ type: 'result', id: 3 }, print)).toBeNull();
    expect(await answerPrint(undefined, print)).toBeNull();
  });

  it('sends only what was asked for', async () => {
    const print: PrintHandler = async () => ({ html: '<p></p>', pdf: new TextEncoder().encode('%PDF-') });
    expect(await answerPrint({ ...good(), want: { html: true, pdf: false } }, print)).toEqual({ type: 'printed', id: 3, html: '<p></p>' });
  });

  it('sends the PDF\'s own bytes, not the pooled buffer a Node Buffer may sit in', async () => {
    const pool = Buffer.alloc(8192, 0x20);
    pool.write('%PDF-1.7 tiny', 100, 'latin1');
    const answer = await answerPrint(good(), async () => ({ html: '', pdf: pool.subarray(100, 113) }));
    const pdf = (answer as { pdf: Uint8Array }).pdf;
    expect(Buffer.from(pdf).toString('latin1')).toBe('%PDF-1.7 tiny');
    expect(pdf.buffer.byteLength).toBe(13);
  });

  it('a main process without a printer answers with an error instead of leaving the core waiting', async () => {
    const sent: MainMessage[] = [];
    const client = new MessageClient((m) => sent.push(m));
    client.receive(good());
    await tick();
    expect(sent).toEqual([{ type: 'printed', id: 3, error: 'this host cannot print reports' }]);
  });
});

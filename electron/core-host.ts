/**
 * The core's own process (Electron utilityProcess): runs EkimaeService so no import, catchment or
 * report ever blocks the main process or the window. Opens the start-up project given as
 * --project=<path>, then answers call messages (core/api/transports/message-host.ts). It has no
 * window, so reports are printed by the main process (electron/report-printer.ts), not by an
 * installed Chrome.
 */
import { EkimaeService } from '../core/api/service.js';
import { printOverMessages, serveMessages } from '../core/api/transports/message-host.js';
import { useReportPrinter } from '../core/report/render.js';
import { openStartupProject } from '../core/api/transports/startup-project.js';

const port = process.parentPort;
const service = new EkimaeService();
const projectArg = process.argv.find((a) => a.startsWith('--project='))?.slice('--project='.length);
const ready = projectArg
  ? openStartupProject(service, projectArg).then((r) => {
      if (!r.ok) console.error(`ekimae core: could not open ${projectArg}: ${r.error.message}`);
    })
  : Promise.resolve();
const host = serveMessages(service, (m) => port.postMessage(m), ready);
const printing = printOverMessages((m) => port.postMessage(m));
useReportPrinter(printing.printer);
port.on('message', (e) => {
  if (!printing.receive(e.data)) host.receive(e.data);
});
process.on('exit', () => service.close());

/**
 * The core in another process: the message protocol between Electron's main process and the
 * utility process that runs EkimaeService (the same shape would serve a worker thread).
 * Calls go out as {type:'call', id, method, input}, results come back as {type:'result', id, result},
 * progress events as {type:'progress', event}. Reports are printed by the main process (the core
 * host has no window): the host asks with {type:'print', id, model, want, spec} and gets
 * {type:'printed', id, html?, pdf?} or {type:'printed', id, error}. Messages are structured-cloned
 * by the channel; each side checks what it receives, since a malformed message is a bug we want named.
 */
import { z } from 'zod';
import type { ErrorData, Result } from '../../errors.js';
import type { ProgressEvent } from '../contract.js';
import type { EkimaeService } from '../service.js';
import { PaperSchema, ReportModelSchema, type ReportModel } from '../../report/model.js';
import type { PrintSpec, ReportPrinter } from '../../report/render.js';

export interface CallMessage { type: 'call'; id: number; method: string; input: unknown }
export interface PrintRequest { type: 'print'; id: number; model: ReportModel; want: { html: boolean; pdf: boolean }; spec: PrintSpec }
export type PrintedMessage =
  | { type: 'printed'; id: number; html?: string; pdf?: Uint8Array }
  | { type: 'printed'; id: number; error: string };
/** Host → main. */
export type HostMessage =
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'progress'; event: ProgressEvent }
  | PrintRequest;
/** Main → host. */
export type MainMessage = CallMessage | PrintedMessage;

/** What the main process does with a print request (Electron: a hidden window's printToPDF). */
export type PrintHandler = (request: Omit<PrintRequest, 'type' | 'id'>) => Promise<{ html?: string; pdf?: Uint8Array }>;

const MessageId = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const MarginMm = z.number().min(0).max(100);

const PrintRequestSchema = z.object({
  type: z.literal('print'),
  id: MessageId,
  model: ReportModelSchema,
  want: z.object({ html: z.boolean(), pdf: z.boolean() }).strict(),
  spec: z.object({
    paper: PaperSchema,
    landscape: z.boolean(),
    marginsMm: z.object({ top: MarginMm, bottom: MarginMm, left: MarginMm, right: MarginMm }).strict(),
    headerTemplate: z.string().max(100_000),
    footerTemplate: z.string().max(100_000),
  }).strict(),
}).strict();

const PrintedSchema = z.object({
  type: z.literal('printed'),
  id: MessageId,
  html: z.string().optional(),
  pdf: z.instanceof(Uint8Array).optional(),
  error: z.string().optional(),
}).strict();

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

function isCallMessage(m: unknown): m is CallMessage {
  const o = m as Partial<CallMessage> | null;
  return !!o && o.type === 'call' && Number.isSafeInteger(o.id) && typeof o.method === 'string';
}

function idOf(m: unknown): number | null {
  const id = (m as { id?: unknown } | null)?.id;
  return MessageId.safeParse(id).success ? (id as number) : null;
}

function issuesText(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ');
}

/**
 * The host side: answers each call message through the service and forwards every progress event.
 * `ready` (e.g. opening the start-up project) completes before the first call is answered.
 */
export function serveMessages(
  service: Pick<EkimaeService, 'call' | 'onProgress'>,
  post: (m: HostMessage) => void,
  ready: Promise<unknown> = Promise.resolve(),
): { receive(m: unknown): void; dispose(): void } {
  const off = service.onProgress((event) => post({ type: 'progress', event }));
  return {
    receive(m) {
      if (!isCallMessage(m)) return;
      void ready
        .catch(() => undefined)
        .then(() => service.call(m.method, m.input))
        .then((result) => post({ type: 'result', id: m.id, result }));
    },
    dispose: off,
  };
}

/**
 * The host side of printing: a ReportPrinter (for useReportPrinter) that asks the main process and
 * waits for its answer. `receive` returns true when the message was a print answer.
 */
export function printOverMessages(post: (m: PrintRequest) => void): { printer: ReportPrinter; receive(m: unknown): boolean } {
  let nextId = 1;
  const pending = new Map<number, { want: PrintRequest['want']; resolve: (r: { html?: string; pdf?: Uint8Array }) => void; reject: (e: Error) => void }>();
  return {
    printer: (model, want, spec) => {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { want, resolve, reject });
        post({ type: 'print', id, model, want, spec });
      });
    },
    receive(m) {
      if ((m as { type?: unknown } | null)?.type !== 'printed') return false;
      const id = idOf(m);
      const waiting = id === null ? undefined : pending.get(id);
      if (!waiting) return true;
      pending.delete(id!);
      const outcome = checkPrinted(m, waiting.want);
      if (outcome instanceof Error) waiting.reject(outcome);
      else waiting.resolve(outcome);
      return true;
    },
  };
}

function checkPrinted(m: unknown, want: PrintRequest['want']): { html?: string; pdf?: Uint8Array } | Error {
  const parsed = PrintedSchema.safeParse(m);
  if (!parsed.success) return new Error(`the print window sent a malformed answer (${issuesText(parsed.error)})`);
  const { html, pdf, error } = parsed.data;
  if (error !== undefined) return new Error(error);
  if (want.pdf && (!pdf || !PDF_MAGIC.every((b, i) => pdf[i] === b))) return new Error('the print window returned no PDF');
  if (want.html && html === undefined) return new Error('the print window returned no HTML');
  return { html, pdf };
}

/**
 * The main side of printing: checks a print request, prints it, and says what to send back.
 * Null when the message is not a print request with a usable id (nothing to answer).
 */
export async function answerPrint(m: unknown, print: PrintHandler): Promise<PrintedMessage | null> {
  const id = idOf(m);
  if ((m as { type?: unknown } | null)?.type !== 'print' || id === null) return null;
  const parsed = PrintRequestSchema.safeParse(m);
  if (!parsed.success) return { type: 'printed', id, error: `malformed print request (${issuesText(parsed.error)})` };
  const { model, want, spec } = parsed.data;
  try {
    const out = await print({ model, want, spec });
    return {
      type: 'printed', id,
      ...(want.html ? { html: out.html } : {}),
      // A Node Buffer may be a view into a larger pooled buffer: send exactly the PDF's bytes.
      ...(want.pdf && out.pdf ? { pdf: new Uint8Array(out.pdf) } : {}),
    };
  } catch (e) {
    return { type: 'printed', id, error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The client side (Electron main): turns calls into messages and matches the results back, and
 * answers the host's print requests with `print`.
 */
export class MessageClient {
  private nextId = 1;
  private pending = new Map<number, (r: Result<unknown>) => void>();
  private listeners = new Set<(e: ProgressEvent) => void>();

  constructor(private post: (m: MainMessage) => void, private print?: PrintHandler) {}

  call(method: string, input: unknown): Promise<Result<unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.post({ type: 'call', id, method, input });
    });
  }

  receive(m: HostMessage): void {
    if (m.type === 'progress') {
      for (const l of this.listeners) l(m.event);
    } else if (m.type === 'result') {
      const resolve = this.pending.get(m.id);
      this.pending.delete(m.id);
      resolve?.(m.result);
    } else if (m.type === 'print') {
      const print = this.print ?? (() => Promise.reject(new Error('this host cannot print reports')));
      // If the host that asked has died meanwhile, there is no one to answer.
      void answerPrint(m, print).then((answer) => answer && this.post(answer)).catch(() => undefined);
    }
  }

  onProgress(listener: (e: ProgressEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The host died: every call in flight ends with this error instead of hanging. */
  failAll(error: ErrorData): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const resolve of waiting) resolve({ ok: false, error });
  }

  get inFlight(): number {
    return this.pending.size;
  }
}

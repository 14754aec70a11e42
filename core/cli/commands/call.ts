/** `ekimae call <method> <json-file|->`: any contract method, JSON in and JSON out. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { EkimaeError } from '../../errors.js';
import { CONTRACT, METHOD_NAMES, isMethodName } from '../../api/contract.js';
import { EXIT_DATA, EXIT_OK, UsageError, type Command } from '../command.js';
import { openProject } from './project.js';
import { redactText } from '../../store/postgis/url.js';

export const callCommand: Command = {
  name: 'call',
  usage: `ekimae call <method> <input.json|-> [--project <project.gpkg|postgresql://…>] [--read-only] [--as-new]
       (--as-new: when a scenario save is refused with E_CONFLICT, save the change as a new scenario instead)
       ekimae call --list              list every method
       ekimae call <method> --schema   print the method's input and output JSON Schema`,
  options: { project: { type: 'string' }, 'read-only': { type: 'boolean' }, list: { type: 'boolean' }, schema: { type: 'boolean' }, 'as-new': { type: 'boolean' } },
  async run({ values, positionals }, svc, io) {
    if (values.list) {
      for (const m of METHOD_NAMES) io.out(`${m.padEnd(28)} ${CONTRACT[m].description}`);
      return EXIT_OK;
    }
    const [method, source] = positionals;
    if (!method) throw new UsageError('missing <method> (ekimae call --list shows them)');
    if (!isMethodName(method)) throw new UsageError(`unknown method "${method}" (ekimae call --list shows them)`);
    if (values.schema) {
      const def = CONTRACT[method];
      io.out(JSON.stringify({ method, description: def.description, input: z.toJSONSchema(def.input, { io: 'input', unrepresentable: 'any' }), output: z.toJSONSchema(def.output, { unrepresentable: 'any' }) }, null, 2));
      return EXIT_OK;
    }
    if (!source) throw new UsageError('missing <input.json|-> (use - for standard input, or a file with {} for no input)');
    let text: string;
    try {
      text = source === '-' ? await io.stdin() : readFileSync(source, 'utf8');
    } catch (e) {
      throw new EkimaeError('E_FILE_NOT_FOUND', `cannot read ${source}: ${(e as Error).message}`);
    }
    let input: unknown;
    try {
      input = text.trim() ? JSON.parse(text) : {};
    } catch (e) {
      throw new EkimaeError('E_INPUT_INVALID', `${source} is not valid JSON: ${(e as Error).message}`);
    }
    if (typeof values.project === 'string') await openProject(svc, values.project, !!values['read-only']);
    let r = await svc.call(method, input);
    const asNew = !r.ok && r.error.code === 'E_CONFLICT' ? (r.error.details?.asNew as { method?: string; input?: unknown } | undefined) : undefined;
    if (values['as-new'] && asNew?.method && isMethodName(asNew.method)) {
      // The refused change is kept as a scenario of its own; the other save stays as it was.
      io.err(redactText(`ekimae call: ${r.ok ? '' : `${r.error.code}: ${r.error.message}`}\nsaving it as a new scenario instead (--as-new)`));
      r = await svc.call(asNew.method, asNew.input);
    }
    if (!r.ok) {
      io.err(redactText(JSON.stringify({ error: r.error }, null, 2)));
      return EXIT_DATA;
    }
    // Typed arrays (the map's binary answers) as JSON arrays, not as objects keyed "0", "1", …; NaN becomes null as JSON has it.
    io.out(JSON.stringify(r.value, (_k, v: unknown) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v), 2));
    return EXIT_OK;
  },
};

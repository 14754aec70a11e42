/** `ekimae keys`: the consultants whose plan packages this installation trusts (core/report/keyring.ts). */
import { readFileSync } from 'node:fs';
import { EkimaeError } from '../../errors.js';
import { EXIT_OK, UsageError, type Command } from '../command.js';

const groupFp = (fp: string) => fp.replace(/(.{4})(?=.)/g, '$1 ');

export const keysCommand: Command = {
  name: 'keys',
  usage: `ekimae keys list [--json]
       ekimae keys add <public-key.pem | fingerprint> --name "Consultant" [--replace]
       ekimae keys remove <name | fingerprint>`,
  options: { name: { type: 'string' }, replace: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values, positionals }, svc, io) {
    const [action, arg, ...extra] = positionals;
    if (extra.length) throw new UsageError(`unexpected ${extra.join(' ')}`);
    if (action === 'list' || action === undefined) {
      const list = await svc.invoke('keys.list', {});
      if (values.json) io.out(JSON.stringify(list));
      else if (list.length === 0) io.out('no trusted signers yet (packages made by this installation are trusted anyway)');
      else for (const s of list) io.out(`${s.name}\n    ${groupFp(s.fingerprint)}  first seen ${s.firstSeen} (${s.source})`);
      return EXIT_OK;
    }
    if (action === 'add') {
      if (!arg) throw new UsageError('add takes a public key file or a fingerprint');
      if (typeof values.name !== 'string') throw new UsageError('add needs --name "…"');
      const fingerprint = /^[0-9a-fA-F\s:]{64,}$/.test(arg) ? arg : undefined;
      let publicKey: string | undefined;
      if (!fingerprint) {
        try { publicKey = readFileSync(arg, 'utf8'); } catch { throw new EkimaeError('E_FILE_NOT_FOUND', `${arg} is neither a readable key file nor a 64-hex fingerprint`, { path: arg }); }
      }
      const s = await svc.invoke('keys.add', { name: values.name, ...(publicKey !== undefined ? { publicKey } : { fingerprint }), replace: !!values.replace });
      io.out(values.json ? JSON.stringify(s) : `trusting "${s.name}": ${groupFp(s.fingerprint)}`);
      return EXIT_OK;
    }
    if (action === 'remove') {
      if (!arg) throw new UsageError('remove takes a name or fingerprint');
      const s = await svc.invoke('keys.remove', { signer: arg });
      io.out(values.json ? JSON.stringify(s) : `no longer trusting "${s.name}" (${groupFp(s.fingerprint)})`);
      return EXIT_OK;
    }
    throw new UsageError(`unknown action "${action}" (list, add, remove)`);
  },
};

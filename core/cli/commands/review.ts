/** `ekimae review`: a council reviewer's comments on a signed plan package, from the command line. */
import { userInfo } from 'node:os';
import type { Output } from '../../api/contract.js';
import { EXIT_OK, UsageError, type Command, type Io } from '../command.js';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function defaultAuthor(): string {
  if (process.env.EKIMAE_AUTHOR) return process.env.EKIMAE_AUTHOR;
  try { return userInfo().username || 'reviewer'; } catch { return 'reviewer'; }
}

function parseAt(s: string): { lon: number; lat: number } {
  const parts = s.split(',').map((x) => x.trim());
  const [lon, lat] = parts.map(Number);
  if (parts.length !== 2 || parts.some((x) => x === '') || !Number.isFinite(lon) || !Number.isFinite(lat)) throw new UsageError(`--at takes lon,lat (got "${s}")`);
  return { lon, lat };
}

function parseParcel(s: string): { layer: string; fid: number } {
  const i = s.lastIndexOf(':');
  const fid = Number(s.slice(i + 1));
  if (i <= 0 || !Number.isInteger(fid) || fid < 0) throw new UsageError(`--parcel takes layer:fid (got "${s}")`);
  return { layer: s.slice(0, i), fid };
}

function printComment(io: Io, c: Output<'review.list'>[number]): void {
  const on = c.layer ? `  on ${c.layer}${c.fid === null ? '' : `:${c.fid}`}` : '';
  const older = c.currentPackage ? '' : '  (earlier package version)';
  io.out(`${c.id}  [${c.status}]  ${c.lon.toFixed(6)},${c.lat.toFixed(6)}${on}${older}\n    ${c.author}, ${c.createdAt}: ${c.text.replace(/\n/g, '\n    ')}`);
}

export const reviewCommand: Command = {
  name: 'review',
  usage: `ekimae review <package folder or .zip> [--list] [--add "text" (--at lon,lat | --parcel layer:fid) [--author name]]
       [--resolve <id>] [--remove <id>] [--export comments.gpkg|comments.geojson [--overwrite]] [--key <key id>] [--accept-signer <fingerprint> [--name "Signer"]] [--review-file <path>] [--json]`,
  options: {
    list: { type: 'boolean' }, add: { type: 'string' }, at: { type: 'string' }, author: { type: 'string' }, parcel: { type: 'string' },
    resolve: { type: 'string' }, remove: { type: 'string' }, export: { type: 'string' }, overwrite: { type: 'boolean' },
    key: { type: 'string' }, 'accept-signer': { type: 'string' }, name: { type: 'string' }, 'review-file': { type: 'string' }, json: { type: 'boolean' },
  },
  async run({ values, positionals }, svc, io) {
    if (positionals.length !== 1) throw new UsageError('give exactly one package');
    const actions = ['add', 'resolve', 'remove', 'export'].filter((k) => values[k] !== undefined);
    if (actions.length > 1) throw new UsageError(`one action at a time (got --${actions.join(', --')})`);
    if ((values.at !== undefined || values.parcel !== undefined || values.author !== undefined) && values.add === undefined) throw new UsageError('--at, --parcel and --author go with --add');
    const exportPath = str(values.export);
    let format: 'gpkg' | 'geojson' | undefined;
    if (exportPath !== undefined) {
      format = /\.gpkg$/i.test(exportPath) ? 'gpkg' : /\.(geo)?json$/i.test(exportPath) ? 'geojson' : undefined;
      if (!format) throw new UsageError('--export writes a .gpkg or .geojson file');
    }
    const add = str(values.add);
    const at = str(values.at) ? parseAt(str(values.at)!) : undefined;
    const parcel = str(values.parcel) ? parseParcel(str(values.parcel)!) : undefined;
    if (add !== undefined && !at && !parcel) throw new UsageError('--add needs --at lon,lat or --parcel layer:fid');

    const accept = str(values['accept-signer']);
    if (values.name !== undefined && !accept) throw new UsageError('--name goes with --accept-signer');
    const opened = await svc.invoke('review.open', {
      package: positionals[0], trustedKeyId: str(values.key), reviewFile: str(values['review-file']),
      ...(accept ? { acceptSigner: { fingerprint: accept, ...(str(values.name) ? { name: str(values.name) } : {}) } } : {}),
    });
    try {
      if (add !== undefined) {
        const c = await svc.invoke('review.addComment', { text: add, author: str(values.author) ?? defaultAuthor(), ...at, ...parcel });
        if (values.json) io.out(JSON.stringify(c)); else { io.out(`added to ${opened.reviewFile}`); printComment(io, c); }
      } else if (str(values.resolve)) {
        const c = await svc.invoke('review.updateComment', { id: str(values.resolve)!, status: 'resolved' });
        if (values.json) io.out(JSON.stringify(c)); else printComment(io, c);
      } else if (str(values.remove)) {
        const r = await svc.invoke('review.removeComment', { id: str(values.remove)! });
        io.out(values.json ? JSON.stringify(r) : `removed ${r.removed}`);
      } else if (exportPath !== undefined) {
        const r = await svc.invoke('review.export', { format: format!, path: exportPath, overwrite: !!values.overwrite });
        io.out(values.json ? JSON.stringify(r) : `wrote ${r.path}: ${r.layers[0]?.count ?? 0} comments (import it into the project with "ekimae import")`);
      } else {
        const list = await svc.invoke('review.list', {});
        if (values.json) io.out(JSON.stringify(list));
        else {
          io.out(`${opened.package}: verified, signed by ${opened.signer.status === 'own' ? 'this installation' : `"${opened.signer.name}"`} (${(opened.signer.fingerprint ?? '').replace(/(.{4})(?=.)/g, '$1 ')}); ${list.length} comment(s) in ${opened.reviewFile}`);
          for (const c of list) printComment(io, c);
        }
      }
    } finally {
      await svc.invoke('review.close', {});
    }
    return EXIT_OK;
  },
};

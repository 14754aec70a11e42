/**
 * Which fields leave the project in an export or a plan package. Personal fields stay behind
 * unless included; free-text fields (flagged for review) stop the export until the user says, for
 * each, whether it goes or stays, because only a person can tell a remark from an owner's story.
 */
import { EkimaeError } from '../errors.js';
import type { LayerInfo } from '../store/project.js';
import { isReviewReason } from './field-detect.js';

export interface FieldChoice {
  /** Every personal field (and every free-text one) goes out. */
  includePersonal?: boolean;
  /** "layer.field" (or "field", for every layer) to send although flagged. */
  includeFields?: string[];
  /** "layer.field" (or "field") to leave out although not flagged. */
  excludeFields?: string[];
}

export interface FieldDrop { layer: string; field: string; reason: string }

function named(list: string[] | undefined, layer: string, field: string): boolean {
  return !!list?.some((x) => x === field || x === `${layer}.${field}`);
}

/** The fields of one layer to leave out, and those still waiting for a decision. */
export function fieldDecisions(info: LayerInfo, choice: FieldChoice): { drop: FieldDrop[]; undecided: string[] } {
  const drop: FieldDrop[] = [];
  const undecided: string[] = [];
  for (const f of info.fields) {
    if (named(choice.excludeFields, info.name, f.name)) { drop.push({ layer: info.name, field: f.name, reason: 'excluded by the user' }); continue; }
    if (named(choice.includeFields, info.name, f.name) || !f.personal || choice.includePersonal) continue;
    if (isReviewReason(f.personalReason)) undecided.push(`${info.name}.${f.name}`);
    else drop.push({ layer: info.name, field: f.name, reason: f.personalReason ?? 'marked personal' });
  }
  return { drop, undecided };
}

/** Refuse (E_FIELD_REVIEW, naming every field) while any free-text field of these layers is undecided. */
export function requireDecided(layers: LayerInfo[], choice: FieldChoice): void {
  for (const list of [choice.includeFields, choice.excludeFields]) {
    for (const x of list ?? []) {
      const [l, f] = x.includes('.') ? [x.slice(0, x.indexOf('.')), x.slice(x.indexOf('.') + 1)] : [null, x];
      if (!layers.some((i) => (l === null || i.name === l) && i.fields.some((g) => g.name === f)) && !layers.some((i) => i.fields.some((g) => g.name === x))) {
        throw new EkimaeError('E_FIELD_NOT_FOUND', `no field "${x}" in ${layers.map((i) => i.name).join(', ')} (give layer.field)`, { field: x });
      }
    }
  }
  const undecided = layers.flatMap((l) => fieldDecisions(l, choice).undecided);
  if (undecided.length) {
    throw new EkimaeError('E_FIELD_REVIEW',
      `${undecided.join(', ')} ${undecided.length === 1 ? 'holds' : 'hold'} free text that may name people; include or exclude each before it leaves the project (--include-field / --exclude-field layer.field, or mark it personal or not)`,
      { fields: undecided });
  }
}

// The message catalogue: every key the renderer uses exists in English, every stable error code
// has plain-words help, the other languages only use English keys, and the UI's role list mirrors
// core's (the renderer may not import core values, so it keeps a copy that this test pins).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/i18n/en.js';
import { ja } from '../../renderer/i18n/ja.js';
import { th } from '../../renderer/i18n/th.js';
import { translator, pickLanguage } from '../../renderer/i18n/index.js';
import { ERROR_CODES } from '../../core/api/errors.js';
import { LAYER_ROLES, SEMANTIC_FIELDS } from '../../core/store/layer-roles.js';
import { LAYER_ROLE_LIST, SEMANTIC_BY_ROLE } from '../../renderer/state/roles.js';

function sources(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) { if (n !== 'i18n') sources(p, out); } else if (/\.(ts|tsx)$/.test(n)) out.push(p);
  }
  return out;
}

describe('message catalogue', () => {
  const files = sources('renderer');

  it('has every literal key used with t(...) in English', () => {
    const used = new Set<string>();
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(60);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
  });

  it('has every key built from a template (role.*, semantic.*, help.*) in English', () => {
    for (const r of LAYER_ROLES) expect(en).toHaveProperty([`role.${r}`]);
    for (const fields of Object.values(SEMANTIC_FIELDS)) for (const s of fields) expect(en).toHaveProperty([`semantic.${s}`]);
    const missing = Object.keys(ERROR_CODES).filter((c) => !(`help.${c}` in en));
    expect(missing).toEqual([]);
  });

  it('has no Japanese or Thai key that English lacks, and both are started', () => {
    expect(Object.keys(ja).filter((k) => !(k in en))).toEqual([]);
    expect(Object.keys(th).filter((k) => !(k in en))).toEqual([]);
    expect(Object.keys(ja).length).toBeGreaterThan(40);
    expect(Object.keys(th).length).toBeGreaterThan(40);
  });

  it('fills placeholders and falls back to English', () => {
    expect(translator('en')('layers.count', { n: 12 })).toBe('12 features');
    expect(translator('ja')('layers.count', { n: 12 })).toBe('12 件');
    expect(translator('th')('help.E_CRS_UNKNOWN')).toBe(en['help.E_CRS_UNKNOWN']);
    expect(pickLanguage(['th-TH', 'en'])).toBe('th');
    expect(pickLanguage(['fr-FR'])).toBe('en');
  });

  it('lists the same roles and semantic fields as core', () => {
    expect([...LAYER_ROLE_LIST]).toEqual([...LAYER_ROLES]);
    for (const r of LAYER_ROLES) expect([...SEMANTIC_BY_ROLE[r]]).toEqual([...SEMANTIC_FIELDS[r]]);
  });
});

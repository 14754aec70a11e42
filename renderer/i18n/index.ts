/** The message catalogue: t(key, vars) looks the key up in the chosen language, then English. */
import { createContext, useContext } from 'react';
import { en, type MessageKey } from './en.js';
import { ja } from './ja.js';
import { th } from './th.js';

export type { MessageKey };
export const LANGUAGES = { en: 'English', ja: '日本語', th: 'ไทย' } as const;
export type Lang = keyof typeof LANGUAGES;

const CATALOGUES: Record<Lang, Partial<Record<MessageKey, string>>> = { en, ja, th };

/** `lang`: the language it speaks, for words the core writes (scenario.history's change lines). */
export type Translate = ((key: MessageKey, vars?: Record<string, string | number>) => string) & { lang?: Lang };

export function translator(lang: Lang): Translate {
  const cat = CATALOGUES[lang];
  return Object.assign((key: MessageKey, vars?: Record<string, string | number>) => {
    const s = cat[key] ?? en[key];
    return vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : s;
  }, { lang });
}

export function isMessageKey(s: string): s is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, s);
}

export function pickLanguage(preferred: readonly string[]): Lang {
  for (const p of preferred) {
    const base = p.toLowerCase().split('-')[0];
    if (base === 'en' || base === 'ja' || base === 'th') return base;
  }
  return 'en';
}

export const I18nContext = createContext<Translate>(translator('en'));
export const useT = (): Translate => useContext(I18nContext);

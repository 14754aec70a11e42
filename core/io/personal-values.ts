/**
 * What one attribute value looks like, as personal data: identity numbers checked by their check
 * digits (so a 13-digit parcel number is not taken for a Thai ID), phone numbers, e-mail addresses
 * and person names (honorifics, Thai title prefixes, Japanese family names, common given names).
 * Pure functions on one string; field-detect.ts decides over a sample of a whole layer.
 */
import { FAMILY_JA, GIVEN_LATIN, GIVEN_THAI, PLACE_WORDS } from './personal-names.js';

export type PersonalKind = 'thai-id' | 'aadhaar' | 'pan' | 'email' | 'phone' | 'person-name';

/** Thai citizen ID: 13 digits; check digit = (11 − Σ_{i=1..12} d_i·(14 − i) mod 11) mod 10. */
export function thaiIdValid(digits: string): boolean {
  if (!/^\d{13}$/.test(digits)) return false;
  let s = 0;
  for (let i = 0; i < 12; i++) s += Number(digits[i]) * (13 - i);
  return (11 - (s % 11)) % 10 === Number(digits[12]);
}

// Verhoeff's dihedral-group tables (Verhoeff 1969), as used for Aadhaar's 12th digit.
const V_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1], [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const V_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1], [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** Verhoeff check over a digit string that includes its check digit. */
export function verhoeffValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let c = 0;
  for (let i = 0; i < digits.length; i++) c = V_D[c][V_P[i % 8][Number(digits[digits.length - 1 - i])]];
  return c === 0;
}

/** Aadhaar: 12 digits, first 2–9, Verhoeff check digit. */
export function aadhaarValid(digits: string): boolean {
  return /^[2-9]\d{11}$/.test(digits) && verhoeffValid(digits);
}

// Digits grouped by spaces, dashes or dots only (how IDs are written on cards and in spreadsheets).
const GROUPED_DIGITS = /^\d[\d\s.-]*\d$/;

/** The value's identity-number shape: digits with separators stripped, when it is written like one. */
function idDigits(v: string): string | null {
  return GROUPED_DIGITS.test(v) ? v.replace(/[\s.-]/g, '') : null;
}

/** The shape of an ID (right number of digits), whether or not its check digit holds. */
export function idShape(v: string): 'thai-id' | 'aadhaar' | null {
  const d = idDigits(v);
  if (d?.length === 13) return 'thai-id';
  if (d?.length === 12 && /^[2-9]/.test(d)) return 'aadhaar';
  return null;
}

// PAN: 5 letters (the 4th says the holder type: P person, C company, H HUF, …), 4 digits, 1 letter.
const PAN = /^[A-Z]{3}[ABCFGHJLPT][A-Z]\d{4}[A-Z]$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;
// Thai: +66 or 0, then a mobile (6/8/9 + 8 digits) or a Bangkok/provincial line (2–7 + 7 digits).
const PHONE_TH = /^(?:\+66[\s-]?|0)(?:[689](?:[\s-]?\d){8}|[2-7](?:[\s-]?\d){7})$/;
// India: optional +91/0, a mobile number starting 6–9 (10 digits).
const PHONE_IN = /^(?:\+91[\s-]?|0)?[6-9](?:[\s-]?\d){9}$/;
// Anything else written internationally: + country code and 7–13 more digits.
const PHONE_INTL = /^\+\d{1,3}(?:[\s-]?\(?\d+\)?){2,6}$/;

const THAI_TITLE = /^(?:นาย|นางสาว|นาง|น\.ส\.|ด\.ช\.|ด\.ญ\.|เด็กชาย|เด็กหญิง)\s*[\u0E01-\u0E4E]{2,}/;
const HONORIFIC = /^(?:mr|mrs|ms|miss|dr|shri|shrimati|smt|sri|kumari|km|khun)\.?\s+\p{L}{2,}/iu;
const JA_SUFFIX = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\s　]{2,8}(?:様|さま|さん|殿)$/u;
const JA_NAME = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]{1,4}$/u;
// 田中町, 山本駅: a family name is also a place name when a place character follows.
const JA_PLACE = /[町村駅区市郡通線橋川台道園寺神社]$/u;
const LATIN_WORD = /^\p{Lu}[\p{Ll}'.-]+$|^\p{Lu}{2,}$/u;

/** Does the value read as one person's name? */
export function looksLikePersonName(v: string): boolean {
  const s = v.trim();
  if (s.length < 3 || s.length > 60) return false;
  if (THAI_TITLE.test(s) || HONORIFIC.test(s) || JA_SUFFIX.test(s)) return true;
  // Japanese: a common family name in kanji, then a given name of 1–3 characters (a space between or not).
  for (const fam of FAMILY_JA) {
    if (!s.startsWith(fam)) continue;
    const rest = s.slice(fam.length).replace(/^[\s　]/, '');
    if (rest.length >= 1 && rest.length <= 3 && JA_NAME.test(rest) && !JA_PLACE.test(rest)) return true;
  }
  const tokens = s.split(/\s+/);
  if (tokens.length < 2 || tokens.length > 4) return false;
  // Thai script: a common given name, then a family name (both in Thai letters).
  if (tokens.every((t) => /^[\u0E01-\u0E4E]+$/.test(t))) return tokens.length <= 3 && GIVEN_THAI.has(tokens[0]);
  // Latin script (romanised Thai, Indian, Japanese): capitalised words, one a common given name, none a place word.
  if (!tokens.every((t) => LATIN_WORD.test(t))) return false;
  const low = tokens.map((t) => t.toLowerCase().replace(/[.']/g, ''));
  if (low.some((t) => PLACE_WORDS.has(t))) return false;
  return low.some((t) => GIVEN_LATIN.has(t));
}

/** What kind of personal value this is, if any. Identity numbers count only when their check digit holds. */
export function classifyValue(raw: string): PersonalKind | null {
  const v = raw.trim();
  if (!v) return null;
  const d = idDigits(v);
  if (d) {
    if (d.length === 13 && thaiIdValid(d)) return 'thai-id';
    if (d.length === 12 && aadhaarValid(d)) return 'aadhaar';
  }
  if (PAN.test(v)) return 'pan';
  if (EMAIL.test(v)) return 'email';
  if (PHONE_TH.test(v) || PHONE_IN.test(v) || PHONE_INTL.test(v)) return 'phone';
  if (looksLikePersonName(v)) return 'person-name';
  return null;
}

/** Personal values written inside longer text (a remark naming an owner and their phone). */
export function findInText(text: string): PersonalKind[] {
  const found = new Set<PersonalKind>();
  for (const m of text.matchAll(/\+?\d[\d\s.-]{8,16}\d/g)) {
    const k = classifyValue(m[0]);
    if (k) found.add(k);
  }
  if (/[^@\s]+@[^@\s]+\.[a-z]{2,}/i.test(text)) found.add('email');
  if (/(?:^|\s)(?:นาย|นางสาว|นาง|mr\.?|mrs\.?|ms\.?|shri|smt\.?|khun)\s*\S/iu.test(text)) found.add('person-name');
  return [...found];
}

/**
 * The words of a scenario's version changes (changes.ts) in English, Japanese and Thai. The same
 * lines reach the app's Versions list (scenario.history) and the report's versions table, so a Thai
 * council or a Japanese team reads what changed in its own language. Terms follow the report's
 * dictionaries (report/i18n: 最大容積率, 建蔽率, FAR สูงสุด, …) so one word means one thing across both.
 * Band names, layer names and parcel ids are the project's own and stay as they are.
 */
export const CHANGE_LANGS = ['en', 'ja', 'th'] as const;
export type ChangeLang = (typeof CHANGE_LANGS)[number];

type V = Record<string, string | number>;
type Template = string;

export interface ChangeWords {
  /** Between items of a list (bands, uses, fids). */
  sep: string;
  /** Between the parts of one line (a rule's field changes, override groups, "bands; uses"). */
  join: string;
  quote(s: string): string;
  allBands: string; allUses: string; all: string; none: string;
  /** Land-use and exclusion vocabulary (scenario/vocabulary.ts) by code; other codes stay as written. */
  landUse: Record<string, string>;
  /** Band names the default scenarios give (the report translates the same ones); a project's own stay. */
  band: Record<string, string>;
  exclusionKind: Record<string, string>;
  split: { residential: string; commercial: string; office: string; civic: string };
  t: {
    maxFar: Template; maxFloors: Template; coverage: Template; openSpace: Template; useSplit: Template; parking: Template;
    parkingValue: Template; bands: Template; landUses: Template; ruleText: Template;
    ruleAdded: Template; ruleChanged: Template; ruleRemovedPrevious: Template; ruleRemoved: Template; reordered: Template;
    bandAdded: Template; bandChanged: Template; bandRemoved: Template;
    exclusionAdded: Template; exclusionWithin: Template; exclusionBuffer: Template; exclusionRemoved: Template;
    overrides: Template; overrideFids1: Template; overrideFidsN: Template; overridesAdded: Template; overridesChanged: Template; overridesRemoved: Template; overridesMore: Template;
    name: Template; description: Template; softSite: Template; publicLand: Template;
    publicLandOwn: Template; publicLandKeep: Template; publicLandAsPrivate: Template;
    zoneLayer: Template; induced: Template; rezonesOn: Template; rezonesOff: Template;
  };
}

const EN: ChangeWords = {
  sep: ', ', join: '; ', quote: (s) => `"${s}"`,
  allBands: 'all bands', allUses: 'all uses', all: 'all', none: 'none',
  landUse: {}, band: {}, exclusionKind: {},
  split: { residential: 'residential', commercial: 'commercial', office: 'office', civic: 'civic' },
  t: {
    maxFar: 'max FAR {a} → {b}', maxFloors: 'max floors {a} → {b}', coverage: 'coverage {a} → {b}', openSpace: 'open space {a} → {b}',
    useSplit: 'use split {a} → {b}', parking: 'parking {a} → {b}', parkingValue: '{d}/dwelling and {n}/100 m²',
    bands: 'bands {a} → {b}', landUses: 'land uses {a} → {b}', ruleText: 'max FAR {far}, max floors {floors}, coverage {coverage}',
    ruleAdded: 'rule {n} added ({who}): {text}', ruleChanged: 'rule {n} ({who}): {fields}',
    ruleRemovedPrevious: 'rule {n} of the previous version removed ({who})', ruleRemoved: 'rule {n} removed ({who})',
    reordered: 'rules reordered (later rules win where they overlap)',
    bandAdded: 'band {name} added ({from}–{to} m)', bandChanged: 'band {name} {a}–{b} m → {c}–{d} m', bandRemoved: 'band {name} removed',
    exclusionAdded: 'exclusion added: {kind} from layer {layer}{within}', exclusionWithin: ' within {m} m',
    exclusionBuffer: 'exclusion {kind} (layer {layer}): buffer {a} → {b} m', exclusionRemoved: 'exclusion removed: {kind} from layer {layer}',
    overrides: 'parcel overrides: {parts}', overrideFids1: 'parcel {list}', overrideFidsN: 'parcels {list}', overridesAdded: '{n} added ({fids})', overridesChanged: '{n} changed ({fids})',
    overridesRemoved: '{n} removed ({fids})', overridesMore: ', …',
    name: 'name {a} → {b}', description: 'description edited', softSite: 'soft-site factor {a} → {b}', publicLand: 'public land {a} → {b}',
    publicLandOwn: 'own factor {f}', publicLandKeep: 'kept', publicLandAsPrivate: 'as private land',
    zoneLayer: 'zone layer {a} → {b}', induced: 'induced growth {a} → {b} of the baseline',
    rezonesOn: 'now rezones agricultural land', rezonesOff: 'no longer rezones agricultural land',
  },
};

const JA: ChangeWords = {
  sep: '、', join: '；', quote: (s) => `「${s}」`,
  allBands: 'すべての距離帯', allUses: 'すべての用途', all: 'すべて', none: 'なし',
  landUse: {
    residential: '住宅', commercial: '商業', office: '業務', mixed_use: '複合用途', industrial: '工業', civic: '公共公益',
    open_space: 'オープンスペース', transport: '交通', vacant: '空地', water: '水面',
  },
  band: { outside: '徒歩圏外' },
  exclusionKind: { heritage: '文化財', open_space: 'オープンスペース', water: '水面', rail_corridor: '鉄道用地', flood: '浸水想定区域', other: 'その他' },
  split: { residential: '住宅', commercial: '商業', office: '業務', civic: '公共' },
  t: {
    maxFar: '最大容積率 {a} → {b}', maxFloors: '最大階数 {a} → {b}', coverage: '建蔽率 {a} → {b}', openSpace: 'オープンスペース {a} → {b}',
    useSplit: '用途構成 {a} → {b}', parking: '駐車場 {a} → {b}', parkingValue: '住戸あたり {d} 台・非住宅 100 m² あたり {n} 台',
    bands: '距離帯 {a} → {b}', landUses: '土地利用 {a} → {b}', ruleText: '最大容積率 {far}、最大階数 {floors}、建蔽率 {coverage}',
    ruleAdded: 'ルール {n} を追加（{who}）：{text}', ruleChanged: 'ルール {n}（{who}）：{fields}',
    ruleRemovedPrevious: '前の版のルール {n} を削除（{who}）', ruleRemoved: 'ルール {n} を削除（{who}）',
    reordered: 'ルールの順序を変更（重なる部分では後のルールが優先）',
    bandAdded: '距離帯{name}を追加（{from}–{to} m）', bandChanged: '距離帯{name} {a}–{b} m → {c}–{d} m', bandRemoved: '距離帯{name}を削除',
    exclusionAdded: '除外区域を追加：レイヤー {layer} の{kind}{within}', exclusionWithin: '（{m} m 以内）',
    exclusionBuffer: '除外区域 {kind}（レイヤー {layer}）：バッファ {a} → {b} m', exclusionRemoved: '除外区域を削除：レイヤー {layer} の{kind}',
    overrides: '敷地ごとの設定：{parts}', overrideFids1: '敷地 {list}', overrideFidsN: '敷地 {list}', overridesAdded: '追加 {n} 件（{fids}）', overridesChanged: '変更 {n} 件（{fids}）',
    overridesRemoved: '削除 {n} 件（{fids}）', overridesMore: '、…',
    name: '名称{a}→{b}', description: '説明を編集', softSite: '再開発閾値（ソフトサイト係数）{a} → {b}', publicLand: '公有地 {a} → {b}',
    publicLandOwn: '独自の係数 {f}', publicLandKeep: '現状維持', publicLandAsPrivate: '民有地と同じ規則',
    zoneLayer: 'ゾーンレイヤー {a} → {b}', induced: '誘発される成長（基準成長に対して）{a} → {b}',
    rezonesOn: '農地の用途変更を行うよう変更', rezonesOff: '農地の用途変更を行わないよう変更',
  },
};

const TH: ChangeWords = {
  sep: ', ', join: '; ', quote: (s) => `“${s}”`,
  allBands: 'ทุกช่วงระยะ', allUses: 'ทุกการใช้ประโยชน์', all: 'ทั้งหมด', none: 'ไม่มี',
  landUse: {
    residential: 'ที่อยู่อาศัย', commercial: 'พาณิชยกรรม', office: 'สำนักงาน', mixed_use: 'ผสมผสาน', industrial: 'อุตสาหกรรม',
    civic: 'สถาบันราชการ', open_space: 'พื้นที่โล่ง', transport: 'คมนาคม', vacant: 'ที่ว่าง', water: 'แหล่งน้ำ',
  },
  band: { outside: 'นอกพื้นที่เดินเท้า' },
  exclusionKind: { heritage: 'มรดกทางวัฒนธรรม', open_space: 'พื้นที่โล่ง', water: 'แหล่งน้ำ', rail_corridor: 'เขตทางรถไฟ', flood: 'พื้นที่เสี่ยงน้ำท่วม', other: 'อื่น ๆ' },
  split: { residential: 'อยู่อาศัย', commercial: 'พาณิชย์', office: 'สำนักงาน', civic: 'สาธารณะ' },
  t: {
    maxFar: 'FAR สูงสุด {a} → {b}', maxFloors: 'จำนวนชั้นสูงสุด {a} → {b}', coverage: 'สัดส่วนพื้นที่ปกคลุม {a} → {b}', openSpace: 'พื้นที่โล่ง {a} → {b}',
    useSplit: 'สัดส่วนการใช้ {a} → {b}', parking: 'ที่จอดรถ {a} → {b}', parkingValue: '{d} คันต่อหน่วยที่อยู่อาศัย และ {n} คันต่อ 100 ตร.ม.',
    bands: 'ช่วงระยะ {a} → {b}', landUses: 'การใช้ประโยชน์ที่ดิน {a} → {b}', ruleText: 'FAR สูงสุด {far}, จำนวนชั้นสูงสุด {floors}, สัดส่วนพื้นที่ปกคลุม {coverage}',
    ruleAdded: 'เพิ่มข้อกำหนดที่ {n} ({who}): {text}', ruleChanged: 'ข้อกำหนดที่ {n} ({who}): {fields}',
    ruleRemovedPrevious: 'ลบข้อกำหนดที่ {n} ของฉบับก่อน ({who})', ruleRemoved: 'ลบข้อกำหนดที่ {n} ({who})',
    reordered: 'เปลี่ยนลำดับข้อกำหนด (ข้อกำหนดที่อยู่หลังมีผลเหนือกว่าในส่วนที่ซ้อนทับกัน)',
    bandAdded: 'เพิ่มช่วงระยะ {name} ({from}–{to} ม.)', bandChanged: 'ช่วงระยะ {name} {a}–{b} ม. → {c}–{d} ม.', bandRemoved: 'ลบช่วงระยะ {name}',
    exclusionAdded: 'เพิ่มพื้นที่ยกเว้น: {kind} จากชั้นข้อมูล {layer}{within}', exclusionWithin: ' ภายในระยะ {m} ม.',
    exclusionBuffer: 'พื้นที่ยกเว้น {kind} (ชั้นข้อมูล {layer}): ระยะกันชน {a} → {b} ม.', exclusionRemoved: 'ลบพื้นที่ยกเว้น: {kind} จากชั้นข้อมูล {layer}',
    overrides: 'การกำหนดรายแปลง: {parts}', overrideFids1: 'แปลง {list}', overrideFidsN: 'แปลง {list}', overridesAdded: 'เพิ่ม {n} แปลง ({fids})', overridesChanged: 'เปลี่ยน {n} แปลง ({fids})',
    overridesRemoved: 'ลบ {n} แปลง ({fids})', overridesMore: ', …',
    name: 'ชื่อ {a} → {b}', description: 'แก้ไขคำอธิบาย', softSite: 'ตัวคูณแปลงพร้อมพัฒนา {a} → {b}', publicLand: 'ที่ดินของรัฐ {a} → {b}',
    publicLandOwn: 'ตัวคูณของตนเอง {f}', publicLandKeep: 'คงไว้ตามเดิม', publicLandAsPrivate: 'ใช้ข้อกำหนดเดียวกับที่ดินเอกชน',
    zoneLayer: 'ชั้นข้อมูลเขต {a} → {b}', induced: 'การเติบโตที่โครงการดึงดูดเพิ่ม (เทียบกับการเติบโตฐาน) {a} → {b}',
    rezonesOn: 'เปลี่ยนเป็นอนุญาตให้เปลี่ยนการใช้ที่ดินเกษตรกรรม', rezonesOff: 'เลิกอนุญาตให้เปลี่ยนการใช้ที่ดินเกษตรกรรม',
  },
};

export const CHANGE_WORDS: Record<ChangeLang, ChangeWords> = { en: EN, ja: JA, th: TH };

/** A template with its {names} filled in. */
export const fillIn = (s: Template, v: V = {}) => s.replace(/\{(\w+)\}/g, (m, k: string) => (k in v ? String(v[k]) : m));

/**
 * Small lists of common person names for recognising owner-name columns by their content
 * (Thailand, India, Japan: where Ekimae's projects are). Only common given names and family
 * names that are not also place or street names in those countries (no "Ram", "Patel",
 * "Gandhi": Ram Inthra Road, Patel Nagar, Gandhinagar). A hit needs a given name; a list this
 * short misses rare names, which is why fields are also checked by name and free text is asked about.
 */

/** Romanised given names, lower case. */
export const GIVEN_LATIN: ReadonlySet<string> = new Set([
  // Thai (RTGS and common English spellings)
  'somchai', 'somsak', 'somsri', 'somporn', 'somboon', 'sompong', 'prasert', 'prasit', 'wichai', 'wichian', 'sunthorn',
  'malee', 'malai', 'anong', 'apinya', 'boonmee', 'chaiwat', 'chalerm', 'kanya', 'kannika', 'kittipong', 'manop', 'narong',
  'niran', 'nipon', 'pornthip', 'prayut', 'rattana', 'sakchai', 'siriporn', 'sukanya', 'supachai', 'surachai', 'suwit',
  'thanom', 'thongchai', 'wanida', 'wilai', 'yupin', 'pimchanok', 'nattapong', 'waraporn', 'arunee', 'busaba', 'chanida',
  // India (Hindi, Marathi, Gujarati, South Indian)
  'rajesh', 'ramesh', 'suresh', 'mahesh', 'dinesh', 'ganesh', 'mukesh', 'rakesh', 'amit', 'anil', 'sunil', 'vijay', 'sanjay',
  'ajay', 'ashok', 'arun', 'deepak', 'manoj', 'prakash', 'pramod', 'rahul', 'ravi', 'sachin', 'santosh', 'vinod', 'nitin',
  'priya', 'pooja', 'anita', 'sunita', 'kavita', 'rekha', 'meena', 'asha', 'lakshmi', 'geeta', 'savita', 'usha', 'neha',
  'jignesh', 'hiren', 'bhavesh', 'kalpesh', 'nilesh', 'paresh', 'alpesh', 'hetal', 'dhaval', 'mehul', 'chirag', 'kiran',
  'venkatesh', 'srinivas', 'murali', 'balaji', 'lalita', 'shubhangi', 'vaishali', 'swati', 'archana', 'madhuri',
  // Japan (romanised)
  'hiroshi', 'takashi', 'kenji', 'yuki', 'haruto', 'sota', 'yuto', 'kenta', 'daisuke', 'takumi', 'shota', 'naoki', 'kazuo',
  'akira', 'makoto', 'satoshi', 'taro', 'ichiro', 'jiro', 'yoko', 'yumiko', 'keiko', 'akiko', 'tomoko', 'naoko', 'hanako',
  'sakura', 'aoi', 'yui', 'mei', 'misaki', 'emi', 'ayumi', 'kaori',
  // English given names that appear in consultants' test data
  'john', 'mary', 'james', 'david', 'michael', 'sarah', 'robert', 'elizabeth',
]);

/** Thai given names in Thai script (the first word of a name written without a title). */
export const GIVEN_THAI: ReadonlySet<string> = new Set([
  'สมชาย', 'สมศักดิ์', 'สมศรี', 'สมพร', 'สมบูรณ์', 'สมปอง', 'ประเสริฐ', 'ประสิทธิ์', 'วิชัย', 'วิเชียร', 'สุนทร', 'มาลี',
  'มาลัย', 'อนงค์', 'อภิญญา', 'บุญมี', 'ชัยวัฒน์', 'เฉลิม', 'กันยา', 'กรรณิการ์', 'กิตติพงษ์', 'มานพ', 'ณรงค์', 'นิรันดร์',
  'นิพนธ์', 'พรทิพย์', 'รัตนา', 'ศักดิ์ชัย', 'ศิริพร', 'สุกัญญา', 'ศุภชัย', 'สุรชัย', 'สุวิทย์', 'ถนอม', 'ธงชัย', 'วนิดา',
  'วิไล', 'ยุพิน', 'ณัฐพงศ์', 'วราภรณ์', 'อรุณี', 'บุษบา', 'ชนิดา',
]);

/** The commonest Japanese family names in kanji. */
export const FAMILY_JA: readonly string[] = [
  '佐々木', '佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '渡邊', '山本', '中村', '小林', '加藤', '吉田', '山田', '山口',
  '松本', '井上', '木村', '斎藤', '斉藤', '清水', '山崎', '森田', '池田', '橋本', '阿部', '石川', '山下', '中島', '小川',
];

/** Words that make a capitalised phrase a place, not a person ("Somchai Market", "Vijay Nagar"). */
export const PLACE_WORDS: ReadonlySet<string> = new Set([
  'road', 'rd', 'street', 'st', 'soi', 'thanon', 'nagar', 'marg', 'path', 'chowk', 'station', 'market', 'park', 'temple',
  'wat', 'school', 'hospital', 'bridge', 'lane', 'avenue', 'ave', 'colony', 'society', 'tower', 'plaza', 'mall', 'bazar',
  'bazaar', 'village', 'moo', 'ban', 'khet', 'khwaeng', 'ward', 'zone', 'district', 'sector', 'phase', 'line', 'depot',
]);

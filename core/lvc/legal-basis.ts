/**
 * Which capture instruments exist in law, per country, who collects them, and on what basis.
 * Defaults switch an instrument on only where a legal basis exists today (defaultOn); the rest
 * stay available for "what if the law changed" runs, and the report says which is which.
 * The same table, with sources, is in docs/LVC.md.
 */
import type { InstrumentId } from './instruments.js';

export interface LegalBasis {
  /** Whether the instrument exists in law today (true), exists only in part or in some states ('partial'), or not (false). */
  inLaw: boolean | 'partial';
  defaultOn: boolean;
  collector: string;
  basis: string;
}

export type CountryLegalTable = Record<InstrumentId, LegalBasis>;

export const LEGAL_BASIS: Record<'TH' | 'IN' | 'JP', CountryLegalTable> = {
  TH: {
    landReadjustment: { inLaw: true, defaultOn: true, collector: 'Land readjustment association or agency under the Department of Public Works and Town & Country Planning (DPT)',
      basis: 'Land Readjustment Act B.E. 2547 (2004), replaced by the Land Readjustment Act B.E. 2562 (2019)' },
    jointDevelopment: { inLaw: true, defaultOn: true, collector: 'State Railway of Thailand (SRT) and its asset company SRT Asset Co., Ltd.',
      basis: 'State Railway of Thailand Act B.E. 2494 (1951) (SRT may lease and develop its land); Public–Private Partnership Act B.E. 2562 (2019) for concessions' },
    bettermentLevy: { inLaw: false, defaultOn: false, collector: 'none today',
      basis: 'No betterment or windfall levy is enacted; draft betterment-tax bills have been discussed but not passed' },
    developmentRights: { inLaw: false, defaultOn: false, collector: 'none today',
      basis: 'Bangkok Comprehensive Plan (Ministerial Regulation B.E. 2556/2013) grants FAR bonuses in exchange for public provisions (open space, parking near mass transit, affordable housing), not for a cash price' },
    taxIncrement: { inLaw: false, defaultOn: false, collector: 'Local government (BMA) collects the Land and Buildings Tax; nothing earmarks its increment',
      basis: 'Land and Buildings Tax Act B.E. 2562 (2019) sets the tax; no law ring-fences an increment for transit' },
    impactFees: { inLaw: false, defaultOn: false, collector: 'none today', basis: 'No development impact fee in Thai planning law' },
  },
  IN: {
    developmentRights: { inLaw: true, defaultOn: true, collector: 'Planning authority (MCGM/MMRDA in Mumbai; municipal corporations and urban development authorities in Gujarat)',
      basis: 'Premium FSI: Maharashtra Regional and Town Planning Act 1966 with the Development Control and Promotion Regulations for Greater Mumbai 2034; Gujarat Comprehensive General Development Control Regulations 2017 (chargeable FSI in transit-oriented zones); MoHUA Value Capture Finance Policy Framework (2017)' },
    bettermentLevy: { inLaw: true, defaultOn: true, collector: 'Town planning / development authority through the town planning scheme',
      basis: 'Gujarat Town Planning and Urban Development Act 1976 (incremental contribution of up to 50 % of the increment in land value in a town planning scheme); Maharashtra Regional and Town Planning Act 1966 (town planning schemes, Chapter V; development charge, Chapter VI-A)' },
    landReadjustment: { inLaw: true, defaultOn: true, collector: 'Urban development authority preparing the town planning scheme (e.g. AUDA, SUDA, VUDA)',
      basis: 'Gujarat Town Planning and Urban Development Act 1976: town planning schemes are the land readjustment instrument (up to 40 % of land deducted for roads, amenities, housing and sale plots); Maharashtra TP schemes under the MRTP Act 1966' },
    jointDevelopment: { inLaw: true, defaultOn: true, collector: 'Railway land owner: NHSRCL for MAHSR land; Indian Railways through the Rail Land Development Authority (RLDA)',
      basis: 'Railways Act 1989 as amended in 2005 (RLDA, commercial development of railway land); NHSRCL as a company may lease its land' },
    taxIncrement: { inLaw: false, defaultOn: false, collector: 'Municipal corporation collects property tax; no increment is earmarked',
      basis: 'Recommended in the MoHUA Value Capture Finance Policy Framework (2017) but not enacted as a ring-fenced increment in Maharashtra or Gujarat' },
    impactFees: { inLaw: 'partial', defaultOn: false, collector: 'Planning authority',
      basis: 'Development charges (MRTP Act 1966 Chapter VI-A) exist; off by default as they overlap premium FSI on the same floor area' },
  },
  JP: {
    landReadjustment: { inLaw: true, defaultOn: true, collector: 'Land readjustment association, local government or UR (Urban Renaissance Agency)',
      basis: 'Land Readjustment Act (土地区画整理法, Act No. 119 of 1954): reserve land (保留地) sold to fund the project — the reference case' },
    jointDevelopment: { inLaw: true, defaultOn: true, collector: 'JR companies and private railways (station buildings, air rights)', basis: 'Railway companies develop their own land under general property law' },
    bettermentLevy: { inLaw: 'partial', defaultOn: false, collector: 'Local government',
      basis: 'Beneficiary charges (受益者負担金, City Planning Act Art. 75) exist but are used mainly for sewerage, not transit' },
    developmentRights: { inLaw: 'partial', defaultOn: false, collector: 'none (no cash sale)',
      basis: 'FAR transfer (特例容積率適用地区) and bonuses in Special Urban Renaissance Districts are granted for contributions, not sold' },
    taxIncrement: { inLaw: false, defaultOn: false, collector: 'none', basis: 'No tax increment financing in Japanese law' },
    impactFees: { inLaw: false, defaultOn: false, collector: 'none', basis: 'No statutory impact fee (informal development contributions only)' },
  },
};

export function legalTable(country: string | undefined): CountryLegalTable | null {
  const c = (country ?? '').toUpperCase();
  return c === 'TH' || c === 'IN' || c === 'JP' ? LEGAL_BASIS[c] : null;
}

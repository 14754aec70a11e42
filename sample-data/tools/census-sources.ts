/**
 * npx tsx sample-data/tools/census-sources.ts
 * Rewrites the census zones of sources.json from the real boundaries in sample-data/realdata/:
 * - Bang Sue: the khwaeng (OCHA/RTSD) touching the site, whole; population cited per khwaeng where a
 *   registration figure was found, else the khet's registered population × the khwaeng's share of
 *   the khet's area (both OCHA polygons, geodesic areas).
 * - MAHSR BKC: the BMC 2017 electoral wards touching the site, whole, with their POPULATION.
 * - MAHSR Vadodara, Ahmedabad, Sabarmati: the municipal wards clipped to the 2 km site (no ward
 *   population in the data), carrying the site's earlier estimate shared out by clipped area.
 * Households and jobs stay estimates (rules below). The generator itself only reads sources.json.
 */
import * as turf from '@turf/turf';
import geodesic from 'geographiclib-geodesic';
import { readFileSync, writeFileSync } from 'node:fs';
import { REST_KEY, restOfSite } from '../lib/real-census.js';
import { readCopy, siteDiscs, touchesSite, WARD_FILES } from '../lib/realdata.js';
import type { CitedZone, Fact } from '../lib/sources.js';

const SOURCES = new URL('../sources.json', import.meta.url).pathname;
const geod = geodesic.Geodesic.WGS84;

type Rings = number[][][];
/** Geodesic area (m², WGS84) of a Polygon or MultiPolygon: outer rings minus holes. */
export function geodesicAreaM2(g: { type: string; coordinates: unknown }): number {
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as Rings[];
  let total = 0;
  for (const rings of polys) rings.forEach((ring, i) => {
    const p = geod.Polygon(false);
    for (const c of ring.slice(0, -1)) p.AddPoint(c[1], c[0]);
    const a = Math.abs(p.Compute(false, true).area ?? NaN);
    total += i === 0 ? a : -a;
  });
  return total;
}

const km2 = (m2: number) => Math.round(m2 / 1e3) / 1e3;

/** Registration figures found for whole khwaeng (cited), from the earlier census facts. */
const KHWAENG_CITED: Record<string, { year: number }> = { '102901': { year: 2021 }, '102902': { year: 2020 } };
/** Registered population of each khet, as printed (Wikipedia infoboxes, DOPA registration). */
const KHET: Record<string, Fact & { population: number; area_km2: number; year: number }> = {
  TH1030: { population: 154003, area_km2: 32.908, year: 2023, confidence: 'cited', source: "Wikipedia (th), 'เขตจตุจักร' infobox (DOPA registration 2566/2023)", url: 'https://th.m.wikipedia.org/wiki/%E0%B9%80%E0%B8%82%E0%B8%95%E0%B8%88%E0%B8%95%E0%B8%B8%E0%B8%88%E0%B8%B1%E0%B8%81%E0%B8%A3', quote: 'พื้นที่ 32.908 ตร.กม. ประชากร (2566) 154,003 คน' },
  TH1014: { population: 64037, area_km2: 9.595, year: 2023, confidence: 'cited', source: "Wikipedia (th), 'เขตพญาไท' infobox (DOPA registration 2566/2023)", url: 'https://th.wikipedia.org/wiki/%E0%B9%80%E0%B8%82%E0%B8%95%E0%B8%9E%E0%B8%8D%E0%B8%B2%E0%B9%84%E0%B8%97', quote: 'พื้นที่ 9.595 ตร.กม. ประชากร (2566) 64,037 คน' },
  TH1002: { population: 106811, area_km2: 10.665, year: 2013, confidence: 'cited', source: "Wikipedia (de), 'Dusit (Bangkok)', as mirrored by pwojczyn.com (registration 2013; no later figure found)", url: 'https://pwojczyn.com/wiki/Dusit_wikipedia_crain_ford_lan_de_html.html', quote: 'Fläche: 10,665 km² Einwohner: 106.811 (2013)' },
  TH1026: { population: 109802, area_km2: 8.354, year: 2023, confidence: 'cited', source: "Wikipedia (th), 'เขตดินแดง' infobox (DOPA registration 2566/2023)", url: 'https://th.wikipedia.org/wiki/%E0%B9%80%E0%B8%82%E0%B8%95%E0%B8%94%E0%B8%B4%E0%B8%99%E0%B9%81%E0%B8%94%E0%B8%87', quote: 'พื้นที่ • ทั้งหมด | 8.354 ตร.กม. (3.225 ตร.ไมล์) | ประชากร (2566) | • ทั้งหมด | 109,802[1] คน' },
  TH1025: { population: 87205, area_km2: 11.36, year: 2023, confidence: 'cited', source: "Wikipedia (th), 'เขตบางพลัด' infobox (DOPA registration 2566/2023), as mirrored by wikiwand.com", url: 'https://wikiwand.com/th/articles/%E0%B9%80%E0%B8%82%E0%B8%95%E0%B8%9A%E0%B8%B2%E0%B8%87%E0%B8%9E%E0%B8%A5%E0%B8%B1%E0%B8%94', quote: 'พื้นที่ • ทั้งหมด | 11.360 ตร.กม. (4.386 ตร.ไมล์) | ประชากร (2566) | • ทั้งหมด | 87,205[1] คน' },
};
/**
 * The earlier (Voronoi-zone) estimates per unit, kept as rates so the whole khwaeng get figures of
 * the same basis: persons per household and jobs per km² (jobs / zone area of the earlier zone).
 * Units the earlier table did not have take the earlier site's mean (239,365 / 109,519 persons per
 * household; 224,400 jobs on the 32.17 km² site).
 */
const BANG_SUE_RATES: Record<string, [pph: number, jobsPerKm2: number]> = {
  '102901': [2.23, 5741], '102902': [2.33, 2554], '103005': [1.94, 12514], '103004': [2.14, 11919],
  '103001': [2.22, 6372], '101401': [2.03, 6467], '100206': [2.31, 2366],
};
const BANG_SUE_MEAN: [number, number] = [2.19, 6975];
const JOBS_BANG_SUE = 'Generator author\'s estimate: the earlier estimate\'s jobs per km² for this unit (from the land uses against National Statistical Office labour-force totals for Bangkok; for new units the earlier site mean, 224,400 jobs on the 32.17 km² site) times the khwaeng polygon\'s area; not a published figure';
const SEARCHED_JOBS = 'Searched for employment by khwaeng (NSO, BMA statistics): none found in the stored sources.';
const SEARCHED_HH = 'Searched for registered households by khwaeng: none found in the stored sources.';

function bangSueZones(old: CitedZone[]): CitedZone[] {
  const disc = siteDiscs()['bang-sue'];
  const khet = new Map(readCopy('khet').map((f) => [String(f.properties.ADM2_PCODE), f]));
  return readCopy('khwaeng').filter((f) => touchesSite(f, disc.center, disc.radius)).map((f) => {
    const p = f.properties as Record<string, string>;
    const id = p.adm3_pcode.replace(/^TH/, '');
    const area = geodesicAreaM2(f.geometry);
    const was = old.find((z) => z.zone_id === id);
    let population: number, fact: Fact;
    if (KHWAENG_CITED[id] && was) {
      const o = was.facts.population;
      population = (o.inputs as { population: number }).population;
      fact = { confidence: 'cited', source: `${o.source}; the whole khwaeng (registration ${KHWAENG_CITED[id].year}), its outline the OCHA/RTSD polygon`, url: o.url, quote: o.quote };
    } else {
      const k = KHET[p.adm2_pcode];
      const khetArea = geodesicAreaM2(khet.get(p.adm2_pcode)!.geometry);
      // The khwaeng and khet files are simplified separately: a khet with one khwaeng in 2019 (Din
      // Daeng, Phaya Thai) can measure a little smaller than its khwaeng, so the share is capped at 1.
      population = Math.round(k.population * Math.min(1, area / khetArea));
      fact = {
        confidence: 'derived', source: k.source, url: k.url, quote: k.quote,
        rule: `khet ${p.adm2_en}: ${k.population} registered residents (${k.year}; no khwaeng figure found) times this khwaeng's share of the khet's area, both measured on the OCHA/RTSD polygons (geodesic): ${km2(area)} / ${km2(khetArea)} km², capped at the khet total.`,
        inputs: { population: k.population, area_km2: k.area_km2, khet_pcode: p.adm2_pcode, khwaeng_polygon_km2: km2(area), khet_polygon_km2: km2(khetArea), cap: k.population },
      };
    }
    const [pph, jobsPerKm2] = BANG_SUE_RATES[id] ?? BANG_SUE_MEAN;
    return {
      zone_id: id, pcode: p.adm3_pcode, name: p.adm3_en, name_local: p.adm3_th, district: p.adm2_en,
      population, households: Math.round(population / pph), jobs: Math.round((jobsPerKm2 * area) / 1e6 / 100) * 100,
      feature: { file: 'khwaeng', key: p.adm3_pcode },
      facts: {
        population: fact,
        households: { confidence: 'estimate', source: `Population divided by ${pph} persons per household (the earlier estimate's household size for this unit${BANG_SUE_RATES[id] ? '' : ': none, the earlier site mean'}); not a published figure`, searched: SEARCHED_HH },
        jobs: { confidence: 'estimate', source: JOBS_BANG_SUE, searched: SEARCHED_JOBS },
      },
    } as CitedZone;
  });
}

const DATAMEET = 'datameet/Municipal_Spatial_Data @ 9b4d1c2e';
function bkcZones(oldSite: { population: number; households: number; jobs: number }): CitedZone[] {
  const disc = siteDiscs().MAH01;
  const jobsPerM2 = oldSite.jobs / (Math.PI * disc.radius ** 2);
  const pph = Math.round((oldSite.population / oldSite.households) * 100) / 100;
  return readCopy('bmcWards').filter((f) => touchesSite(f, disc.center, disc.radius))
    .sort((a, b) => Number(a.properties.PRABHAG_NO) - Number(b.properties.PRABHAG_NO)).map((f) => {
      const p = f.properties as Record<string, number | string>;
      const area = geodesicAreaM2(f.geometry);
      return {
        zone_id: `MAH01-P${p.PRABHAG_NO}`, site: 'MAH01', name: `Prabhag ${p.PRABHAG_NO} (ward ${p.WARD})`, name_local: `प्रभाग ${p.PRABHAG_NO}`,
        population: Number(p.POPULATION), households: Math.round(Number(p.POPULATION) / pph), jobs: Math.round((jobsPerM2 * area) / 100) * 100,
        feature: { file: 'bmcWards', key: String(p.PRABHAG_NO) },
        facts: {
          population: { confidence: 'cited', source: `BMC 2017 electoral ward (prabhag) boundaries with their Census 2011-based POPULATION, ${DATAMEET}, Mumbai/bmc_electoral_wards_2017 (licence CC BY-SA 2.5 IN per the Mumbai folder; repository default CC BY 4.0); copy in sample-data/realdata/mahsr`, url: 'https://github.com/datameet/Municipal_Spatial_Data/tree/9b4d1c2e/Mumbai', quote: `"POPULATION": ${p.POPULATION}, "WARD": "${p.WARD}", "PRABHAG_NO": ${p.PRABHAG_NO}` },
          households: { confidence: 'estimate', source: `Population divided by ${pph} persons per household (the earlier BKC site estimate's household size, Census 2011 HH-series order); not a published figure`, searched: 'The ward file carries population only; no household count per prabhag found.' },
          jobs: { confidence: 'estimate', source: `Generator author's estimate: the earlier BKC site estimate (${oldSite.jobs} jobs on the 2 km site, mostly the Bandra–Kurla Complex offices) spread evenly by area, times this ward's ${km2(area)} km²; not a published figure`, searched: 'No ward-level employment figures found.' },
        },
      } as CitedZone;
    });
}

/** Municipal wards (no population in the data) clipped to the site: the site's earlier estimate shared out by area. */
function clippedWardZones(site: string, oldSite: { population: number; households: number; jobs: number; name: string }, oldSearched: string): CitedZone[] {
  const file = WARD_FILES[site];
  const disc = siteDiscs()[site];
  const discPoly = turf.circle(disc.center, disc.radius / 1000, { steps: 256, units: 'kilometers' });
  const wards = readCopy(file).filter((f) => touchesSite(f, disc.center, disc.radius)).map((f) => {
    const clipped = turf.intersect(turf.featureCollection([f as never, discPoly]))!;
    return { f, area: geodesicAreaM2(clipped.geometry) };
  });
  const city = file === 'vadodaraWards' ? 'VMC' : 'AMC';
  // Land the ward map leaves out (beyond the 2011 city limits) becomes one zone of its own.
  const rest = restOfSite(file, discPoly, disc.center, disc.radius);
  const restArea = rest ? geodesicAreaM2(rest.geometry) : 0;
  const hasRest = restArea >= 0.01 * Math.PI * disc.radius ** 2;
  const total = wards.reduce((s, w) => s + w.area, 0) + (hasRest ? restArea : 0);
  // Largest remainder keeps the site totals exact.
  const areas = [...wards.map((w) => w.area), ...(hasRest ? [restArea] : [])];
  const share = (k: 'population' | 'households' | 'jobs') => apportion(oldSite[k], areas.map((a) => a / total));
  const [pop, hh, jobs] = [share('population'), share('households'), share('jobs')];
  const rule = (k: string, v: number, area: number) => `the earlier ${oldSite.name} site estimate (${v} ${k} inside the 2 km site) shared out by area over the wards' parts inside the site${hasRest ? ' and the land outside the ward map' : ''}: ${km2(area)} of ${km2(total)} km²`;
  const restZone: CitedZone[] = hasRest ? [{
    zone_id: `${site}-${city}-rest`, site, name: `Rest of the site (outside the ${city} ward map)`, name_local: '',
    population: pop[wards.length], households: hh[wards.length], jobs: jobs[wards.length], feature: { file, key: REST_KEY, clip: true },
    facts: {
      population: { confidence: 'estimate', source: `Generator author's estimate: ${rule('residents', oldSite.population, restArea)}; the outline is the site disc minus the ward polygons (the ward map, ${DATAMEET}, stops at the 2011 city limits)`, searched: `The ward file carries names only. ${oldSearched}` },
      households: { confidence: 'estimate', source: `Generator author's estimate: ${rule('households', oldSite.households, restArea)}`, searched: 'Not searched separately: depends on the population estimate.' },
      jobs: { confidence: 'estimate', source: `Generator author's estimate: ${rule('jobs', oldSite.jobs, restArea)}`, searched: 'No ward-level employment figures found.' },
    },
  } as CitedZone] : [];
  return [...wards.map(({ f, area }, i) => {
    const p = f.properties as Record<string, string | number>;
    const no = file === 'vadodaraWards' ? Number(p.ward_no) : Number(String(p.Name).split(' ')[0]);
    const name = file === 'vadodaraWards' ? String(p.ward_name) : titleCase(String(p.Name).replace(/^\d+\s+/, ''));
    return {
      zone_id: `${site}-${city}${no}`, site, name: `${name} (${city} ward ${no})`, name_local: '',
      population: pop[i], households: hh[i], jobs: jobs[i], feature: { file, key: String(file === 'vadodaraWards' ? p.ward_no : p.Name), clip: true },
      facts: {
        population: { confidence: 'estimate', source: `Generator author's estimate for the part of the ward inside the site: ${rule('residents', oldSite.population, area)}; the ward outline is real (${DATAMEET}, ${file === 'vadodaraWards' ? 'Vadodara/vardodara_wards.geojson, CC BY 4.0' : 'Ahmedabad/Wards.geojson, CC BY-SA 2.5 IN'}), the figure is not`, searched: `The ward file carries names only. ${oldSearched}` },
        households: { confidence: 'estimate', source: `Generator author's estimate: ${rule('households', oldSite.households, area)}`, searched: 'Not searched separately: depends on the population estimate.' },
        jobs: { confidence: 'estimate', source: `Generator author's estimate: ${rule('jobs', oldSite.jobs, area)}`, searched: 'No ward-level employment figures found.' },
      },
    } as CitedZone;
  }), ...restZone];
}

function apportion(total: number, shares: number[]): number[] {
  const raw = shares.map((s) => s * total);
  const out = raw.map(Math.floor);
  const order = raw.map((r, i) => [r - Math.floor(r), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < total - out.reduce((a, b) => a + b, 0); k++) out[order[k][1]]++;
  return out;
}

const titleCase = (s: string) => s.toLowerCase().replace(/(^|[\s\-.])([a-z])/g, (_, a, b) => a + b.toUpperCase());
const totals = (zones: CitedZone[]) => ({ population: sum(zones, 'population'), households: sum(zones, 'households'), jobs: sum(zones, 'jobs') });
const sum = (zones: CitedZone[], k: 'population' | 'households' | 'jobs') => zones.reduce((s, z) => s + z[k], 0);

const SITE_NAMES: Record<string, string> = { MAH01: 'BKC', MAH09: 'Vadodara', MAH11: 'Ahmedabad', MAH12: 'Sabarmati' };

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const src = JSON.parse(readFileSync(SOURCES, 'utf8'));
  const bs = src['bang-sue'].census;
  if (!bs.zones.some((z: CitedZone) => z.feature)) {
    bs.zones = bangSueZones(bs.zones);
    bs.totals = totals(bs.zones);
  }
  const m = src.mahsr.census;
  const searched = m.zones[0].facts.population.searched as string;
  for (const site of Object.keys(WARD_FILES)) {
    const old = m.zones.filter((z: CitedZone) => z.site === site);
    if (old.some((z: CitedZone) => z.feature)) continue;
    const oldSite = { ...totals(old), name: SITE_NAMES[site] };
    const fresh = site === 'MAH01' ? bkcZones(oldSite) : clippedWardZones(site, oldSite, searched);
    const at = m.zones.findIndex((z: CitedZone) => z.site === site);
    m.zones = [...m.zones.slice(0, at), ...fresh, ...m.zones.filter((z: CitedZone, i: number) => i >= at && z.site !== site)];
  }
  m.totals = totals(m.zones);
  writeFileSync(SOURCES, JSON.stringify(src, null, 2) + '\n');
  console.log('bang-sue', bs.totals, bs.zones.length, 'zones; mahsr', m.totals, m.zones.length, 'zones');
}

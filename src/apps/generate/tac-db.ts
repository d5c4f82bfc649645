/**
 * Synthetic GSMA TAC database: fictional manufacturers and models with realistic band strings,
 * device types and allocation dates (domain.md section 3). Deterministic in the seed.
 */
import { Rng } from './rand.js';

/** Radio generations as a bit mask. */
export const G2 = 1;
export const G3 = 2;
export const G4 = 4;
export const G5 = 8;

export const TAC_DB_HEADER =
  'TAC|Marketing Name|Internal Model Name|Manufacturer|Bands|Allocation Date|Country Code|' +
  'Fixed Code|Manufacturer Code|Radio Interface|Brand Name|Model Name|Operating System|NFC|' +
  'Bluetooth|WLAN|Device Type';

export type DeviceType = 'Smartphone' | 'Feature Phone' | 'Tablet' | 'Modem' | 'IoT Device';

export interface TacEntry {
  readonly tac: string;
  readonly marketingName: string;
  readonly internalModel: string;
  readonly manufacturer: string;
  readonly bands: string;
  readonly allocationDate: string;
  readonly countryCode: string;
  readonly manufacturerCode: string;
  readonly radioInterface: string;
  readonly brand: string;
  readonly modelName: string;
  readonly os: string;
  readonly nfc: string;
  readonly bluetooth: string;
  readonly wlan: string;
  readonly deviceType: DeviceType;
  /** Generations the bands give (G2 | G3 | G4 | G5). */
  readonly gens: number;
  /** LTE-M / NB-IoT module (RAT codes 008/009). */
  readonly lpwa: boolean;
  /** Relative popularity among devices (0: not used by ordinary devices). */
  weight: number;
}

type Kind =
  | 'smart5g'
  | 'smart4g'
  | 'smart3g'
  | 'feature2g'
  | 'feature4g'
  | 'tablet'
  | 'modem4g'
  | 'modem5g'
  | 'iot_lpwa'
  | 'iot_2g';

interface Maker {
  name: string;
  brand: string;
  code: string;
  country: string;
  mcode: string;
  rbis: [string, number][];
  kinds: [Kind, number][];
  series: string[];
  os: string;
}

const MAKERS: Maker[] = [
  {
    name: 'Orion Electronics Co Ltd',
    brand: 'Orion',
    code: 'ORN',
    country: '410',
    mcode: '410117',
    rbis: [
      ['35', 6],
      ['01', 2],
    ],
    kinds: [
      ['smart5g', 5],
      ['smart4g', 5],
      ['tablet', 2],
    ],
    series: ['Nova', 'Astra', 'Lumen', 'Vega'],
    os: 'Android',
  },
  {
    name: 'Fruitfield Inc',
    brand: 'Fruitfield',
    code: 'FRF',
    country: '840',
    mcode: '840231',
    rbis: [
      ['35', 5],
      ['01', 5],
    ],
    kinds: [
      ['smart5g', 6],
      ['smart4g', 3],
      ['tablet', 2],
    ],
    series: ['fPhone', 'fPad'],
    os: 'iOS',
  },
  {
    name: 'Tianhe Mobile Technology Co Ltd',
    brand: 'Tianhe',
    code: 'THM',
    country: '156',
    mcode: '156402',
    rbis: [['86', 1]],
    kinds: [
      ['smart5g', 4],
      ['smart4g', 5],
      ['tablet', 1],
    ],
    series: ['Redstar', 'Peak', 'Cloud'],
    os: 'Android',
  },
  {
    name: 'Kestrel Communications Ltd',
    brand: 'Kestrel',
    code: 'KST',
    country: '156',
    mcode: '156518',
    rbis: [
      ['86', 3],
      ['35', 1],
    ],
    kinds: [
      ['smart4g', 5],
      ['smart3g', 1],
      ['feature2g', 2],
    ],
    series: ['Spark', 'Hawk', 'Flyer'],
    os: 'Android',
  },
  {
    name: 'Savanna Telecom Devices',
    brand: 'Savanna',
    code: 'SAV',
    country: '404',
    mcode: '404077',
    rbis: [
      ['35', 2],
      ['86', 2],
    ],
    kinds: [
      ['feature2g', 5],
      ['feature4g', 2],
      ['smart3g', 2],
      ['smart4g', 2],
    ],
    series: ['Simba', 'Baobab', 'Duma'],
    os: 'Android',
  },
  {
    name: 'Lotus Digital Pvt Ltd',
    brand: 'Lotus',
    code: 'LTS',
    country: '356',
    mcode: '356920',
    rbis: [['91', 1]],
    kinds: [
      ['smart4g', 4],
      ['feature2g', 3],
      ['feature4g', 2],
    ],
    series: ['Kamal', 'Zen', 'Veda'],
    os: 'Android',
  },
  {
    name: 'Nordvik Mobile Oy',
    brand: 'Nordvik',
    code: 'NRV',
    country: '246',
    mcode: '246105',
    rbis: [
      ['35', 4],
      ['01', 1],
    ],
    kinds: [
      ['feature2g', 3],
      ['feature4g', 3],
      ['smart4g', 3],
      ['smart5g', 1],
    ],
    series: ['Fjord', 'Aurora', 'Birch'],
    os: 'Android',
  },
  {
    name: 'Quanta Wireless Modules Co Ltd',
    brand: 'QWM',
    code: 'QWM',
    country: '156',
    mcode: '156733',
    rbis: [['86', 1]],
    kinds: [
      ['modem4g', 3],
      ['modem5g', 2],
      ['iot_lpwa', 3],
    ],
    series: ['EC', 'RM', 'BG'],
    os: 'Not Known',
  },
  {
    name: 'Meridian IoT Systems',
    brand: 'Meridian',
    code: 'MRD',
    country: '826',
    mcode: '826304',
    rbis: [
      ['35', 3],
      ['44', 1],
    ],
    kinds: [
      ['iot_lpwa', 3],
      ['iot_2g', 2],
    ],
    series: ['Tracker', 'Meter', 'Sense'],
    os: 'Not Known',
  },
  {
    name: 'Helix Networks Ltd',
    brand: 'Helix',
    code: 'HLX',
    country: '158',
    mcode: '158216',
    rbis: [
      ['86', 2],
      ['35', 1],
    ],
    kinds: [
      ['modem4g', 3],
      ['modem5g', 3],
    ],
    series: ['MiFi', 'CPE', 'Dongle'],
    os: 'Linux',
  },
  {
    name: 'Pavo Technologies',
    brand: 'Pavo',
    code: 'PAV',
    country: '156',
    mcode: '156874',
    rbis: [['86', 1]],
    kinds: [
      ['tablet', 4],
      ['smart4g', 1],
    ],
    series: ['Tab', 'Pad'],
    os: 'Android',
  },
  {
    name: 'Bharat Handsets Ltd',
    brand: 'Bharat',
    code: 'BHH',
    country: '356',
    mcode: '356145',
    rbis: [['91', 1]],
    kinds: [
      ['feature2g', 4],
      ['feature4g', 3],
    ],
    series: ['Jai', 'Desh'],
    os: 'KaiOS',
  },
  {
    name: 'Coastline Devices Inc',
    brand: 'Coastline',
    code: 'CST',
    country: '840',
    mcode: '840580',
    rbis: [
      ['01', 3],
      ['35', 2],
    ],
    kinds: [
      ['smart5g', 3],
      ['smart4g', 3],
    ],
    series: ['Wave', 'Tide'],
    os: 'Android',
  },
  {
    name: 'Zephyr Mobile Co Ltd',
    brand: 'Zephyr',
    code: 'ZPH',
    country: '156',
    mcode: '156391',
    rbis: [
      ['86', 4],
      ['35', 1],
    ],
    kinds: [
      ['smart5g', 4],
      ['smart4g', 3],
    ],
    series: ['Breeze', 'Gale'],
    os: 'HarmonyOS',
  },
];

const MAKER_WEIGHTS: number[] = [9, 8, 7, 6, 5, 4, 4, 3, 3, 2, 2, 3, 3, 4];

const GSM = ['GSM 850', 'GSM 900', 'GSM 1800', 'GSM 1900'];
const WCDMA = ['WCDMA FDD Band I', 'WCDMA FDD Band II', 'WCDMA FDD Band V', 'WCDMA FDD Band VIII'];
const HSPA = ['HSDPA', 'HSUPA', 'HSPA+', 'DC-HSDPA'];
const LTE = [
  'LTE FDD Band 1',
  'LTE FDD Band 3',
  'LTE FDD Band 7',
  'LTE FDD Band 8',
  'LTE FDD Band 20',
  'LTE FDD Band 28',
  'LTE TDD Band 38',
  'LTE TDD Band 40',
  'LTE TDD Band 41',
];
const CA = ['CA_3', 'CA_7', 'CA_20', 'CA_1-3', 'CA_3-7', 'CA_3-20', 'CA_1-3-7'];
const NR = ['NR n1', 'NR n3', 'NR n7', 'NR n28', 'NR n41', 'NR n77', 'NR n78'];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function subset(rng: Rng, all: readonly string[], always: readonly string[], p: number): string[] {
  return all.filter((b) => always.includes(b) || rng.chance(p));
}

function kindSpec(kind: Kind): {
  gens: number;
  lpwa: boolean;
  type: DeviceType;
  weight: [number, number];
  fromYear: number;
} {
  switch (kind) {
    case 'smart5g':
      return {
        gens: G2 | G3 | G4 | G5,
        lpwa: false,
        type: 'Smartphone',
        weight: [3, 9],
        fromYear: 2019,
      };
    case 'smart4g':
      return {
        gens: G2 | G3 | G4,
        lpwa: false,
        type: 'Smartphone',
        weight: [3, 9],
        fromYear: 2013,
      };
    case 'smart3g':
      return { gens: G2 | G3, lpwa: false, type: 'Smartphone', weight: [1, 2], fromYear: 2010 };
    case 'feature2g':
      return { gens: G2, lpwa: false, type: 'Feature Phone', weight: [2, 4], fromYear: 2008 };
    case 'feature4g':
      return {
        gens: G2 | G3 | G4,
        lpwa: false,
        type: 'Feature Phone',
        weight: [1, 3],
        fromYear: 2017,
      };
    case 'tablet':
      return { gens: G2 | G3 | G4, lpwa: false, type: 'Tablet', weight: [1, 2], fromYear: 2012 };
    case 'modem4g':
      return { gens: G3 | G4, lpwa: false, type: 'Modem', weight: [1, 2], fromYear: 2012 };
    case 'modem5g':
      return { gens: G4 | G5, lpwa: false, type: 'Modem', weight: [1, 2], fromYear: 2020 };
    case 'iot_lpwa':
      return { gens: G4, lpwa: true, type: 'IoT Device', weight: [1, 2], fromYear: 2017 };
    case 'iot_2g':
      return { gens: G2, lpwa: false, type: 'IoT Device', weight: [1, 1], fromYear: 2009 };
  }
}

function bandsFor(rng: Rng, gens: number, lpwa: boolean): string {
  const b: string[] = [];
  if (lpwa) {
    b.push(
      ...subset(
        rng,
        ['LTE FDD Band 3', 'LTE FDD Band 8', 'LTE FDD Band 20'],
        ['LTE FDD Band 20'],
        0.7,
      ),
    );
    b.push('LTE-M', 'NB-IoT');
    return b.join(', ');
  }
  if (gens & G2) b.push(...subset(rng, GSM, ['GSM 900', 'GSM 1800'], 0.6));
  if (gens & G3) {
    b.push(...subset(rng, WCDMA, ['WCDMA FDD Band I'], 0.5));
    b.push(...subset(rng, HSPA, [], 0.3));
  }
  if (gens & G4) {
    b.push(...subset(rng, LTE, ['LTE FDD Band 3'], 0.5));
    if (rng.chance(0.6)) b.push(...subset(rng, CA, ['CA_3'], 0.3));
  }
  if (gens & G5) b.push(...subset(rng, NR, ['NR n78'], 0.5));
  return b.join(', ');
}

function radioInterface(gens: number, lpwa: boolean): string {
  if (lpwa) return 'LTE-M/NB-IoT';
  const p: string[] = [];
  if (gens & G2) p.push('GSM');
  if (gens & G3) p.push('UMTS');
  if (gens & G4) p.push('LTE');
  if (gens & G5) p.push('NR');
  return p.join('/');
}

/** `DD-Mon-YYYY` for a UTC epoch day. */
export function gsmaDate(epochDay: number): string {
  const d = new Date(epochDay * 86400000);
  return `${String(d.getUTCDate()).padStart(2, '0')}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()}`;
}

function isReserved(tac: string): boolean {
  // Never generate test/reserved TACs, TACs starting with '1' (leading-zero-loss heuristics), or 0.
  return tac.startsWith('00') || tac.startsWith('1');
}

export interface TacDb {
  readonly entries: readonly TacEntry[];
  readonly byTac: ReadonlyMap<string, TacEntry>;
}

/**
 * Builds `count` TACs allocated before `lastEpochDay`. Guarantees at least one 2G-only TAC, one
 * 5G TAC, and TACs of RBIs 01, 35, 86 and 91.
 */
export function buildTacDb(seed: number, count: number, lastEpochDay: number): TacDb {
  const rng = new Rng(seed, 1);
  const entries: TacEntry[] = [];
  const used = new Set<string>();
  const lastYear = new Date(lastEpochDay * 86400000).getUTCFullYear();
  const makerChoice = MAKERS.map((m, i) => [m, MAKER_WEIGHTS[i] ?? 1] as const);
  // Seed the catalogue with one model per required shape, then fill randomly.
  const forced: [Maker, Kind, string][] = [
    [MAKERS[4]!, 'feature2g', '35'],
    [MAKERS[1]!, 'smart5g', '01'],
    [MAKERS[2]!, 'smart5g', '86'],
    [MAKERS[5]!, 'smart4g', '91'],
    [MAKERS[8]!, 'iot_2g', '35'],
  ];
  let modelNo = 0;
  while (entries.length < count) {
    const f = forced[modelNo];
    const maker = f ? f[0] : rng.weighted(makerChoice);
    const kind = f ? f[1] : rng.weighted(maker.kinds);
    const spec = kindSpec(kind);
    modelNo++;
    const series = rng.pick(maker.series);
    const num = rng.range(1, 99);
    const suffix =
      spec.gens & G5 && spec.type === 'Smartphone'
        ? rng.pick([' 5G', ' Pro 5G', ' Ultra', ' 5G'])
        : rng.pick(['', '', ' Lite', ' Plus', ' Pro', ' Max']);
    const modelName = `${series} ${num}${suffix}`;
    const internalModel = `${maker.code}-${String.fromCharCode(65 + rng.int(26))}${String(rng.range(100, 999))}${String.fromCharCode(65 + rng.int(26))}`;
    const bands = bandsFor(rng, spec.gens, spec.lpwa);
    const smart = spec.type === 'Smartphone' || spec.type === 'Tablet';
    const os =
      spec.type === 'Feature Phone'
        ? spec.gens & G4
          ? 'KaiOS'
          : 'Proprietary'
        : spec.type === 'IoT Device'
          ? 'Not Known'
          : maker.os;
    const fromDay = Math.floor(Date.UTC(Math.min(spec.fromYear, lastYear), 0, 1) / 86400000);
    const modelDay = fromDay + rng.int(Math.max(1, lastEpochDay - fromDay));
    const weight = rng.range(spec.weight[0], spec.weight[1]);
    const tacsOfModel = rng.range(1, smart ? 4 : 2);
    for (let t = 0; t < tacsOfModel && entries.length < count; t++) {
      const rbi = f && t === 0 ? f[2] : rng.weighted(maker.rbis);
      let tac: string;
      do tac = rbi + String(rng.int(1_000_000)).padStart(6, '0');
      while (used.has(tac) || isReserved(tac));
      used.add(tac);
      entries.push({
        tac,
        marketingName: `${maker.brand} ${modelName}`,
        internalModel,
        manufacturer: maker.name,
        bands,
        allocationDate: gsmaDate(Math.min(lastEpochDay, modelDay + t * rng.int(120))),
        countryCode: maker.country,
        manufacturerCode: maker.mcode,
        radioInterface: radioInterface(spec.gens, spec.lpwa),
        brand: maker.brand,
        modelName,
        os,
        nfc: spec.type === 'Smartphone' && spec.gens & G4 ? (rng.chance(0.7) ? 'Y' : 'N') : 'N',
        bluetooth: spec.type === 'Modem' || kind === 'iot_lpwa' ? 'N' : 'Y',
        wlan: smart || spec.type === 'Modem' ? 'Y' : 'N',
        deviceType: spec.type,
        gens: spec.gens,
        lpwa: spec.lpwa,
        weight,
      });
    }
  }
  entries.sort((a, b) => (a.tac < b.tac ? -1 : a.tac > b.tac ? 1 : 0));
  return { entries, byTac: new Map(entries.map((e) => [e.tac, e])) };
}

export function tacDbLine(e: TacEntry): string {
  return [
    e.tac,
    e.marketingName,
    e.internalModel,
    e.manufacturer,
    e.bands,
    e.allocationDate,
    e.countryCode,
    'MANU',
    e.manufacturerCode,
    e.radioInterface,
    e.brand,
    e.modelName,
    e.os,
    e.nfc,
    e.bluetooth,
    e.wlan,
    e.deviceType,
  ].join('|');
}

/** The RAT-code combinations a device of this TAC plausibly reports (repeats weight them). */
export function ratOptions(e: Pick<TacEntry, 'gens' | 'lpwa'>): string[] {
  if (e.lpwa) return ['009', '008', '008|009', '009', '006|009'];
  switch (e.gens) {
    case G2:
      return ['002'];
    case G2 | G3:
      return ['002', '001', '002|001', '001|005', '001'];
    case G2 | G3 | G4:
      return ['006', '006', '006', '001|006', '002|006', '002|001|006', '001', '002'];
    case G2 | G3 | G4 | G5:
      return ['006', '006|010', '010', '006|010', '002|006|010', '001|006|010', '006'];
    case G3 | G4:
      return ['006', '001|006', '001', '006'];
    case G4 | G5:
      return ['006', '006|010', '010'];
    default:
      return ['006'];
  }
}

/**
 * RAT codes a 2G-only device cannot use: planted inconsistent-RAT rows. Each option has a 3G or
 * 4G code, so every planted device is an `inconsistent_rat` case whatever options its days draw
 * (NR alone would only be `rat_beyond_tac`).
 */
export const INCONSISTENT_2G_RATS = ['006', '002|006', '001|010', '006|010', '002|001|006'];

// Reference markets: ISO code, name, addressable audience (thousands of people), IANA time zone and affinity
// to each sport (0–1: how much the country's audience cares). Seeded into Postgres by prisma/seed.ts; the
// demo replay and the games simulator draw from the same list.
import { SPORTS } from "./sports";

export interface CountryReference {
  code: string;
  name: string;
  marketSize: number;
  timeZone: string;
  /** Affinity 0–1 for every sport slug in SPORTS. */
  sportAffinity: Record<string, number>;
}

/** How much an audience with no particular bond to a sport still follows it. */
const GLOBAL_AFFINITY: Record<string, number> = {
  football: 0.45,
  athletics: 0.35,
  swimming: 0.3,
  basketball: 0.3,
  tennis: 0.25,
  gymnastics: 0.25,
  cycling: 0.2,
  volleyball: 0.2,
  boxing: 0.2,
  judo: 0.12,
  handball: 0.12,
  hockey: 0.12,
  rowing: 0.1,
  fencing: 0.08,
  sailing: 0.08,
};

// code, name, market size (thousands), time zone, sports the country cares about more than the world does.
const ROWS: [string, string, number, string, string][] = [
  [
    "US",
    "United States",
    42_000,
    "America/New_York",
    "basketball:1 swimming:.9 athletics:.8 gymnastics:.7 tennis:.6 volleyball:.4 boxing:.4",
  ],
  [
    "BR",
    "Brazil",
    18_000,
    "America/Sao_Paulo",
    "football:1 volleyball:.9 judo:.6 gymnastics:.4 sailing:.3 boxing:.3",
  ],
  ["IN", "India", 25_000, "Asia/Kolkata", "hockey:.9 boxing:.4 athletics:.4 tennis:.3"],
  [
    "JP",
    "Japan",
    16_000,
    "Asia/Tokyo",
    "judo:1 gymnastics:.9 swimming:.7 volleyball:.5 tennis:.5 football:.5 fencing:.3",
  ],
  [
    "DE",
    "Germany",
    11_000,
    "Europe/Berlin",
    "football:.9 handball:.8 rowing:.6 cycling:.5 hockey:.5 sailing:.3",
  ],
  [
    "GB",
    "United Kingdom",
    10_500,
    "Europe/London",
    "football:.9 cycling:.8 rowing:.8 athletics:.7 tennis:.7 sailing:.6 swimming:.5 boxing:.5 hockey:.4",
  ],
  [
    "FR",
    "France",
    10_000,
    "Europe/Paris",
    "football:.8 handball:.8 judo:.8 fencing:.7 cycling:.7 tennis:.6 athletics:.5 swimming:.5 basketball:.5",
  ],
  [
    "IT",
    "Italy",
    8_000,
    "Europe/Rome",
    "football:.9 fencing:.9 volleyball:.7 cycling:.7 swimming:.5 athletics:.4",
  ],
  [
    "ES",
    "Spain",
    7_500,
    "Europe/Madrid",
    "football:1 basketball:.8 tennis:.8 handball:.6 cycling:.5 sailing:.4",
  ],
  ["MX", "Mexico", 9_000, "America/Mexico_City", "football:1 boxing:.8"],
  ["CA", "Canada", 5_500, "America/Toronto", "hockey:.6 swimming:.6 athletics:.5 rowing:.5 basketball:.5"],
  [
    "AU",
    "Australia",
    4_800,
    "Australia/Sydney",
    "swimming:1 tennis:.7 cycling:.6 rowing:.6 sailing:.6 hockey:.6 athletics:.5",
  ],
  ["KR", "South Korea", 6_000, "Asia/Seoul", "fencing:.7 judo:.6 football:.6 volleyball:.5 boxing:.3"],
  [
    "CN",
    "China",
    30_000,
    "Asia/Shanghai",
    "gymnastics:.9 volleyball:.8 swimming:.7 basketball:.7 athletics:.5 judo:.4 fencing:.4",
  ],
  [
    "NL",
    "Netherlands",
    3_200,
    "Europe/Amsterdam",
    "hockey:1 cycling:.9 football:.8 rowing:.7 sailing:.6 swimming:.4",
  ],
  ["SE", "Sweden", 1_900, "Europe/Stockholm", "football:.6 handball:.6 athletics:.5 sailing:.5 swimming:.5"],
  ["NO", "Norway", 1_100, "Europe/Oslo", "handball:.9 athletics:.6 football:.5 sailing:.4 rowing:.4"],
  ["FI", "Finland", 1_000, "Europe/Helsinki", "athletics:.6 sailing:.3"],
  [
    "PL",
    "Poland",
    4_000,
    "Europe/Warsaw",
    "volleyball:1 football:.7 athletics:.6 rowing:.5 fencing:.4 cycling:.4",
  ],
  ["TR", "Türkiye", 6_500, "Europe/Istanbul", "football:.9 volleyball:.8 basketball:.6 boxing:.4 judo:.4"],
  ["KE", "Kenya", 1_800, "Africa/Nairobi", "athletics:1"],
  ["ET", "Ethiopia", 1_500, "Africa/Addis_Ababa", "athletics:1"],
  ["NG", "Nigeria", 4_500, "Africa/Lagos", "football:.9 athletics:.7 boxing:.5 basketball:.5"],
  [
    "ZA",
    "South Africa",
    3_000,
    "Africa/Johannesburg",
    "football:.6 athletics:.6 swimming:.6 rowing:.4 hockey:.4",
  ],
  ["JM", "Jamaica", 400, "America/Jamaica", "athletics:1 football:.4"],
  [
    "AR",
    "Argentina",
    5_000,
    "America/Argentina/Buenos_Aires",
    "football:1 hockey:.8 basketball:.6 tennis:.6 volleyball:.5 sailing:.4 boxing:.4",
  ],
  ["NZ", "New Zealand", 900, "Pacific/Auckland", "rowing:.9 sailing:.9 cycling:.6 athletics:.5 hockey:.5"],
  ["HU", "Hungary", 1_400, "Europe/Budapest", "swimming:.9 fencing:.8 handball:.7 football:.5"],
  ["CH", "Switzerland", 1_300, "Europe/Zurich", "tennis:.8 cycling:.5 football:.5 rowing:.4"],
  ["IE", "Ireland", 900, "Europe/Dublin", "boxing:.8 rowing:.7 football:.6 athletics:.4 sailing:.4"],
  ["BE", "Belgium", 1_500, "Europe/Brussels", "cycling:.9 hockey:.8 football:.8 athletics:.5"],
  ["AT", "Austria", 1_100, "Europe/Vienna", "football:.5 sailing:.4 judo:.4 cycling:.4"],
  ["DK", "Denmark", 800, "Europe/Copenhagen", "handball:1 cycling:.7 football:.7 sailing:.6 rowing:.5"],
  ["PT", "Portugal", 1_300, "Europe/Lisbon", "football:1 judo:.5 cycling:.4 athletics:.4 sailing:.3"],
  ["GR", "Greece", 1_200, "Europe/Athens", "basketball:.8 football:.6 athletics:.5 sailing:.4"],
  ["CZ", "Czechia", 1_200, "Europe/Prague", "tennis:.6 football:.5 athletics:.5 cycling:.4 rowing:.4"],
  ["RO", "Romania", 1_800, "Europe/Bucharest", "gymnastics:.9 rowing:.8 handball:.6 football:.6 tennis:.5"],
  [
    "HR",
    "Croatia",
    500,
    "Europe/Zagreb",
    "handball:.9 football:.9 basketball:.6 rowing:.6 tennis:.5 sailing:.5",
  ],
  ["RS", "Serbia", 700, "Europe/Belgrade", "basketball:.9 volleyball:.8 tennis:.7 football:.6"],
  ["SI", "Slovenia", 250, "Europe/Ljubljana", "cycling:.8 basketball:.7 handball:.6 judo:.6"],
  ["SK", "Slovakia", 500, "Europe/Bratislava", "football:.5 tennis:.4 cycling:.4"],
  ["BG", "Bulgaria", 700, "Europe/Sofia", "volleyball:.6 boxing:.5 gymnastics:.5 football:.5"],
  ["UA", "Ukraine", 3_000, "Europe/Kyiv", "boxing:.8 football:.7 fencing:.6 gymnastics:.6 athletics:.5"],
  ["LT", "Lithuania", 300, "Europe/Vilnius", "basketball:1 rowing:.5"],
  ["LV", "Latvia", 200, "Europe/Riga", "basketball:.8 volleyball:.4"],
  ["EE", "Estonia", 150, "Europe/Tallinn", "basketball:.5 athletics:.4 sailing:.4"],
  ["IS", "Iceland", 60, "Atlantic/Reykjavik", "handball:1 football:.6"],
  ["IL", "Israel", 1_000, "Asia/Jerusalem", "judo:.7 basketball:.6 football:.6 gymnastics:.5 sailing:.5"],
  ["EG", "Egypt", 4_000, "Africa/Cairo", "football:1 handball:.7 fencing:.4 boxing:.3"],
  ["MA", "Morocco", 2_500, "Africa/Casablanca", "football:1 athletics:.7 boxing:.4"],
  ["TN", "Tunisia", 900, "Africa/Tunis", "football:.8 handball:.6 swimming:.4 fencing:.3"],
  ["DZ", "Algeria", 2_500, "Africa/Algiers", "football:1 athletics:.5 boxing:.5 judo:.4"],
  ["GH", "Ghana", 1_500, "Africa/Accra", "football:1 boxing:.6 athletics:.5"],
  ["UG", "Uganda", 900, "Africa/Kampala", "athletics:.9 football:.5 boxing:.3"],
  ["CM", "Cameroon", 1_000, "Africa/Douala", "football:1 boxing:.4"],
  ["SN", "Senegal", 700, "Africa/Dakar", "football:1 basketball:.5"],
  ["CI", "Côte d'Ivoire", 1_000, "Africa/Abidjan", "football:1 athletics:.5"],
  ["SA", "Saudi Arabia", 3_000, "Asia/Riyadh", "football:1"],
  ["AE", "United Arab Emirates", 1_200, "Asia/Dubai", "football:.8 sailing:.3"],
  ["QA", "Qatar", 300, "Asia/Qatar", "football:.8 athletics:.5 handball:.5"],
  ["IR", "Iran", 5_000, "Asia/Tehran", "football:.9 volleyball:.8 judo:.5 boxing:.4"],
  ["PK", "Pakistan", 6_000, "Asia/Karachi", "hockey:.9 boxing:.3"],
  ["BD", "Bangladesh", 4_000, "Asia/Dhaka", "football:.5 hockey:.3"],
  ["TH", "Thailand", 5_000, "Asia/Bangkok", "boxing:.9 football:.7 volleyball:.6"],
  ["VN", "Vietnam", 5_000, "Asia/Ho_Chi_Minh", "football:.9 boxing:.4"],
  ["ID", "Indonesia", 9_000, "Asia/Jakarta", "football:.9 volleyball:.5 boxing:.3"],
  ["MY", "Malaysia", 2_500, "Asia/Kuala_Lumpur", "football:.8 hockey:.6 cycling:.4"],
  ["SG", "Singapore", 600, "Asia/Singapore", "swimming:.6 football:.5 sailing:.5"],
  ["PH", "Philippines", 5_000, "Asia/Manila", "basketball:1 boxing:.8 volleyball:.5"],
  ["TW", "Taiwan", 2_500, "Asia/Taipei", "tennis:.5 basketball:.5 judo:.4 gymnastics:.4 boxing:.3"],
  ["HK", "Hong Kong", 800, "Asia/Hong_Kong", "fencing:.6 cycling:.5 swimming:.5"],
  ["KZ", "Kazakhstan", 1_500, "Asia/Almaty", "boxing:.9 judo:.5 cycling:.5 football:.5"],
  ["UZ", "Uzbekistan", 1_500, "Asia/Tashkent", "boxing:.9 judo:.8 football:.6 gymnastics:.4"],
  ["GE", "Georgia", 300, "Asia/Tbilisi", "judo:1 football:.6"],
  ["AZ", "Azerbaijan", 600, "Asia/Baku", "judo:.8 boxing:.6 football:.5"],
  ["AM", "Armenia", 250, "Asia/Yerevan", "boxing:.6 football:.6"],
  ["MN", "Mongolia", 200, "Asia/Ulaanbaatar", "judo:.9 boxing:.6"],
  ["CO", "Colombia", 4_000, "America/Bogota", "football:1 cycling:.9 boxing:.4 athletics:.4"],
  ["CL", "Chile", 2_000, "America/Santiago", "football:1 tennis:.6 cycling:.3"],
  ["PE", "Peru", 2_000, "America/Lima", "football:1 volleyball:.7"],
  [
    "VE",
    "Venezuela",
    1_800,
    "America/Caracas",
    "football:.6 boxing:.5 athletics:.5 fencing:.4 basketball:.4",
  ],
  ["EC", "Ecuador", 1_000, "America/Guayaquil", "football:1 cycling:.6 athletics:.5"],
  ["UY", "Uruguay", 400, "America/Montevideo", "football:1 basketball:.5 rowing:.4"],
  ["CU", "Cuba", 600, "America/Havana", "boxing:1 volleyball:.7 judo:.7 athletics:.7"],
  [
    "DO",
    "Dominican Republic",
    700,
    "America/Santo_Domingo",
    "basketball:.6 volleyball:.6 athletics:.6 boxing:.5",
  ],
  ["PR", "Puerto Rico", 400, "America/Puerto_Rico", "basketball:.8 boxing:.7 athletics:.5"],
  ["TT", "Trinidad and Tobago", 150, "America/Port_of_Spain", "athletics:.9 football:.4"],
  ["BS", "Bahamas", 80, "America/Nassau", "athletics:.9 swimming:.5"],
  ["CR", "Costa Rica", 400, "America/Costa_Rica", "football:1 swimming:.4 cycling:.4"],
  ["FJ", "Fiji", 90, "Pacific/Fiji", "football:.4 athletics:.3 sailing:.3"],
];

function affinityFrom(spec: string): Record<string, number> {
  const strong = new Map(
    spec.split(" ").map((part) => {
      const [slug, value] = part.split(":");
      return [slug!, Number(value)] as const;
    }),
  );
  for (const slug of strong.keys()) {
    if (!SPORTS.some((sport) => sport.slug === slug))
      throw new Error(`Unknown sport "${slug}" in affinities`);
  }
  return Object.fromEntries(
    SPORTS.map((sport) => [sport.slug, strong.get(sport.slug) ?? GLOBAL_AFFINITY[sport.slug] ?? 0.1]),
  );
}

export const COUNTRIES: readonly CountryReference[] = ROWS.map(
  ([code, name, marketSize, timeZone, spec]) => ({
    code,
    name,
    marketSize,
    timeZone,
    sportAffinity: affinityFrom(spec),
  }),
);

/** Countries by code, for lookups in hot loops. */
export const COUNTRY_BY_CODE: ReadonlyMap<string, CountryReference> = new Map(
  COUNTRIES.map((c) => [c.code, c]),
);

// Reference markets: ISO code, name, addressable audience (thousands of people) and IANA time zone. Seeded
// into Postgres by prisma/seed.ts; the demo replay and the simulator draw from the same list.

export interface CountryReference {
  code: string;
  name: string;
  marketSize: number;
  timeZone: string;
}

export const COUNTRIES: readonly CountryReference[] = [
  { code: "US", name: "United States", marketSize: 42_000, timeZone: "America/New_York" },
  { code: "BR", name: "Brazil", marketSize: 18_000, timeZone: "America/Sao_Paulo" },
  { code: "IN", name: "India", marketSize: 25_000, timeZone: "Asia/Kolkata" },
  { code: "JP", name: "Japan", marketSize: 16_000, timeZone: "Asia/Tokyo" },
  { code: "DE", name: "Germany", marketSize: 11_000, timeZone: "Europe/Berlin" },
  { code: "GB", name: "United Kingdom", marketSize: 10_500, timeZone: "Europe/London" },
  { code: "FR", name: "France", marketSize: 10_000, timeZone: "Europe/Paris" },
  { code: "IT", name: "Italy", marketSize: 8_000, timeZone: "Europe/Rome" },
  { code: "ES", name: "Spain", marketSize: 7_500, timeZone: "Europe/Madrid" },
  { code: "MX", name: "Mexico", marketSize: 9_000, timeZone: "America/Mexico_City" },
  { code: "CA", name: "Canada", marketSize: 5_500, timeZone: "America/Toronto" },
  { code: "AU", name: "Australia", marketSize: 4_800, timeZone: "Australia/Sydney" },
  { code: "KR", name: "South Korea", marketSize: 6_000, timeZone: "Asia/Seoul" },
  { code: "CN", name: "China", marketSize: 30_000, timeZone: "Asia/Shanghai" },
  { code: "NL", name: "Netherlands", marketSize: 3_200, timeZone: "Europe/Amsterdam" },
  { code: "SE", name: "Sweden", marketSize: 1_900, timeZone: "Europe/Stockholm" },
  { code: "NO", name: "Norway", marketSize: 1_100, timeZone: "Europe/Oslo" },
  { code: "FI", name: "Finland", marketSize: 1_000, timeZone: "Europe/Helsinki" },
  { code: "PL", name: "Poland", marketSize: 4_000, timeZone: "Europe/Warsaw" },
  { code: "TR", name: "Türkiye", marketSize: 6_500, timeZone: "Europe/Istanbul" },
  { code: "KE", name: "Kenya", marketSize: 1_800, timeZone: "Africa/Nairobi" },
  { code: "ET", name: "Ethiopia", marketSize: 1_500, timeZone: "Africa/Addis_Ababa" },
  { code: "NG", name: "Nigeria", marketSize: 4_500, timeZone: "Africa/Lagos" },
  { code: "ZA", name: "South Africa", marketSize: 3_000, timeZone: "Africa/Johannesburg" },
  { code: "JM", name: "Jamaica", marketSize: 400, timeZone: "America/Jamaica" },
  { code: "AR", name: "Argentina", marketSize: 5_000, timeZone: "America/Argentina/Buenos_Aires" },
  { code: "NZ", name: "New Zealand", marketSize: 900, timeZone: "Pacific/Auckland" },
  { code: "HU", name: "Hungary", marketSize: 1_400, timeZone: "Europe/Budapest" },
  { code: "CH", name: "Switzerland", marketSize: 1_300, timeZone: "Europe/Zurich" },
  { code: "IE", name: "Ireland", marketSize: 900, timeZone: "Europe/Dublin" },
];

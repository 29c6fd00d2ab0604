// The providers, regions and country names that storage/residency.ts judges object storage by.
// The same list is documented in docs/configuration.md#data-residency (a test keeps them in step).

/** The member states of the European Union and the other members of the European Economic Area. */
export const eeaCountries = [
  'Austria',
  'Belgium',
  'Bulgaria',
  'Croatia',
  'Cyprus',
  'Czechia',
  'Denmark',
  'Estonia',
  'Finland',
  'France',
  'Germany',
  'Greece',
  'Hungary',
  'Ireland',
  'Italy',
  'Latvia',
  'Lithuania',
  'Luxembourg',
  'Malta',
  'Netherlands',
  'Poland',
  'Portugal',
  'Romania',
  'Slovakia',
  'Slovenia',
  'Spain',
  'Sweden',
  // EEA, not EU:
  'Iceland',
  'Liechtenstein',
  'Norway',
] as const;

export interface ProviderRegion {
  region: string;
  /** City or area of the data centre. */
  place: string;
  /** English name of the country; null when the provider does not fix one. */
  country: string | null;
  inEea: boolean;
  /** How a refusal says where the region is, when "in <country> (<place>)" would not fit. */
  where?: string;
}

export interface Provider {
  name: string;
  /** What its endpoints look like, for the documentation and messages. */
  endpoint: string;
  /** EU/EEA regions to suggest in a refusal. */
  suggestion: string;
  regions: readonly ProviderRegion[];
  /** Recognises the provider's endpoint host; gives the region the host names, or null if none. */
  match(host: string): { region: string | null } | null;
}

function region(region: string, place: string, country: string): ProviderRegion {
  return {
    region,
    place,
    country,
    inEea: (eeaCountries as readonly string[]).includes(country),
  };
}

/** Matches `host` against a pattern whose optional named group `region` is the region. */
function hostPattern(pattern: RegExp): Provider['match'] {
  return (host) => {
    const found = pattern.exec(host);
    return found ? { region: found.groups?.region ?? null } : null;
  };
}

const awsRegionLabel = /^[a-z]{2,4}(?:-[a-z]+)+-\d+$/;

/**
 * AWS hosts come in many shapes (`s3.eu-west-3.amazonaws.com`, `s3-eu-west-1.amazonaws.com`,
 * `bucket.s3.dualstack.eu-north-1.amazonaws.com`, `s3.eusc-de-east-1.amazonaws.eu`): the region
 * is the last label that looks like one.
 */
function matchAws(host: string): { region: string | null } | null {
  if (!/(?:^|\.)amazonaws\.(?:com|com\.cn|eu)$/.test(host)) return null;
  const labels = host.split('.').map((label) => label.replace(/^s3-/, ''));
  const regionLabel = labels.filter((label) => awsRegionLabel.test(label)).pop();
  return { region: regionLabel ?? null };
}

/** AWS: also the provider when no endpoint is configured (the SDK then picks the region's host). */
export const amazon: Provider = {
  name: 'Amazon Web Services',
  endpoint: 'none (the region decides), or `https://s3.<region>.amazonaws.com`',
  suggestion: 'eu-central-1 (Frankfurt), eu-west-1 (Ireland) or eu-west-3 (Paris)',
  match: matchAws,
  regions: [
    region('eu-central-1', 'Frankfurt', 'Germany'),
    region('eu-west-1', 'Dublin', 'Ireland'),
    region('eu-west-3', 'Paris', 'France'),
    region('eu-south-1', 'Milan', 'Italy'),
    region('eu-south-2', 'Aragón', 'Spain'),
    region('eu-north-1', 'Stockholm', 'Sweden'),
    region('eusc-de-east-1', 'Brandenburg', 'Germany'),
    region('eu-west-2', 'London', 'United Kingdom'),
    region('eu-central-2', 'Zurich', 'Switzerland'),
    region('us-east-1', 'N. Virginia', 'United States'),
    region('us-east-2', 'Ohio', 'United States'),
    region('us-west-1', 'N. California', 'United States'),
    region('us-west-2', 'Oregon', 'United States'),
    region('us-gov-east-1', 'GovCloud East', 'United States'),
    region('us-gov-west-1', 'GovCloud West', 'United States'),
    region('ca-central-1', 'Montreal', 'Canada'),
    region('ca-west-1', 'Calgary', 'Canada'),
    region('mx-central-1', 'Querétaro', 'Mexico'),
    region('sa-east-1', 'São Paulo', 'Brazil'),
    region('sa-west-1', 'Santiago', 'Chile'),
    region('af-south-1', 'Cape Town', 'South Africa'),
    region('il-central-1', 'Tel Aviv', 'Israel'),
    region('me-central-1', 'UAE', 'United Arab Emirates'),
    region('me-south-1', 'Bahrain', 'Bahrain'),
    region('me-west-1', 'Saudi Arabia', 'Saudi Arabia'),
    region('ap-east-1', 'Hong Kong', 'China'),
    region('ap-east-2', 'Taipei', 'Taiwan'),
    region('ap-northeast-1', 'Tokyo', 'Japan'),
    region('ap-northeast-2', 'Seoul', 'South Korea'),
    region('ap-northeast-3', 'Osaka', 'Japan'),
    region('ap-south-1', 'Mumbai', 'India'),
    region('ap-south-2', 'Hyderabad', 'India'),
    region('ap-southeast-1', 'Singapore', 'Singapore'),
    region('ap-southeast-2', 'Sydney', 'Australia'),
    region('ap-southeast-3', 'Jakarta', 'Indonesia'),
    region('ap-southeast-4', 'Melbourne', 'Australia'),
    region('ap-southeast-5', 'Malaysia', 'Malaysia'),
    region('ap-southeast-6', 'New Zealand', 'New Zealand'),
    region('ap-southeast-7', 'Thailand', 'Thailand'),
    region('cn-north-1', 'Beijing', 'China'),
    region('cn-northwest-1', 'Ningxia', 'China'),
  ],
};

/**
 * The providers whose regions are known, EU/EEA and not, from each provider's published list of
 * regions and endpoints (checked November 2026).
 */
export const providers: readonly Provider[] = [
  amazon,
  {
    name: 'Scaleway',
    endpoint: '`https://s3.<region>.scw.cloud`',
    suggestion: 'fr-par, nl-ams or pl-waw',
    match: hostPattern(/(?:^|\.)s3\.(?<region>[a-z0-9-]+)\.scw\.cloud$/),
    regions: [
      region('fr-par', 'Paris', 'France'),
      region('nl-ams', 'Amsterdam', 'Netherlands'),
      region('pl-waw', 'Warsaw', 'Poland'),
    ],
  },
  {
    name: 'OVHcloud',
    endpoint: '`https://s3.<region>.io.cloud.ovh.net` (or `.perf.cloud.ovh.net`)',
    suggestion: 'gra, rbx, sbg, eu-west-par, eu-south-mil, de or waw',
    match: hostPattern(/(?:^|\.)s3\.(?<region>[a-z0-9-]+)\.(?:io\.|perf\.)?cloud\.ovh\.net$/),
    regions: [
      region('gra', 'Gravelines', 'France'),
      region('rbx', 'Roubaix', 'France'),
      region('sbg', 'Strasbourg', 'France'),
      region('eu-west-par', 'Paris', 'France'),
      region('eu-south-mil', 'Milan', 'Italy'),
      region('de', 'Frankfurt', 'Germany'),
      region('waw', 'Warsaw', 'Poland'),
      region('uk', 'London', 'United Kingdom'),
      region('bhs', 'Beauharnois', 'Canada'),
      region('ca-east-tor', 'Toronto', 'Canada'),
      region('sgp', 'Singapore', 'Singapore'),
      region('ap-southeast-syd', 'Sydney', 'Australia'),
      region('ap-south-mum', 'Mumbai', 'India'),
    ],
  },
  {
    name: 'Hetzner',
    endpoint: '`https://<region>.your-objectstorage.com`',
    suggestion: 'fsn1, nbg1 or hel1',
    match: hostPattern(/(?:^|\.)(?<region>[a-z0-9-]+)\.your-objectstorage\.com$/),
    regions: [
      region('fsn1', 'Falkenstein', 'Germany'),
      region('nbg1', 'Nuremberg', 'Germany'),
      region('hel1', 'Helsinki', 'Finland'),
    ],
  },
  {
    name: 'IONOS',
    endpoint: '`https://s3.<region>.ionoscloud.com` or `https://s3-<region>.ionoscloud.com`',
    suggestion: 'de (eu-central-1), eu-central-2, eu-central-3 or eu-south-2',
    match: hostPattern(/(?:^|\.)s3[.-](?<region>[a-z0-9-]+)\.ionoscloud\.com$/),
    regions: [
      region('de', 'Frankfurt', 'Germany'),
      region('eu-central-1', 'Frankfurt', 'Germany'),
      region('eu-central-2', 'Berlin', 'Germany'),
      region('eu-central-3', 'Berlin', 'Germany'),
      region('eu-south-2', 'Logroño', 'Spain'),
    ],
  },
  {
    name: 'Exoscale',
    endpoint: '`https://sos-<zone>.exo.io`',
    suggestion: 'de-fra-1, de-muc-1, at-vie-1, at-vie-2, bg-sof-1 or hr-zag-1',
    match: hostPattern(/(?:^|\.)sos-(?<region>[a-z0-9-]+)\.exo\.io$/),
    regions: [
      region('de-fra-1', 'Frankfurt', 'Germany'),
      region('de-muc-1', 'Munich', 'Germany'),
      region('at-vie-1', 'Vienna', 'Austria'),
      region('at-vie-2', 'Vienna', 'Austria'),
      region('bg-sof-1', 'Sofia', 'Bulgaria'),
      region('hr-zag-1', 'Zagreb', 'Croatia'),
      region('ch-gva-2', 'Geneva', 'Switzerland'),
      region('ch-dk-2', 'Zurich', 'Switzerland'),
    ],
  },
  {
    name: 'Wasabi',
    endpoint: '`https://s3.<region>.wasabisys.com`',
    suggestion:
      'eu-central-1 (Amsterdam), eu-central-2 (Frankfurt), eu-west-2 (Paris) or eu-south-1 (Milan)',
    // `s3.wasabisys.com` without a region is Wasabi's us-east-1.
    match: (host) => {
      const found = /(?:^|\.)s3\.(?:(?<region>[a-z0-9-]+)\.)?wasabisys\.com$/.exec(host);
      return found ? { region: found.groups?.region ?? 'us-east-1' } : null;
    },
    regions: [
      region('eu-central-1', 'Amsterdam', 'Netherlands'),
      region('nl-1', 'Amsterdam', 'Netherlands'),
      region('eu-central-2', 'Frankfurt', 'Germany'),
      region('de-1', 'Frankfurt', 'Germany'),
      region('eu-west-2', 'Paris', 'France'),
      region('fr-1', 'Paris', 'France'),
      region('eu-south-1', 'Milan', 'Italy'),
      region('it-1', 'Milan', 'Italy'),
      region('eu-west-1', 'London', 'United Kingdom'),
      region('uk-1', 'London', 'United Kingdom'),
      region('eu-west-3', 'London', 'United Kingdom'),
      region('uk-2', 'London', 'United Kingdom'),
      region('us-east-1', 'N. Virginia', 'United States'),
      region('us-east-2', 'N. Virginia', 'United States'),
      region('us-central-1', 'Texas', 'United States'),
      region('us-west-1', 'Oregon', 'United States'),
      region('us-west-2', 'San Jose', 'United States'),
      region('ca-central-1', 'Toronto', 'Canada'),
      region('ap-northeast-1', 'Tokyo', 'Japan'),
      region('ap-northeast-2', 'Osaka', 'Japan'),
      region('ap-southeast-1', 'Singapore', 'Singapore'),
      region('ap-southeast-2', 'Sydney', 'Australia'),
    ],
  },
  {
    name: 'Backblaze B2',
    endpoint: '`https://s3.<region>.backblazeb2.com`',
    suggestion: 'eu-central-003 (Amsterdam)',
    match: hostPattern(/(?:^|\.)s3\.(?<region>[a-z0-9-]+)\.backblazeb2\.com$/),
    regions: [region('eu-central-003', 'Amsterdam', 'Netherlands')],
  },
  {
    name: 'Cloudflare R2',
    endpoint: '`https://<account id>.eu.r2.cloudflarestorage.com` (EU jurisdiction)',
    suggestion:
      'eu, the EU jurisdiction (create the bucket in it and use https://<account id>.eu.r2.cloudflarestorage.com)',
    // The jurisdiction is the label before `r2`; without one the bucket has no fixed place.
    match: (host) => {
      const found =
        /(?:^|\.)[0-9a-f]{32}(?:\.(?<jurisdiction>[a-z]+))?\.r2\.cloudflarestorage\.com$/.exec(
          host,
        );
      return found ? { region: found.groups?.jurisdiction ?? 'default' } : null;
    },
    regions: [
      { region: 'eu', place: 'EU jurisdiction', country: 'European Union', inEea: true },
      region('fedramp', 'FedRAMP jurisdiction', 'United States'),
      {
        region: 'default',
        place: 'no jurisdiction',
        country: null,
        inEea: false,
        where: 'bound to no jurisdiction, so Cloudflare may keep the data outside the EU/EEA',
      },
    ],
  },
  {
    name: 'DigitalOcean Spaces',
    endpoint: '`https://<region>.digitaloceanspaces.com`',
    suggestion: 'ams3 (Amsterdam) or fra1 (Frankfurt)',
    match: hostPattern(/(?:^|\.)(?<region>[a-z]+\d)\.digitaloceanspaces\.com$/),
    regions: [
      region('ams3', 'Amsterdam', 'Netherlands'),
      region('fra1', 'Frankfurt', 'Germany'),
      region('lon1', 'London', 'United Kingdom'),
      region('nyc3', 'New York', 'United States'),
      region('sfo2', 'San Francisco', 'United States'),
      region('sfo3', 'San Francisco', 'United States'),
      region('atl1', 'Atlanta', 'United States'),
      region('tor1', 'Toronto', 'Canada'),
      region('sgp1', 'Singapore', 'Singapore'),
      region('syd1', 'Sydney', 'Australia'),
      region('blr1', 'Bangalore', 'India'),
    ],
  },
];

/** Names, English and native, by which a location text may name a country. Longest first wins. */
export const countryNames: readonly (readonly [string, readonly string[]])[] = [
  ['Austria', ['austria', 'österreich', 'oesterreich']],
  ['Belgium', ['belgium', 'belgië', 'belgie', 'belgique', 'belgien']],
  ['Bulgaria', ['bulgaria', 'българия']],
  ['Croatia', ['croatia', 'hrvatska']],
  ['Cyprus', ['cyprus', 'κύπρος']],
  ['Czechia', ['czechia', 'czech republic', 'česko', 'česká republika']],
  ['Denmark', ['denmark', 'danmark']],
  ['Estonia', ['estonia', 'eesti']],
  ['Finland', ['finland', 'suomi']],
  ['France', ['france', 'frankreich']],
  ['Germany', ['germany', 'deutschland', 'allemagne']],
  ['Greece', ['greece', 'hellas', 'ελλάδα']],
  ['Hungary', ['hungary', 'magyarország']],
  ['Ireland', ['ireland', 'éire', 'irland']],
  ['Italy', ['italy', 'italia', 'italien']],
  ['Latvia', ['latvia', 'latvija']],
  ['Lithuania', ['lithuania', 'lietuva']],
  ['Luxembourg', ['luxembourg', 'luxemburg']],
  ['Malta', ['malta']],
  ['Netherlands', ['netherlands', 'nederland', 'niederlande', 'pays-bas', 'holland']],
  ['Poland', ['poland', 'polska', 'polen', 'pologne']],
  ['Portugal', ['portugal']],
  ['Romania', ['romania', 'românia', 'rumänien']],
  ['Slovakia', ['slovakia', 'slovensko', 'slowakei']],
  ['Slovenia', ['slovenia', 'slovenija', 'slowenien']],
  ['Spain', ['spain', 'españa', 'espana', 'spanien', 'espagne']],
  ['Sweden', ['sweden', 'sverige', 'schweden', 'suède']],
  ['Iceland', ['iceland', 'ísland']],
  ['Liechtenstein', ['liechtenstein']],
  ['Norway', ['norway', 'norge', 'noreg', 'norwegen', 'norvège']],
  [
    'United Kingdom',
    [
      'united kingdom',
      'uk',
      'great britain',
      'britain',
      'england',
      'scotland',
      'wales',
      'northern ireland',
      'großbritannien',
      'royaume-uni',
    ],
  ],
  ['Switzerland', ['switzerland', 'schweiz', 'suisse', 'svizzera']],
  ['United States', ['united states', 'usa', 'u.s.a.', 'u.s.', 'america']],
  ['Canada', ['canada']],
];

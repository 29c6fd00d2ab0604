import net from 'node:net';
import { ConfigError, type Config, type S3Config } from '../config.js';

/**
 * Where object storage is, and whether `PIXELUNION_DATA_RESIDENCY=eu` lets the server start on it.
 *
 * The check is made from configuration only, before any request is sent: the endpoint's host
 * names the provider (and often the region), the region names the data centre. Only providers
 * and regions listed below are accepted; the same list is documented in
 * docs/configuration.md#data-residency (a test keeps the two in step). Regions outside the
 * EU/EEA are listed too, so that a refusal can say where the data would have been.
 *
 * Decisions worth knowing:
 * - The United Kingdom and Switzerland are not in the EU/EEA: AWS eu-west-2 (London) and
 *   eu-central-2 (Zurich), Wasabi eu-west-1/eu-west-3 (UK), OVHcloud uk and Exoscale ch-* are
 *   refused, although adequacy decisions allow transfers there; the promise is EU/EEA residency.
 * - Cloudflare R2 passes only with the `eu` jurisdiction (its `<account>.eu.r2…` endpoint); a
 *   location hint alone does not bind where Cloudflare keeps the data.
 * - A self-hosted server (MinIO, Garage, Ceph…) on this operator's own network (loopback,
 *   private or link-local address, a single-label or `.local`/`.internal`/`.lan` name) cannot be
 *   placed from its address: it passes when PIXELUNION_STORAGE_LOCATION names an EU/EEA country.
 * - Any other host is refused: PixelUnion cannot tell where it is.
 */

export interface Residency {
  /** Who runs the storage: a provider's name, "self-hosted" or "unknown". */
  provider: string;
  /** The region the data is in, as the provider names it (the configured one when the host names none). */
  region: string;
  /** English name of the country, "European Union" for an EU-wide jurisdiction, or null when unknown. */
  country: string | null;
  inEea: boolean;
  /** A sentence for the privacy page: where users' files are. */
  description: string;
}

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
const amazon: Provider = {
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
const countryNames: readonly (readonly [string, readonly string[]])[] = [
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every country a free text names, each once, a longer name winning over a part of it. */
export function countriesNamedIn(text: string): string[] {
  const lower = text.toLowerCase();
  const spans: { start: number; end: number; country: string }[] = [];
  const names = countryNames
    .flatMap(([country, aliases]) => aliases.map((alias) => ({ country, alias })))
    .sort((a, b) => b.alias.length - a.alias.length);
  for (const { country, alias } of names) {
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(alias)}(?![\\p{L}\\p{N}])`, 'gu');
    for (const found of lower.matchAll(pattern)) {
      const start = found.index;
      const end = start + alias.length;
      if (spans.some((span) => start < span.end && end > span.start)) continue;
      spans.push({ start, end, country });
    }
  }
  return [...new Set(spans.sort((a, b) => a.start - b.start).map((span) => span.country))];
}

function isEea(country: string): boolean {
  return (eeaCountries as readonly string[]).includes(country);
}

/** "in the United States", "in Germany". */
function inCountry(country: string): string {
  return /^(United|Netherlands|Czech Republic|European Union)/.test(country)
    ? `in the ${country}`
    : `in ${country}`;
}

function placeText(found: ProviderRegion): string {
  if (found.country === null || found.place === found.country) return found.place;
  return `${found.place}, ${found.country}`;
}

/** Where a region outside the EU/EEA is, for a refusal. */
function outsideText(found: ProviderRegion): string {
  return (
    found.where ??
    `${inCountry(found.country ?? 'an unknown country')} (${found.place}), outside the EU/EEA`
  );
}

/** True for hosts on the operator's own network: loopback, private, link-local, local names. */
export function isOwnNetworkHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (net.isIPv4(bare)) {
    const [a = 0, b = 0] = bare.split('.').map(Number);
    return (
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      // Carrier-grade NAT space, used by overlay networks such as Tailscale.
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (net.isIPv6(bare)) {
    return bare === '::1' || /^f[cd]/.test(bare) || /^fe[89ab]/.test(bare);
  }
  return (
    !bare.includes('.') ||
    bare === 'localhost' ||
    /\.(?:localhost|local|internal|lan|home\.arpa)$/.test(bare)
  );
}

const offHint = 'or set PIXELUNION_DATA_RESIDENCY=off to start without this check';
const docs = 'docs/configuration.md#data-residency';

function endpointHost(s3: S3Config): { host: string; display: string } | null {
  if (s3.endpoint === null) return null;
  const url = new URL(s3.endpoint);
  // A virtual-hosted endpoint starts with the bucket's name, which the privacy page does not show.
  const display = url.host.toLowerCase().startsWith(`${s3.bucket.toLowerCase()}.`)
    ? url.host.slice(s3.bucket.length + 1)
    : url.host;
  return { host: url.hostname.toLowerCase().replace(/\.$/, ''), display };
}

/** The host the AWS SDK talks to when no endpoint is configured. */
function awsDefaultHost(region: string): string {
  const suffix = region.startsWith('cn-')
    ? 'amazonaws.com.cn'
    : region.startsWith('eusc-')
      ? 'amazonaws.eu'
      : 'amazonaws.com';
  return `s3.${region}.${suffix}`;
}

/**
 * Says where the bucket of `s3` is and, with `residency` "eu", refuses (ConfigError naming the
 * variable to change) unless it is in the EU/EEA. `storageLocation` is PIXELUNION_STORAGE_LOCATION:
 * the operator's word, used for self-hosted servers and shown when the place is not known.
 */
export function checkResidency(
  s3: S3Config,
  storageLocation: string,
  residency: Config['dataResidency'],
): Residency {
  const endpoint = endpointHost(s3);
  let provider: Provider | undefined;
  let hostRegion: string | null = null;
  if (endpoint === null) {
    provider = amazon;
  } else {
    for (const candidate of providers) {
      const found = candidate.match(endpoint.host);
      if (found) {
        provider = candidate;
        hostRegion = found.region;
        break;
      }
    }
  }
  const display = endpoint?.display ?? awsDefaultHost(s3.region);
  const storage = `S3-compatible object storage at ${display}`;
  const enforce = residency === 'eu';

  if (provider) {
    // The host decides where requests go when it names a region; else the configured region does.
    const regionName = hostRegion ?? s3.region;
    const variable = hostRegion === null ? 'PIXELUNION_S3_REGION' : 'PIXELUNION_S3_ENDPOINT';
    const given = hostRegion === null ? `"${s3.region}"` : `"${s3.endpoint ?? ''}"`;
    const found = provider.regions.find((candidate) => candidate.region === regionName);
    if (found?.inEea) {
      return {
        provider: provider.name,
        region: regionName,
        country: found.country,
        inEea: true,
        description: `${storage} (${provider.name}), region ${regionName} (${placeText(found)})`,
      };
    }
    if (found) {
      if (enforce) {
        throw new ConfigError(
          variable,
          `is ${given}: region ${regionName} of ${provider.name} is ${outsideText(found)}, ` +
            `and PIXELUNION_DATA_RESIDENCY is "eu". ` +
            `Choose an EU/EEA region such as ${provider.suggestion}, ${offHint} (see ${docs}).`,
        );
      }
      return {
        provider: provider.name,
        region: regionName,
        country: found.country,
        inEea: false,
        description: `${storage} (${provider.name}), region ${regionName} (${placeText(found)}, outside the EU/EEA)`,
      };
    }
    if (enforce) {
      throw new ConfigError(
        variable,
        `is ${given}: region ${regionName} of ${provider.name} is not one known to be in the ` +
          `EU/EEA, and PIXELUNION_DATA_RESIDENCY is "eu". The accepted regions are listed in ` +
          `${docs}; choose one such as ${provider.suggestion}, ${offHint}.`,
      );
    }
    return {
      provider: provider.name,
      region: regionName,
      country: null,
      inEea: false,
      description: `${storage} (${provider.name}), region ${regionName}${operatorWord(storageLocation)}`,
    };
  }

  const host = endpoint?.host ?? '';
  const named = countriesNamedIn(storageLocation);
  const outside = named.filter((country) => !isEea(country));
  const inside = named.filter(isEea);
  if (isOwnNetworkHost(host)) {
    if (enforce && outside.length > 0) {
      throw new ConfigError(
        'PIXELUNION_STORAGE_LOCATION',
        `is "${storageLocation}": it places the S3-compatible server at ${display} ` +
          `${inCountry(outside[0] ?? '')}, outside the EU/EEA, and PIXELUNION_DATA_RESIDENCY is ` +
          `"eu". Keep the data on a server in the EU/EEA, ${offHint}.`,
      );
    }
    if (enforce && inside.length === 0) {
      throw new ConfigError(
        'PIXELUNION_STORAGE_LOCATION',
        `must name the EU/EEA country where the S3-compatible server at ${display} stands ` +
          `(e.g. "own MinIO server, Berlin, Germany"), got "${storageLocation}". That endpoint is ` +
          `on this operator's own network, so its place cannot be told from its address, and ` +
          `PIXELUNION_DATA_RESIDENCY is "eu". Name the country (see ${docs}), ${offHint}.`,
      );
    }
    const country = outside[0] ?? inside[0] ?? null;
    return {
      provider: 'self-hosted',
      region: s3.region,
      country,
      inEea: country !== null && outside.length === 0,
      description: `${storage} on the operator's own network${operatorWord(storageLocation)}`,
    };
  }

  if (enforce) {
    throw new ConfigError(
      'PIXELUNION_S3_ENDPOINT',
      `is "${s3.endpoint ?? ''}": PixelUnion cannot tell where ${host} keeps its data. It is not ` +
        `one of the providers listed in ${docs}, nor on this operator's own network, and ` +
        `PIXELUNION_DATA_RESIDENCY is "eu". Use a listed provider with an EU/EEA region, or set ` +
        `PIXELUNION_DATA_RESIDENCY=off and say where the data is in PIXELUNION_STORAGE_LOCATION.`,
    );
  }
  const country = named[0] ?? null;
  return {
    provider: 'unknown',
    region: s3.region,
    country,
    inEea: country !== null && outside.length === 0,
    description: `${storage}, region ${s3.region}${operatorWord(storageLocation)}`,
  };
}

/**
 * The operator's own description (PIXELUNION_STORAGE_LOCATION) when it names a country, so that
 * the default text meant for the local folder is not shown for object storage.
 */
function operatorWord(storageLocation: string): string {
  return countriesNamedIn(storageLocation).length > 0
    ? `: ${storageLocation}`
    : '; its location was not checked (PIXELUNION_DATA_RESIDENCY=off)';
}

import net from 'node:net';
import { ConfigError, type Config, type S3Config } from '../config.js';
import {
  amazon,
  countryNames,
  eeaCountries,
  providers,
  type Provider,
  type ProviderRegion,
} from './residency.providers.js';

export { providers } from './residency.providers.js';

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

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type S3Config } from '../config.js';
import { openBlobStore } from './blob-stores.js';
import { LocalBlobStore } from './local.blob-store.js';
import { checkResidency, countriesNamedIn, isOwnNetworkHost, providers } from './residency.js';
import { S3BlobStore } from './s3.blob-store.js';
import { startLocalS3, type LocalS3 } from './s3rver.testing.js';

function s3(endpoint: string | null, region: string): S3Config {
  return {
    endpoint,
    region,
    bucket: 'photos',
    accessKeyId: 'key',
    secretAccessKey: 'secret',
    forcePathStyle: endpoint !== null,
    prefix: '',
  };
}

function refusal(config: S3Config, storageLocation = 'local disk of this server'): ConfigError {
  try {
    checkResidency(config, storageLocation, 'eu');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('data residency', () => {
  it.each([
    [null, 'eu-central-1', 'Germany'],
    [null, 'eu-west-1', 'Ireland'],
    [null, 'eu-west-3', 'France'],
    [null, 'eu-south-1', 'Italy'],
    [null, 'eu-south-2', 'Spain'],
    [null, 'eu-north-1', 'Sweden'],
    [null, 'eusc-de-east-1', 'Germany'],
    ['https://s3.eu-central-1.amazonaws.com', 'eu-central-1', 'Germany'],
    ['https://s3-eu-west-1.amazonaws.com', 'eu-west-1', 'Ireland'],
    ['https://s3.dualstack.eu-north-1.amazonaws.com', 'eu-north-1', 'Sweden'],
    ['https://s3.fr-par.scw.cloud', 'fr-par', 'France'],
    ['https://s3.nl-ams.scw.cloud', 'nl-ams', 'Netherlands'],
    ['https://s3.pl-waw.scw.cloud', 'pl-waw', 'Poland'],
    ['https://s3.gra.io.cloud.ovh.net', 'gra', 'France'],
    ['https://s3.sbg.perf.cloud.ovh.net', 'sbg', 'France'],
    ['https://s3.de.io.cloud.ovh.net', 'de', 'Germany'],
    ['https://s3.waw.io.cloud.ovh.net', 'waw', 'Poland'],
    ['https://s3.eu-south-mil.io.cloud.ovh.net', 'eu-south-mil', 'Italy'],
    ['https://fsn1.your-objectstorage.com', 'fsn1', 'Germany'],
    ['https://hel1.your-objectstorage.com', 'hel1', 'Finland'],
    ['https://s3.eu-central-3.ionoscloud.com', 'eu-central-3', 'Germany'],
    ['https://s3-eu-south-2.ionoscloud.com', 'eu-south-2', 'Spain'],
    ['https://sos-at-vie-1.exo.io', 'at-vie-1', 'Austria'],
    ['https://sos-bg-sof-1.exo.io', 'bg-sof-1', 'Bulgaria'],
    ['https://s3.eu-central-1.wasabisys.com', 'eu-central-1', 'Netherlands'],
    ['https://s3.eu-west-2.wasabisys.com', 'eu-west-2', 'France'],
    ['https://s3.eu-central-003.backblazeb2.com', 'eu-central-003', 'Netherlands'],
    [
      'https://0123456789abcdef0123456789abcdef.eu.r2.cloudflarestorage.com',
      'auto',
      'European Union',
    ],
    ['https://fra1.digitaloceanspaces.com', 'fra1', 'Germany'],
  ])('accepts %s, region %s (%s)', (endpoint, region, country) => {
    const found = checkResidency(s3(endpoint, region), 'anything', 'eu');
    expect(found.country).toBe(country);
    expect(found.inEea).toBe(true);
    expect(found.description).toMatch(/^S3-compatible object storage at /);
    expect(found.description).toContain(country);
  });

  it('describes where the data is for the privacy page', () => {
    expect(checkResidency(s3('https://s3.fr-par.scw.cloud', 'fr-par'), '', 'eu').description).toBe(
      'S3-compatible object storage at s3.fr-par.scw.cloud (Scaleway), region fr-par (Paris, France)',
    );
    expect(checkResidency(s3(null, 'eu-central-1'), '', 'eu').description).toBe(
      'S3-compatible object storage at s3.eu-central-1.amazonaws.com (Amazon Web Services), ' +
        'region eu-central-1 (Frankfurt, Germany)',
    );
  });

  it.each([
    [null, 'us-east-1', 'PIXELUNION_S3_REGION', /in the United States \(N\. Virginia\)/],
    [null, 'eu-west-2', 'PIXELUNION_S3_REGION', /in the United Kingdom \(London\)/],
    [null, 'eu-central-2', 'PIXELUNION_S3_REGION', /in Switzerland \(Zurich\)/],
    [null, 'ap-southeast-1', 'PIXELUNION_S3_REGION', /in Singapore/],
    [null, 'xx-nowhere-9', 'PIXELUNION_S3_REGION', /not one known to be in the EU\/EEA/],
    ['https://s3.us-west-2.amazonaws.com', 'eu-central-1', 'PIXELUNION_S3_ENDPOINT', /Oregon/],
    ['https://s3.uk.io.cloud.ovh.net', 'uk', 'PIXELUNION_S3_ENDPOINT', /United Kingdom/],
    ['https://s3.bhs.io.cloud.ovh.net', 'bhs', 'PIXELUNION_S3_ENDPOINT', /in Canada/],
    ['https://sos-ch-gva-2.exo.io', 'ch-gva-2', 'PIXELUNION_S3_ENDPOINT', /in Switzerland/],
    ['https://s3.eu-west-1.wasabisys.com', 'eu-west-1', 'PIXELUNION_S3_ENDPOINT', /United King/],
    ['https://s3.eu-west-3.wasabisys.com', 'eu-west-3', 'PIXELUNION_S3_ENDPOINT', /United King/],
    ['https://s3.wasabisys.com', 'us-east-1', 'PIXELUNION_S3_ENDPOINT', /United States/],
    ['https://s3.us-west-004.backblazeb2.com', 'us-west-004', 'PIXELUNION_S3_ENDPOINT', /known/],
    ['https://lon1.digitaloceanspaces.com', 'lon1', 'PIXELUNION_S3_ENDPOINT', /United King/],
    [
      'https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com',
      'auto',
      'PIXELUNION_S3_ENDPOINT',
      /region default of Cloudflare R2 is bound to no jurisdiction/,
    ],
    ['https://storage.example.com', 'eu-central-1', 'PIXELUNION_S3_ENDPOINT', /cannot tell/],
    ['https://203.0.113.7:9000', 'eu-central-1', 'PIXELUNION_S3_ENDPOINT', /cannot tell/],
  ])('refuses %s, region %s, naming %s', (endpoint, region, variable, message) => {
    const error = refusal(s3(endpoint, region));
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('PIXELUNION_DATA_RESIDENCY=off');
  });

  it('says why, and what to do, in words', () => {
    expect(refusal(s3(null, 'us-east-1')).message).toBe(
      'Invalid configuration: PIXELUNION_S3_REGION is "us-east-1": region us-east-1 of Amazon Web ' +
        'Services is in the United States (N. Virginia), outside the EU/EEA, and ' +
        'PIXELUNION_DATA_RESIDENCY is "eu". Choose an EU/EEA region such as eu-central-1 ' +
        '(Frankfurt), eu-west-1 (Ireland) or eu-west-3 (Paris), or set ' +
        'PIXELUNION_DATA_RESIDENCY=off to start without this check ' +
        '(see docs/configuration.md#data-residency).',
    );
    expect(refusal(s3('https://storage.example.com', 'eu-central-1')).message).toContain(
      'docs/configuration.md#data-residency',
    );
  });

  describe('self-hosted servers on the operator own network', () => {
    it.each([
      'http://127.0.0.1:9000',
      'http://localhost:9000',
      'http://minio:9000',
      'http://10.1.2.3',
      'http://172.20.0.5:9000',
      'http://192.168.1.10:9000',
      'http://nas.local:9000',
      'http://[::1]:9000',
      'http://[fd12:3456::1]:9000',
    ])('%s passes when PIXELUNION_STORAGE_LOCATION names an EU/EEA country', (endpoint) => {
      const found = checkResidency(s3(endpoint, 'us-east-1'), 'own MinIO, Berlin, Germany', 'eu');
      expect(found).toMatchObject({ provider: 'self-hosted', country: 'Germany', inEea: true });
      expect(found.description).toContain('own MinIO, Berlin, Germany');
    });

    it('refuses when the location names no country', () => {
      const error = refusal(s3('http://127.0.0.1:9000', 'us-east-1'));
      expect(error.variable).toBe('PIXELUNION_STORAGE_LOCATION');
      expect(error.message).toMatch(/must name the EU\/EEA country/);
      expect(error.message).toContain('local disk of this server');
    });

    it.each([
      ['basement, London, UK', 'United Kingdom'],
      ['Zürich office, Switzerland', 'Switzerland'],
      ['Belfast, Northern Ireland', 'United Kingdom'],
    ])('refuses the location %j (%s)', (location, country) => {
      const error = refusal(s3('http://10.0.0.2:9000', 'us-east-1'), location);
      expect(error.variable).toBe('PIXELUNION_STORAGE_LOCATION');
      expect(error.message).toContain(country);
    });
  });

  it('recognises own-network hosts only', () => {
    expect(isOwnNetworkHost('172.32.0.1')).toBe(false);
    expect(isOwnNetworkHost('8.8.8.8')).toBe(false);
    expect(isOwnNetworkHost('s3.example.com')).toBe(false);
    expect(isOwnNetworkHost('100.100.1.1')).toBe(true);
  });

  it('finds countries in free text, in several languages', () => {
    expect(countriesNamedIn('Hetzner, Falkenstein, Deutschland')).toEqual(['Germany']);
    expect(countriesNamedIn('OVH Roubaix (France) and Warsaw, Polska')).toEqual([
      'France',
      'Poland',
    ]);
    expect(countriesNamedIn('Belfast, Northern Ireland')).toEqual(['United Kingdom']);
    expect(countriesNamedIn('Dublin, Ireland')).toEqual(['Ireland']);
    expect(countriesNamedIn('local disk of this server')).toEqual([]);
  });

  describe('with PIXELUNION_DATA_RESIDENCY=off', () => {
    it('starts anywhere, and says where as far as known', () => {
      const aws = checkResidency(s3(null, 'us-east-1'), 'local disk of this server', 'off');
      expect(aws).toMatchObject({ country: 'United States', inEea: false });
      expect(aws.description).toContain('N. Virginia, United States, outside the EU/EEA');
      const unknown = checkResidency(
        s3('https://storage.example.com', 'auto'),
        'Example Storage, Oslo, Norway',
        'off',
      );
      expect(unknown).toMatchObject({ provider: 'unknown', country: 'Norway' });
      expect(unknown.description).toContain('Example Storage, Oslo, Norway');
      const unsaid = checkResidency(
        s3('http://minio:9000', 'x'),
        'local disk of this server',
        'off',
      );
      expect(unsaid.description).toContain('was not checked');
      expect(unsaid.description).not.toContain('local disk');
    });
  });

  it('documents every accepted region in docs/configuration.md', () => {
    const docs = fs.readFileSync(
      path.resolve(import.meta.dirname, '../../../docs/configuration.md'),
      'utf8',
    );
    const section = docs.slice(docs.indexOf('## Data residency'));
    expect(section.length).toBeGreaterThan(100);
    for (const provider of providers) {
      expect(section).toContain(provider.name);
      for (const region of provider.regions.filter((candidate) => candidate.inEea)) {
        expect(section).toContain(`\`${region.region}\``);
      }
    }
  });
});

describe('choosing the blob store at start', () => {
  let dataDir: string;
  let local: LocalS3;

  beforeAll(async () => {
    dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-residency-'));
    local = await startLocalS3();
  });
  afterAll(async () => {
    await local.stop();
    await fsp.rm(dataDir, { recursive: true, force: true });
  });

  it('uses the local folder without a bucket, located by PIXELUNION_STORAGE_LOCATION', async () => {
    const store = await openBlobStore(
      loadConfig({
        PIXELUNION_DATA_DIR: dataDir,
        PIXELUNION_STORAGE_LOCATION: 'Hetzner, Falkenstein, Germany',
      }),
    );
    expect(store).toBeInstanceOf(LocalBlobStore);
    expect(store.location).toBe('Hetzner, Falkenstein, Germany');
  });

  it('opens a bucket whose residency passes and which answers', async () => {
    const store = await openBlobStore(
      loadConfig({
        PIXELUNION_DATA_DIR: dataDir,
        ...local.env(),
        PIXELUNION_STORAGE_LOCATION: 'test server on this machine, Germany',
      }),
    );
    expect(store).toBeInstanceOf(S3BlobStore);
    expect(store.location).toContain("on the operator's own network");
    if (store instanceof S3BlobStore) store.close();
  });

  it('refuses a region outside the EU/EEA before sending anything', async () => {
    const config = loadConfig({
      PIXELUNION_DATA_DIR: dataDir,
      PIXELUNION_S3_BUCKET: 'photos',
      PIXELUNION_S3_REGION: 'us-east-1',
      PIXELUNION_S3_ACCESS_KEY_ID: 'key',
      PIXELUNION_S3_SECRET_ACCESS_KEY: 'secret',
    });
    expect(config.dataResidency).toBe('eu');
    await expect(openBlobStore(config)).rejects.toThrow(/PIXELUNION_S3_REGION is "us-east-1"/);
  });

  // s3rver checks access key ids but not SigV4 signatures, so a wrong secret cannot be tried here.
  it.each([
    [{ PIXELUNION_S3_BUCKET: 'no-such-bucket' }, 'PIXELUNION_S3_BUCKET', /does not exist/],
    [{ PIXELUNION_S3_ACCESS_KEY_ID: 'nobody' }, 'PIXELUNION_S3_ACCESS_KEY_ID', /refused/],
  ])('refuses a bucket that does not answer (%j)', async (change, variable, message) => {
    const config = loadConfig({
      PIXELUNION_DATA_DIR: dataDir,
      ...local.env(),
      PIXELUNION_STORAGE_LOCATION: 'Germany',
      ...change,
    });
    const error: unknown = await openBlobStore(config).then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toMatch(message);
  });

  it('refuses an endpoint that cannot be reached', async () => {
    const config = loadConfig({
      PIXELUNION_DATA_DIR: dataDir,
      ...local.env(),
      PIXELUNION_S3_ENDPOINT: 'http://127.0.0.1:1',
      PIXELUNION_STORAGE_LOCATION: 'Germany',
    });
    await expect(openBlobStore(config)).rejects.toThrow(/PIXELUNION_S3_ENDPOINT could not be/);
  });

  it('stops the server with exit code 78 and the reason', () => {
    const bin = path.resolve(import.meta.dirname, '../../../bin/pixelunion.mjs');
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (!/^(PIXELUNION_|DATABASE_URL$)/.test(name)) env[name] = value;
    }
    const result = spawnSync(process.execPath, [bin, 'serve'], {
      env: {
        ...env,
        PORT: '0',
        PIXELUNION_DATA_DIR: path.join(dataDir, 'refused'),
        PIXELUNION_S3_BUCKET: 'photos',
        PIXELUNION_S3_REGION: 'eu-west-2',
        PIXELUNION_S3_ACCESS_KEY_ID: 'key',
        PIXELUNION_S3_SECRET_ACCESS_KEY: 'secret',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stderr).toContain(
      'PIXELUNION_S3_REGION is "eu-west-2": region eu-west-2 of Amazon Web Services is in the ' +
        'United Kingdom (London), outside the EU/EEA',
    );
    expect(result.status).toBe(78);
  });
});

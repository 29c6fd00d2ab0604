import fs from 'node:fs';
import type { Config } from '../../config.js';
import type { Dialect } from '../../db/database.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { LocalBlobStore } from '../../storage/local.blob-store.js';
import { checkResidency } from '../../storage/residency.js';
import {
  legalBases,
  neverDone,
  optionalProcessing,
  processingRegister,
  resumableUploadHours,
  visitorPassHours,
  type LegalBasis,
  type Place,
  type ProcessingActivity,
} from './privacy.register.js';

export interface ActivityView {
  id: string;
  name: string;
  data: string[];
  purpose: string;
  legalBasis: { code: LegalBasis; article: string; meaning: string; reason: string };
  retention: string;
  where: { place: Place; description: string }[];
  queues: string[];
  periodicTasks: string[];
}

export interface PrivacyStatement {
  serverVersion: string;
  storage: {
    kind: 'local-folder' | 'object-storage';
    /**
     * The store's own sentence for where it is: PIXELUNION_STORAGE_LOCATION for the local
     * folder, the residency check's description (host, provider, region) for object storage.
     */
    location: string;
    /** Object storage only (null for the local folder): who runs it, as the residency check knows it. */
    provider: string | null;
    region: string | null;
    country: string | null;
    inEea: boolean | null;
  };
  residency: { setting: 'eu' | 'off'; description: string };
  database: { kind: 'sqlite' | 'postgres'; description: string };
  logs: { destination: 'files' | 'output'; retentionDays: number | null; description: string };
  retention: {
    trashDays: number;
    linkDefaultDays: number;
    linkLogDays: number;
    sessionDays: number;
    erasureGraceDays: number;
    loginWindowMinutes: number;
    resumableUploadHours: number;
    visitorPassHours: number;
  };
  optionalProcessing: {
    id: string;
    name: string;
    description: string;
    decidedBy: 'user' | 'link-owner' | 'administrator';
    defaultOn: boolean;
    on: boolean | null;
    changedAt: string;
  }[];
  outgoingConnections: { statement: string; destinations: string[] };
  neverDone: string[];
  register: ActivityView[];
}

/** The version in the project's package.json, read once. */
const serverVersion: string = (() => {
  const parsed: unknown = JSON.parse(
    fs.readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8'),
  );
  const version =
    typeof parsed === 'object' && parsed !== null && 'version' in parsed ? parsed.version : null;
  return typeof version === 'string' ? version : 'unknown';
})();

/**
 * What this server does with personal data: the processing register, with the facts of the
 * running configuration filled in. Everything comes from the objects the server actually uses
 * (its blob store, its database dialect, its frozen config), so the statement cannot drift from
 * what runs.
 */
export class PrivacyService {
  constructor(
    private readonly config: Config,
    private readonly blobs: BlobStore,
    private readonly dialect: Dialect,
  ) {}

  statement(): PrivacyStatement {
    const { config } = this;
    const places = this.places();
    return {
      serverVersion,
      storage: this.storage(),
      residency: { setting: config.dataResidency, description: this.residency() },
      database: {
        kind: this.dialect,
        description: places.database,
      },
      logs:
        config.logDir === null
          ? {
              destination: 'output',
              retentionDays: null,
              description:
                'The server log goes to the server’s output only; PixelUnion keeps no log files. ' +
                'How long the output is kept is up to the system the administrator runs it on.',
            }
          : {
              destination: 'files',
              retentionDays: config.logRetentionDays,
              description:
                'The server log goes to the server’s output and to one file per day on this ' +
                `server; each file is deleted ${String(config.logRetentionDays)} days after its day.`,
            },
      retention: {
        trashDays: config.trashDays,
        linkDefaultDays: config.linkDefaultDays,
        linkLogDays: config.linkLogDays,
        sessionDays: config.sessionDays,
        erasureGraceDays: config.erasureGraceDays,
        loginWindowMinutes: Math.ceil(config.loginWindowSeconds / 60),
        resumableUploadHours,
        visitorPassHours,
      },
      optionalProcessing: optionalProcessing.map((o) => ({
        id: o.id,
        name: o.name,
        description: o.description,
        decidedBy: o.decidedBy,
        defaultOn: o.defaultOn,
        on: o.on(config),
        changedAt: o.changedAt,
      })),
      outgoingConnections: this.outgoingConnections(),
      neverDone: [...neverDone],
      register: processingRegister.map((activity: ProcessingActivity) => ({
        id: activity.id,
        name: activity.name,
        data: [...activity.data],
        purpose: activity.purpose,
        legalBasis: {
          code: activity.basis,
          ...legalBases[activity.basis],
          reason: activity.basisReason,
        },
        retention: activity.retention(config),
        where: activity.where.map((place) => ({ place, description: places[place] })),
        queues: [...activity.queues],
        periodicTasks: [...activity.periodic],
      })),
    };
  }

  private isLocal(): boolean {
    return this.blobs instanceof LocalBlobStore;
  }

  private storage(): PrivacyStatement['storage'] {
    const s3 = this.config.s3;
    const local = { provider: null, region: null, country: null, inEea: null };
    if (this.isLocal() || !s3)
      return { kind: 'local-folder', location: this.blobs.location, ...local };
    // The same reading of the endpoint the server started with; with "off" it never refuses.
    const { provider, region, country, inEea } = checkResidency(
      s3,
      this.config.storageLocation,
      'off',
    );
    return {
      kind: 'object-storage',
      location: this.blobs.location,
      provider,
      region,
      country,
      inEea,
    };
  }

  private places(): Record<Place, string> {
    const storage = this.storage();
    return {
      server: 'This server: its own programs and its own disk',
      database:
        this.dialect === 'sqlite'
          ? 'The database file on this server (SQLite)'
          : 'The PostgreSQL database the administrator set up for this server',
      storage:
        storage.kind === 'local-folder'
          ? `A folder on this server’s disk (${storage.location})`
          : storage.location,
    };
  }

  private residency(): string {
    const storage = this.storage();
    if (storage.kind === 'local-folder') {
      return 'Photos are kept on this server’s own disk, so they are wherever this server is.';
    }
    if (this.config.dataResidency === 'eu') {
      return 'Photos are kept in object storage that must be in the EU or EEA: the server refuses to start with storage anywhere else.';
    }
    const known =
      storage.inEea === true
        ? ` As far as the server can tell, it is in ${storage.country ?? 'the EU/EEA'}.`
        : storage.country
          ? ` As far as the server can tell, it is in ${storage.country}, outside the EU/EEA.`
          : ' The server cannot tell which country it is in.';
    return `The administrator turned the EU/EEA check off for the object storage.${known}`;
  }

  private outgoingConnections(): PrivacyStatement['outgoingConnections'] {
    const destinations: string[] = [];
    if (this.dialect === 'postgres') destinations.push('The PostgreSQL database of this server');
    const storage = this.storage();
    if (storage.kind === 'object-storage') {
      destinations.push(`The object storage where your photos are (${storage.location})`);
    }
    return {
      statement:
        destinations.length === 0
          ? 'None. PixelUnion connects to no other computer on its own: no telemetry, no update ' +
            'check, no online look-ups.'
          : 'Only to where your data is kept, as set up by the administrator. Nothing else: no ' +
            'telemetry, no update check, no online look-ups.',
      destinations,
    };
  }
}

import { api } from '../api/client';

/** One kind of processing of the server's register (`GET /api/privacy`). */
export interface ProcessingActivity {
  id: string;
  name: string;
  data: string[];
  purpose: string;
  legalBasis: {
    code: 'contract' | 'legitimate-interest' | 'legal-obligation' | 'consent';
    article: string;
    meaning: string;
    reason: string;
  };
  retention: string;
  where: { place: 'server' | 'database' | 'storage'; description: string }[];
  queues: string[];
  periodicTasks: string[];
}

export interface OptionalProcessing {
  id: string;
  name: string;
  description: string;
  decidedBy: 'user' | 'link-owner' | 'administrator';
  defaultOn: boolean;
  /** null: each user (or each link's owner) decides. */
  on: boolean | null;
  /** A page of the web app (starts with /) or the administrator's environment variable. */
  changedAt: string;
}

/** What this server does with personal data, with the facts of its configuration. */
export interface PrivacyStatement {
  serverVersion: string;
  storage: {
    kind: 'local-folder' | 'object-storage';
    /** A sentence: the administrator's words for a local folder, host and region for object storage. */
    location: string;
    /** Object storage only. */
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
  optionalProcessing: OptionalProcessing[];
  outgoingConnections: { statement: string; destinations: string[] };
  neverDone: string[];
  register: ProcessingActivity[];
}

/** Public: answers without a session, so the page works before anyone signs in. */
export const privacyStatement = (): Promise<PrivacyStatement> =>
  api.get<PrivacyStatement>('/api/privacy');

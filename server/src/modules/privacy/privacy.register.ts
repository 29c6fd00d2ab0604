import type { Config } from '../../config.js';
import type { QueueName } from '../../jobs/job-queue.js';
import * as access from './privacy.register.access.js';
import * as photos from './privacy.register.photos.js';

export {
  exportKeepDays,
  resumableUploadHours,
  visitorPassHours,
} from './privacy.register.periods.js';

/**
 * The processing register: every kind of processing of personal data this server does, declared
 * once. `GET /api/privacy`, the web app's `/privacy` page and docs/privacy.md all show this list,
 * so a sentence written in it is a promise to users: keep it true to the code.
 *
 * The entries are written, by theme, in privacy.register.access.ts (account, signing in, share
 * links, server log) and privacy.register.photos.ts (the library and the work done on it);
 * `processingRegister` below lists them in the order they are shown. Fixed retention periods and
 * the wording of periods are in privacy.register.periods.ts.
 *
 * Background work cannot run without an entry here:
 * - every job queue (`JobPayloads` in jobs/job-queue.ts) must be named in some activity's
 *   `queues`, or this file stops compiling (see `everyQueueDeclared` below);
 * - `runPeriodically` only accepts a name found in some activity's `periodic`;
 * - job queues and periodic tasks call `assertDeclared` before they start, so work that slips
 *   past the types still refuses to run.
 * A new kind of work is therefore one new entry (or one more name in an existing entry). An entry
 * written in a theme file but not listed in `processingRegister` stops this file compiling too
 * (see `everyActivityListed` below).
 */

/** The lawful bases of GDPR art. 6(1) this server relies on. */
export type LegalBasis = 'contract' | 'legitimate-interest' | 'legal-obligation' | 'consent';

export const legalBases: Readonly<Record<LegalBasis, { article: string; meaning: string }>> = {
  contract: {
    article: 'GDPR art. 6(1)(b)',
    meaning: 'Needed to give you the photo library you signed up for.',
  },
  'legitimate-interest': {
    article: 'GDPR art. 6(1)(f)',
    meaning:
      'Needed to keep the server safe and working; kept small so that it does not outweigh your privacy.',
  },
  'legal-obligation': {
    article: 'GDPR art. 6(1)(c)',
    meaning: 'Needed to honour your rights under the GDPR (erasure, data portability).',
  },
  consent: {
    article: 'GDPR art. 6(1)(a)',
    meaning: 'Only when you have switched it on yourself; you can switch it off at any time.',
  },
};

/**
 * Where an activity keeps or works on its data. The privacy service turns each place into the
 * live fact: which database, which storage and where it is.
 * - `server`: the processes of this server and its own disk (temporary files).
 * - `database`: the database (SQLite file on this server, or the configured PostgreSQL).
 * - `storage`: the blob store holding originals and derived files (local folder or object storage).
 */
export type Place = 'server' | 'database' | 'storage';

/** The configuration that retention periods depend on. */
export type RetentionSettings = Pick<
  Config,
  | 'trashDays'
  | 'linkDefaultDays'
  | 'linkLogDays'
  | 'sessionDays'
  | 'erasureGraceDays'
  | 'logDir'
  | 'logRetentionDays'
  | 'loginWindowSeconds'
>;

export interface ProcessingActivity {
  /** Stable, URL-safe; docs/privacy.md names every id (privacy.test.ts checks it). */
  readonly id: string;
  readonly name: string;
  /** Which personal data, in plain words. */
  readonly data: readonly string[];
  readonly purpose: string;
  readonly basis: LegalBasis;
  /** Why that basis applies to this activity. */
  readonly basisReason: string;
  /** How long the data is kept, in plain words, from the running configuration. */
  readonly retention: (settings: RetentionSettings) => string;
  readonly where: readonly Place[];
  /** The job queues whose work this activity is. */
  readonly queues: readonly QueueName[];
  /** The periodic tasks (`runPeriodically` names) whose work this activity is. */
  readonly periodic: readonly string[];
}

/** Every activity, in the order `GET /api/privacy` and the privacy page show them. */
export const processingRegister = [
  access.account,
  access.sessions,
  access.signInProtection,
  photos.library,
  photos.resumableUploads,
  photos.metadata,
  photos.thumbnails,
  photos.trash,
  photos.deletion,
  access.shareLinks,
  access.shareLinkLog,
  photos.takeoutImport,
  photos.dataExport,
  access.serverLog,
] as const satisfies readonly ProcessingActivity[];

export type ActivityId = (typeof processingRegister)[number]['id'];
type DeclaredQueue = (typeof processingRegister)[number]['queues'][number];
/** The names `runPeriodically` accepts: only work the register declares. */
export type PeriodicTaskName = (typeof processingRegister)[number]['periodic'][number];

type UndeclaredQueue = Exclude<QueueName, DeclaredQueue>;

/**
 * Compile-time check: a queue added to `JobPayloads` that no activity declares makes this line
 * fail with "Type 'boolean' is not assignable to type '{ undeclaredQueue: "<queue>"; }'". Declare
 * the queue in an activity's `queues`.
 */
export const everyQueueDeclared: [UndeclaredQueue] extends [never]
  ? true
  : { undeclaredQueue: UndeclaredQueue } = true;

type WrittenActivity = (typeof access)[keyof typeof access] | (typeof photos)[keyof typeof photos];
type UnlistedActivity = Exclude<WrittenActivity['id'], ActivityId>;

/**
 * Compile-time check: an entry written in privacy.register.access.ts or
 * privacy.register.photos.ts but left out of `processingRegister` makes this line fail with
 * "Type 'boolean' is not assignable to type '{ unlistedActivity: "<id>"; }'". List it there.
 */
export const everyActivityListed: [UnlistedActivity] extends [never]
  ? true
  : { unlistedActivity: UnlistedActivity } = true;

export type ProcessingKind = 'job' | 'periodic';

export class UndeclaredProcessingError extends Error {
  constructor(
    readonly kind: ProcessingKind,
    readonly processingName: string,
  ) {
    super(
      `Refusing to run the ${kind === 'job' ? 'job queue' : 'periodic task'} "${processingName}": ` +
        'it is not declared in the processing register ' +
        '(server/src/modules/privacy/privacy.register.ts). Declare which data it processes, why, ' +
        'and for how long before it may run.',
    );
    this.name = 'UndeclaredProcessingError';
  }
}

/** The activity that declares a job queue or periodic task, or undefined. */
export function activityOf(kind: ProcessingKind, name: string): ProcessingActivity | undefined {
  return processingRegister.find((activity: ProcessingActivity) =>
    (kind === 'job' ? activity.queues : activity.periodic).some((declared) => declared === name),
  );
}

/** Throws UndeclaredProcessingError unless the register declares this job queue or periodic task. */
export function assertDeclared(kind: ProcessingKind, name: string): void {
  if (!activityOf(kind, name)) throw new UndeclaredProcessingError(kind, name);
}

/**
 * Processing that is off, or on, by someone's choice: the privacy page shows each with its
 * current state.
 */
export interface OptionalProcessing {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Who decides: each user for their own library, each link's owner, or the administrator. */
  readonly decidedBy: 'user' | 'link-owner' | 'administrator';
  /** Whether it is on with nothing chosen. */
  readonly defaultOn: boolean;
  /** The state on this server, for the administrator's settings; null when each user or link decides. */
  readonly on: (config: Config) => boolean | null;
  /** Where it is changed: a page of the web app, or the environment variable. */
  readonly changedAt: string;
}

export const optionalProcessing: readonly OptionalProcessing[] = [
  {
    id: 'strip-location',
    name: 'Remove the place from new uploads',
    description:
      'When on, the place a photo was taken (its GPS position) is removed from every photo you ' +
      'upload from then on, imports and uploads through your share links included. Photos ' +
      'already in your library are not changed.',
    decidedBy: 'user',
    defaultOn: false,
    on: () => null,
    changedAt: '/account',
  },
  {
    id: 'link-details',
    name: 'Show place and camera details through a share link',
    description:
      'When on for a link, its visitors get photos with their place, camera and other details. ' +
      'When off, they get copies without them (downloads included).',
    decidedBy: 'link-owner',
    defaultOn: false,
    on: () => null,
    changedAt: '/sharing',
  },
  {
    id: 'trash-expiry',
    name: 'Empty the trash automatically',
    description: 'Deletes for good what has been in the trash longer than the set number of days.',
    decidedBy: 'administrator',
    defaultOn: true,
    on: (config) => config.trashDays > 0,
    changedAt: 'PIXELUNION_TRASH_DAYS',
  },
  {
    id: 'log-files',
    name: 'Server log files',
    description:
      'Keeps the server log in files on this server, each deleted after the set number of days.',
    decidedBy: 'administrator',
    defaultOn: false,
    on: (config) => config.logDir !== null,
    changedAt: 'PIXELUNION_LOG_DIR',
  },
];

/** What this server never does, whatever its configuration. */
export const neverDone: readonly string[] = [
  'No face recognition, and no other biometric processing or machine learning on your photos.',
  'No maps, and no online look-up of places: a photo’s position is never sent anywhere.',
  'No telemetry, analytics, advertising or tracking, and no update check.',
  'No fonts, scripts or images from other websites: the web app loads everything from this server.',
  'Your photos are never sold, and never shown to anyone you have not shared them with.',
];

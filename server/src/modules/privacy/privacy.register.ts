import type { Config } from '../../config.js';
import type { QueueName } from '../../jobs/job-queue.js';

/**
 * The processing register: every kind of processing of personal data this server does, declared
 * once. `GET /api/privacy`, the web app's `/privacy` page and docs/privacy.md all show this list,
 * so a sentence written here is a promise to users: keep it true to the code.
 *
 * Background work cannot run without an entry here:
 * - every job queue (`JobPayloads` in jobs/job-queue.ts) must be named in some activity's
 *   `queues`, or this file stops compiling (see `everyQueueDeclared` below);
 * - `runPeriodically` only accepts a name found in some activity's `periodic`;
 * - job queues and periodic tasks call `assertDeclared` before they start, so work that slips
 *   past the types still refuses to run.
 * A new kind of work is therefore one new entry (or one more name in an existing entry).
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

/**
 * Hours an unfinished resumable upload is kept after its last received bytes. Mirrors `expiryMs`
 * in modules/uploads/uploads.service.ts; privacy.test.ts checks that the two agree.
 */
export const resumableUploadHours = 24;

/**
 * Hours a share-link visitor's password pass lasts. Mirrors `PASS_SECONDS` in
 * modules/shares/shares.visits.ts; privacy.test.ts checks that the two agree.
 */
export const visitorPassHours = 12;

/**
 * Days a finished data export is kept. Mirrors `exportKeepDays` in
 * modules/export/export.context.ts; privacy.test.ts checks that the two agree.
 */
export const exportKeepDays = 7;

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

const days = (n: number): string => (n === 1 ? '1 day' : `${n} days`);
const minutes = (seconds: number): string => {
  const m = Math.ceil(seconds / 60);
  return m === 1 ? '1 minute' : `${m} minutes`;
};
const withYourAccount =
  'Until you delete it, or until your account is erased: then nothing of it remains.';

export const processingRegister = [
  {
    id: 'account',
    name: 'Your account',
    data: [
      'Your email address and name',
      'Your password, stored only as an argon2id hash',
      'Whether you are an administrator, your storage quota, when the account was made',
    ],
    purpose:
      'To let you sign in and keep your library apart from everyone else’s. Other people with ' +
      'an account on this server see your name and email address when they choose whom to ' +
      'share an album with; visitors of your share links see your name.',
    basis: 'contract',
    basisReason: 'Without an account there is no library to keep.',
    retention: (s) =>
      (s.erasureGraceDays === 0
        ? 'Until you delete your account; it is then erased at once.'
        : `Until you delete your account. It is erased ${days(s.erasureGraceDays)} after you ` +
          'ask, within the hour after; signing in or cancelling before then keeps it.') +
      ' The administrator can also erase an account, at once.',
    where: ['database'],
    queues: [],
    periodic: ['account-erasure'],
  },
  {
    id: 'sessions',
    name: 'Signing in',
    data: [
      'A secret session token, stored only as a hash, with when it was made and when it ends',
      'API keys you create: their name and a hash of the key',
    ],
    purpose:
      'To keep you signed in on your devices, and to let programs you allow use your library.',
    basis: 'contract',
    basisReason: 'Signing in is how the service knows the library is yours.',
    retention: (s) =>
      `A session ends ${days(s.sessionDays)} after you sign in, or when you sign out. ` +
      'Records of ended sessions are removed within the hour after they end. API keys last ' +
      'until you delete them.',
    where: ['database'],
    queues: [],
    periodic: ['session-expiry'],
  },
  {
    id: 'sign-in-protection',
    name: 'Protection against password guessing',
    data: [
      'Counters of wrong passwords (at sign-in, for a share link, when confirming an account ' +
        'deletion), keyed by a SHA-256 hash of the email address or account and of the network ' +
        'address they came from (never the address itself)',
    ],
    purpose:
      'To stop anyone from guessing passwords by trying many of them: after too many failures, ' +
      'further tries are refused for a while.',
    basis: 'legitimate-interest',
    basisReason: 'Protecting accounts and shared photos from break-ins.',
    retention: (s) =>
      `Forgotten ${minutes(s.loginWindowSeconds)} after the first failure they count (removed ` +
      'within the hour after that); a successful sign-in clears the counter of its email address.',
    where: ['database'],
    queues: [],
    // The hourly share-link log clean-up also forgets counters whose window has passed.
    periodic: ['share-link-log-expiry'],
  },
  {
    id: 'library',
    name: 'Keeping your photos and videos',
    data: [
      'Each file as you uploaded it, byte for byte (unless you chose to have the place removed ' +
        'from new uploads)',
      'Its file name, size and the file dates your browser or app sent',
      'A SHA-1 checksum of its bytes',
      'Your albums (title, description, which photos) and whom you shared them with',
      'Favourites, archive and trash marks, descriptions and dates you edit',
    ],
    purpose:
      'To keep your library and show it to you. The checksum finds a file you already have, so ' +
      'the same photo is not stored twice in your library (never compared with other people’s).',
    basis: 'contract',
    basisReason: 'Keeping your photos is the service itself.',
    retention: () => withYourAccount,
    where: ['storage', 'database'],
    queues: [],
    periodic: [],
  },
  {
    id: 'resumable-uploads',
    name: 'Uploads in progress',
    data: ['The part of a file received so far, with its name, size and dates'],
    purpose:
      'To let a large upload continue where it stopped after a lost connection, instead of ' +
      'starting again.',
    basis: 'contract',
    basisReason: 'Part of uploading your photos.',
    retention: () =>
      `Until the upload finishes, or ${String(resumableUploadHours)} hours after the last bytes ` +
      'arrived: an unfinished upload is then deleted (checked every hour).',
    // The bytes are a file on the server, or chunk objects in the storage when it is object storage.
    where: ['server', 'database', 'storage'],
    queues: [],
    periodic: [],
  },
  {
    id: 'metadata',
    name: 'Reading when, where and with what a photo was taken',
    data: [
      'The date and time the photo or video was taken, and its time zone',
      'The place it was taken (GPS latitude, longitude, altitude), when the file has it',
      'Camera make and model, lens, exposure settings, size, orientation, duration, description',
      'For Google and Android “motion photos”: the short video inside the file, kept beside it',
    ],
    purpose:
      'To put your photos in order on the timeline and show their details. The time zone is ' +
      'found from the GPS position with a map of time zones built into the exiftool program, on ' +
      'this server: places are never sent to any online service, and no street or town names ' +
      'are looked up.',
    basis: 'contract',
    basisReason: 'A timeline needs to know when each photo was taken.',
    retention: () => `As long as the photo. ${withYourAccount}`,
    where: ['server', 'database', 'storage'],
    queues: ['metadata'],
    periodic: [],
  },
  {
    id: 'thumbnails',
    name: 'Making thumbnails and previews',
    data: [
      'Small and screen-sized copies of each photo, and a frame of each video',
      'A tiny blurred placeholder (thumbhash) shown while a thumbnail loads',
      'A full-size JPEG copy, made when first viewed, of formats browsers cannot show (HEIC, RAW, TIFF)',
    ],
    purpose:
      'To show your library quickly on any screen. Made on this server with sharp/libvips, libheif and ffmpeg.',
    basis: 'contract',
    basisReason: 'Showing your photos needs copies a browser can draw quickly.',
    retention: () => `As long as the photo; deleted with it. ${withYourAccount}`,
    where: ['server', 'database', 'storage'],
    queues: ['thumbnails'],
    periodic: [],
  },
  {
    id: 'trash',
    name: 'Trash',
    data: ['Photos and videos you moved to the trash, and when you did'],
    purpose: 'To let you undo a deletion for a while before it becomes final.',
    basis: 'contract',
    basisReason: 'Part of managing your library.',
    retention: (s) =>
      s.trashDays === 0
        ? 'Until you empty the trash or restore the item (this server does not empty it on its own).'
        : `${days(s.trashDays)} after you moved it to the trash (or until you empty the trash), ` +
          'then deleted for good within the hour.',
    where: ['database', 'storage'],
    queues: [],
    periodic: ['trash-expiry'],
  },
  {
    id: 'deletion',
    name: 'Deleting for good',
    data: [
      'The originals and every copy made of them (thumbnails, previews, full-size and shared copies, motion videos)',
    ],
    purpose:
      'To erase the files of photos you delete for good, of an emptied or expired trash, and of ' +
      'erased accounts, so that no byte of them remains.',
    basis: 'legal-obligation',
    basisReason: 'Your right to erasure (GDPR art. 17).',
    retention: () => 'Files are removed in the background, usually within seconds.',
    where: ['storage'],
    queues: ['delete-files'],
    periodic: [],
  },
  {
    id: 'share-links',
    name: 'Share links',
    data: [
      'The link’s settings, secret address, which photos or album it shows, and its password ' +
        'stored only as an argon2id hash',
      'Copies of shared photos without their place, camera and personal details, made for links ' +
        'that do not show them',
      'Photos that visitors upload through a link that allows it (they become yours)',
      'A short-lived cookie that remembers a visitor who entered the link’s password',
    ],
    purpose: 'To show the photos you choose to the people you give the link to, and nothing more.',
    basis: 'contract',
    basisReason: 'Sharing is part of the service you asked for.',
    retention: (s) =>
      `A new link stops working after ${days(s.linkDefaultDays)} unless you choose otherwise; ` +
      'you can revoke it at any time. Copies without details are deleted with the photo. A ' +
      `visitor’s password cookie lasts ${String(visitorPassHours)} hours.`,
    where: ['database', 'storage'],
    queues: [],
    periodic: [],
  },
  {
    id: 'share-link-log',
    name: 'Share link use log',
    data: [
      'When a link was opened, downloaded from, uploaded to, or given a wrong password',
      'A rough description of the visitor: browser, operating system and only the first half of ' +
        'the network address (for example “Firefox on Android, 192.168.x.x”)',
    ],
    purpose: 'To let you see how often and when each of your links was used.',
    basis: 'legitimate-interest',
    basisReason:
      'You need to know whether a link you shared is being used; the log is too coarse to identify a visitor.',
    retention: (s) => `${days(s.linkLogDays)}, then deleted within the hour.`,
    where: ['database'],
    queues: [],
    periodic: ['share-link-log-expiry'],
  },
  {
    id: 'takeout-import',
    name: 'Importing from Google Photos (Takeout)',
    data: [
      'The Takeout archives you upload',
      'An index of what they held: file paths, names and sizes, and Google’s JSON details (dates, ' +
        'places, descriptions, albums, favourites; the names Google listed as “people” in a ' +
        'photo are dropped as the JSON is read, never stored)',
    ],
    purpose:
      'To move your library out of Google Photos with its dates, places and albums, and to give ' +
      'you a report of what became of each file.',
    basis: 'contract',
    basisReason: 'You asked for the import.',
    retention: () =>
      'The archives are deleted when the import finishes, fails or is cancelled. The index and ' +
      'report stay with your account until it is erased.',
    where: ['server', 'database', 'storage'],
    queues: ['takeout-import'],
    periodic: [],
  },
  {
    id: 'data-export',
    name: 'Exporting your data',
    data: [
      'Your originals, read from the library when you download a part (never copied)',
      'Every piece of information held about you and them, written as JSON and XMP files, ' +
        'with a copy of each thumbnail, for the export',
    ],
    purpose: 'To give you everything, in open formats, to keep or to take elsewhere.',
    basis: 'legal-obligation',
    basisReason: 'Your right to data portability (GDPR art. 20).',
    retention: () =>
      `The prepared export is kept ${days(exportKeepDays)} after it is ready for you to ` +
      'download, then deleted within the hour.',
    where: ['server', 'database', 'storage'],
    queues: ['export'],
    periodic: ['export-expiry'],
  },
  {
    id: 'server-log',
    name: 'Server log',
    data: [
      'Each request: its time, method, address on this server (with share-link addresses and ' +
        'other secrets hidden), answer and duration, and only the first half of the network ' +
        'address of the device that sent it',
      'Errors and the progress of background work',
    ],
    purpose: 'To keep the server running and to find the cause of errors and attacks.',
    basis: 'legitimate-interest',
    basisReason: 'Running a server safely needs a record of what happened.',
    retention: (s) =>
      s.logDir === null
        ? 'Not stored by PixelUnion: written to the server’s output, where the administrator’s ' +
          'system decides how long it is kept.'
        : 'Written to the server’s output and to one log file per day on this server; each ' +
          `file is deleted ${days(s.logRetentionDays)} after its day (within the hour).`,
    where: ['server'],
    queues: [],
    periodic: ['log-retention'],
  },
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

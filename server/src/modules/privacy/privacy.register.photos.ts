import type { ProcessingActivity } from './privacy.register.js';
import { days, exportKeepDays, resumableUploadHours } from './privacy.register.periods.js';

/**
 * Entries of the processing register (privacy.register.ts) about your photos and the work done
 * on them: keeping them, uploads in progress, reading metadata, thumbnails, the trash, deleting
 * for good, and moving a library in (Takeout import) and out (data export). Every export of this
 * file is one entry, and privacy.register.ts must list it (`everyActivityListed` there fails to
 * compile otherwise). The text is a promise to users: keep it true to the code.
 */

const withYourAccount =
  'Until you delete it, or until your account is erased: then nothing of it remains.';

export const library = {
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
} as const satisfies ProcessingActivity;

export const resumableUploads = {
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
} as const satisfies ProcessingActivity;

export const metadata = {
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
} as const satisfies ProcessingActivity;

export const thumbnails = {
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
} as const satisfies ProcessingActivity;

export const trash = {
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
} as const satisfies ProcessingActivity;

export const deletion = {
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
} as const satisfies ProcessingActivity;

export const takeoutImport = {
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
} as const satisfies ProcessingActivity;

export const dataExport = {
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
} as const satisfies ProcessingActivity;

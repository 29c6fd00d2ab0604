import type { ProcessingActivity } from './privacy.register.js';
import { days, minutes, visitorPassHours } from './privacy.register.periods.js';

/**
 * Entries of the processing register (privacy.register.ts) about access: your account and
 * signing in, the protection against password guessing, share links and their use, and the
 * server log of requests. Every export of this file is one entry, and privacy.register.ts must
 * list it (`everyActivityListed` there fails to compile otherwise). The text is a promise to
 * users: keep it true to the code.
 */

export const account = {
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
} as const satisfies ProcessingActivity;

export const sessions = {
  id: 'sessions',
  name: 'Signing in',
  data: [
    'A secret session token, stored only as a hash, with when it was made and when it ends',
    'API keys you create: their name and a hash of the key',
  ],
  purpose: 'To keep you signed in on your devices, and to let programs you allow use your library.',
  basis: 'contract',
  basisReason: 'Signing in is how the service knows the library is yours.',
  retention: (s) =>
    `A session ends ${days(s.sessionDays)} after you sign in, or when you sign out. ` +
    'Records of ended sessions are removed within the hour after they end. API keys last ' +
    'until you delete them.',
  where: ['database'],
  queues: [],
  periodic: ['session-expiry'],
} as const satisfies ProcessingActivity;

export const signInProtection = {
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
} as const satisfies ProcessingActivity;

export const shareLinks = {
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
} as const satisfies ProcessingActivity;

export const shareLinkLog = {
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
} as const satisfies ProcessingActivity;

export const serverLog = {
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
} as const satisfies ProcessingActivity;

import { createHash } from 'node:crypto';

/** SHA-256 in hex: how tokens, keys and client addresses are stored and looked up. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

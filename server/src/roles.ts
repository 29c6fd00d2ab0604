import type { Config } from './config.js';

/** PIXELUNION_ROLE: `all` (one process does everything, the default), `api` or `worker`. */
export type ProcessRole = Config['role'];

/** What a process of a role runs. */
export interface RoleDuties {
  /**
   * The HTTP API and web app on PORT, and the sweep at start of the temporary upload files a
   * crash of an api process left (they are written by requests). A process without it answers
   * only health on PORT.
   */
  api: boolean;
  /**
   * The job workers, the periodic tasks (trash expiry, link-log expiry, export expiry, account
   * erasure, resumable-upload purge), and the start-up steps that act on shared state: expired
   * sessions, interrupted Takeout imports queued again, jobs a dead run left active or held.
   */
  background: boolean;
}

export function dutiesOf(role: ProcessRole): RoleDuties {
  switch (role) {
    case 'all':
      return { api: true, background: true };
    case 'api':
      return { api: true, background: false };
    case 'worker':
      return { api: false, background: true };
  }
}

import type { Actor } from '../../access/access.service.js';
import type { TakeoutImportStatus } from '../../db/db.types.js';
import type { AlbumsService } from '../albums/albums.service.js';
import type { AssetsService } from '../assets/assets.service.js';
import { importPart } from './takeout.importer.js';
import { indexPart } from './takeout.indexer.js';
import { createAlbums, matchImport } from './takeout.matcher.js';
import type { TakeoutParts } from './takeout.parts.js';
import { finishExportAlbums } from './takeout.pixelunion.albums.js';
import type { TakeoutRepo } from './takeout.repo.js';

const order: TakeoutImportStatus[] = ['queued', 'indexing', 'matching', 'importing'];

/**
 * Runs an import through its phases — index every part, match, import — resuming at the phase and
 * entry where a stop or a crash left it. Each phase's writes are idempotent, so running an import
 * twice, or two jobs for it after a restart, changes nothing more than running it once.
 */
export class TakeoutRunner {
  private readonly running = new Set<string>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly repo: TakeoutRepo,
    private readonly assets: AssetsService,
    private readonly albums: AlbumsService,
    private readonly parts: TakeoutParts,
    private readonly options: { tmpDir: string },
  ) {}

  /** Ends running imports at the next entry; they continue when the server starts again. */
  stop(): void {
    this.stopping.abort(new Error('the server is stopping'));
  }

  private stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  async run(importId: string): Promise<void> {
    if (this.running.has(importId) || this.stopped()) return;
    this.running.add(importId);
    try {
      await this.phases(importId);
    } catch (error) {
      // A cancelled import's parts are deleted under its feet: its reads fail, which is no failure.
      if (!this.stopped() && !(await this.cancelled(importId))) throw error;
    } finally {
      this.running.delete(importId);
    }
  }

  private async phases(importId: string): Promise<void> {
    const signal = this.stopping.signal;
    let imp = await this.repo.findImport(importId);
    if (!imp || !order.includes(imp.status)) return;
    const at = (status: TakeoutImportStatus) => order.indexOf(status);
    if (imp.started_at === null) await this.repo.updateImport(importId, { started_at: Date.now() });
    const parts = await this.repo.partsOf(importId);
    const owner = imp.owner_id;
    const sourceOf = (partId: string) => this.parts.source(owner, importId, partId);

    if (at(imp.status) <= at('indexing')) {
      await this.repo.updateImport(importId, { status: 'indexing' });
      const keepLocation = !(await this.assets.stripsLocation(imp.owner_id));
      for (const part of parts) {
        if (part.status === 'uploaded') {
          await indexPart(this.repo, part, sourceOf(part.id), signal, keepLocation);
        }
        if (await this.cancelled(importId)) return;
      }
      const fromExport = await this.repo.exports.hasExportDocuments(importId);
      await this.repo.updateImport(importId, {
        source: fromExport ? 'pixelunion' : 'google-takeout',
      });
    }
    imp = await this.repo.findImport(importId);
    if (!imp) return;
    if (at(imp.status) <= at('matching')) {
      await this.repo.updateImport(importId, { status: 'matching' });
      await matchImport(this.repo, importId);
    }
    const actor: Actor = { userId: imp.owner_id, isAdmin: false };
    const albumOf = await createAlbums(this.repo, this.albums, actor, importId);
    await this.repo.updateImport(importId, { status: 'importing' });
    imp = await this.repo.findImport(importId);
    if (!imp) return;
    const deps = {
      repo: this.repo,
      assets: this.assets,
      albums: this.albums,
      tmpDir: this.options.tmpDir,
    };
    // Stills first, in every part, then the videos of live photos, whose still may be anywhere.
    for (const motion of [false, true]) {
      for (const part of await this.repo.partsOf(importId)) {
        await importPart(deps, imp, part, sourceOf(part.id), albumOf, motion, signal);
        if (await this.cancelled(importId)) return;
      }
    }
    // A PixelUnion export's albums get their photos once all are in, in the order they were added.
    await finishExportAlbums(this.repo, this.albums, actor, importId, albumOf);
    // Before `done`, so that a done import has no part left; run again, it reads no part.
    await this.parts.deleteAll(owner, importId);
    await this.repo.updateImport(importId, { status: 'done', finished_at: Date.now() });
  }

  private async cancelled(importId: string): Promise<boolean> {
    return (await this.repo.findImport(importId))?.status === 'cancelled';
  }
}

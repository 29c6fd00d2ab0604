/**
 * React keys for the tiles of a window that moves over a long list. A tile keeps its key while
 * it stays in the window; a tile coming in takes the key of one that went out, so React gives the
 * new photo the element (and component) the old one had instead of destroying one and building
 * another. Scrolling then changes a few attributes per tile rather than creating and collecting
 * thousands of elements a second, which showed as long garbage collections and style
 * recalculations (docs/benchmarks.md, web).
 */
export class SlotKeys {
  private slots = new Map<string, number>();
  private next = 0;

  /** The key of every id of the window, in the window's order (ids are unique). */
  assign(ids: readonly string[]): Map<string, number> {
    const kept = new Map<string, number>();
    const incoming: string[] = [];
    for (const id of ids) {
      const slot = this.slots.get(id);
      if (slot === undefined) incoming.push(id);
      else kept.set(id, slot);
    }
    const taken = new Set(kept.values());
    const free = [...this.slots.values()].filter((slot) => !taken.has(slot));
    for (const id of incoming) kept.set(id, free.pop() ?? this.next++);
    this.slots = kept;
    return kept;
  }
}

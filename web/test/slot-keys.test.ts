import { describe, expect, it } from 'vitest';
import { SlotKeys } from '../src/timeline/slotKeys.js';

const ids = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `a${String(from + i)}`);

describe('SlotKeys (tile keys reused while the timeline scrolls)', () => {
  it('gives every id of the window its own key', () => {
    const keys = new SlotKeys().assign(ids(0, 50));
    expect(new Set(keys.values()).size).toBe(50);
  });

  it('keeps the key of an id that stays in the window', () => {
    const slots = new SlotKeys();
    const first = slots.assign(ids(0, 30));
    const second = slots.assign(ids(10, 40));
    for (const id of ids(10, 30)) expect(second.get(id)).toBe(first.get(id));
  });

  it('hands the keys of ids that left to the ids that came in, making no new key', () => {
    const slots = new SlotKeys();
    const first = slots.assign(ids(0, 30));
    const second = slots.assign(ids(10, 40));
    const leftKeys = new Set(ids(0, 10).map((id) => first.get(id)));
    expect(new Set(ids(30, 40).map((id) => second.get(id)))).toEqual(leftKeys);
    expect(new Set(second.values()).size).toBe(30);
    // A whole scroll through 1,000 ids, 10 at a time, never uses more than the window's keys.
    const used = new Set<number>();
    for (let from = 10; from < 1000; from += 10) {
      for (const key of slots.assign(ids(from, from + 30)).values()) used.add(key);
    }
    expect(used.size).toBe(30);
  });

  it('makes new keys when the window grows, unique with the kept ones', () => {
    const slots = new SlotKeys();
    slots.assign(ids(0, 10));
    const grown = slots.assign(ids(5, 40));
    expect(grown.size).toBe(35);
    expect(new Set(grown.values()).size).toBe(35);
  });

  it('starts from nothing when the window jumps elsewhere, reusing the old keys', () => {
    const slots = new SlotKeys();
    const first = slots.assign(ids(0, 20));
    const jumped = slots.assign(ids(500, 520));
    expect(new Set(jumped.values())).toEqual(new Set(first.values()));
  });
});

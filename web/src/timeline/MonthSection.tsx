import type { BucketPage } from '../api/types';
import { CheckIcon } from '../layout/icons';
import { dayLabel, monthLabel } from './dates';
import { monthHeaderHeight, type MonthLayout } from './layout';
import type { SlotKeys } from './slotKeys';
import { Tile } from './Tile';

export interface MonthBox {
  bucket: string;
  count: number;
  top: number;
  height: number;
  layout: MonthLayout | null;
  /** Index of the month's first asset in the list of loaded assets. */
  flatStart: number;
}

interface MonthSectionProps {
  month: MonthBox;
  page: BucketPage | undefined;
  error: string | undefined;
  /** The part of the timeline to render, in timeline coordinates. */
  viewTop: number;
  viewBottom: number;
  padding: { left: number; right: number };
  selected: ReadonlySet<string>;
  /** Keys of this month's tiles, kept from render to render (slotKeys.ts). */
  slots: SlotKeys;
  onOpen: (index: number) => void;
  onToggle: (index: number, range: boolean) => void;
  onSelectDay: (ids: string[], on: boolean) => void;
}

/** One month of the timeline: its header, and the day headers and tiles inside the window. */
export function MonthSection(props: MonthSectionProps) {
  const { month: m, page, selected } = props;
  const blocks = (page ? m.layout?.blocks : undefined)?.filter((block) => {
    const top = m.top + block.top;
    return top + block.height >= props.viewTop && top <= props.viewBottom;
  });
  const slots = props.slots.assign(
    (blocks ?? []).flatMap((block) =>
      block.kind === 'row' ? block.tiles.map((t) => page?.ids[t.index] ?? '') : [],
    ),
  );
  return (
    <section
      className="month"
      style={{ top: m.top, height: m.height, left: props.padding.left, right: props.padding.right }}
    >
      <h2 className="month-header" style={{ height: monthHeaderHeight }}>
        {monthLabel(m.bucket)}
      </h2>
      {!blocks &&
        (props.error !== undefined ? (
          <p className="month-error" role="alert">
            Could not load {monthLabel(m.bucket)}: {props.error}
          </p>
        ) : (
          <div className="month-placeholder" style={{ top: monthHeaderHeight }} />
        ))}
      {/* One flat list of keyed children: React then matches tiles by key across rows. */}
      {page &&
        blocks?.flatMap((block) => {
          if (block.kind === 'day') {
            const dayIds = page.ids.slice(block.start, block.end);
            const all = dayIds.every((id) => selected.has(id));
            return (
              <h3
                key={`d${block.day}`}
                className="day-header"
                style={{ top: block.top, height: block.height }}
              >
                <button
                  type="button"
                  className={all ? 'day-check on' : 'day-check'}
                  aria-label={`${all ? 'Deselect' : 'Select'} ${dayLabel(block.day)}`}
                  aria-pressed={all}
                  onClick={() => {
                    props.onSelectDay(dayIds, !all);
                  }}
                >
                  <CheckIcon />
                </button>
                {dayLabel(block.day)}
              </h3>
            );
          }
          return block.tiles.map((t) => {
            const id = page.ids[t.index] ?? '';
            const type = page.types[t.index] === 'video' ? 'video' : 'photo';
            return (
              <Tile
                key={`t${String(slots.get(id))}`}
                id={id}
                index={m.flatStart + t.index}
                left={t.left}
                top={block.top}
                width={t.width}
                height={block.height}
                thumbhash={page.thumbhashes[t.index] ?? null}
                isVideo={type === 'video'}
                duration={page.durations[t.index] ?? null}
                favorite={page.favorites[t.index] ?? false}
                selected={selected.has(id)}
                selecting={selected.size > 0}
                label={`${type} of ${page.localDateTimes[t.index]?.replace('T', ' ') ?? ''}`}
                onOpen={props.onOpen}
                onToggle={props.onToggle}
              />
            );
          });
        })}
    </section>
  );
}

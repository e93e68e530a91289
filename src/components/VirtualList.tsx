/**
 * A long list drawn a screenful at a time (issue 20): TanStack Virtual against the page's own scroll, so a
 * list of thousands costs the DOM of the rows on screen, not 12 nodes a row for all of them.
 *
 * What a reader of the whole list keeps:
 * - each group is a real list (`<ul>`, named), its rows `<li>` with `aria-setsize`/`aria-posinset`, so a
 *   screen reader says "12 of 1,000" on a row that is drawn though 988 are not;
 * - every group's heading is always drawn (there are few), so moving by headings reaches every team;
 * - the focused row and its neighbours are always drawn: Tab and Shift+Tab go on to the next row even when
 *   it was off screen (focusing it scrolls it into view, which draws the rows after it), and a row keeps
 *   focus when it is scrolled out of sight;
 * - printing draws every row, in the page's flow.
 */
import { defaultRangeExtractor, measureElement, useWindowVirtualizer, type Range, type Virtualizer } from '@tanstack/react-virtual';
import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode, type Ref } from 'react';
import { flushSync } from 'react-dom';

export interface VirtualGroup<T> {
  key: string;
  /** The group's heading (an `<h2>`), or none for a list of one group named by the page. */
  heading?: { id: string; text: string };
  /** The list's accessible name. */
  label: string;
  items: readonly T[];
  /** How many rows the group has when only the first of them have been read (said by `aria-setsize`). */
  size?: number;
}

/** What the list puts on each row's `<li>`: the row component spreads it there. */
export interface VirtualRowProps {
  ref?: Ref<HTMLLIElement>;
  style?: CSSProperties;
  'data-index'?: number;
  'aria-setsize': number;
  'aria-posinset': number;
}

type Entry = { type: 'heading'; group: number } | { type: 'row'; group: number; pos: number };

/** A row's height before it is drawn (and in a layout that has none, e.g. jsdom): about a record row's. */
const ESTIMATE_ROW = 120;
const ESTIMATE_HEADING = 64;
/** Space between rows, as `.record-list`'s gap. */
const GAP = 12;

export function VirtualList<T>({
  groups,
  itemKey,
  renderRow,
  className = 'record-list',
  overscan = 6,
}: {
  groups: readonly VirtualGroup<T>[];
  itemKey: (item: T) => string;
  renderRow: (item: T, props: VirtualRowProps) => ReactNode;
  className?: string;
  overscan?: number;
}) {
  const entries = useMemo(() => {
    const list: Entry[] = [];
    groups.forEach((g, group) => {
      if (g.heading) list.push({ type: 'heading', group });
      for (let pos = 0; pos < g.items.length; pos++) list.push({ type: 'row', group, pos });
    });
    return list;
  }, [groups]);
  const keyOf = useCallback(
    (index: number) => {
      const e = entries[index];
      if (!e) return index;
      return e.type === 'heading' ? `heading:${groups[e.group]!.key}` : itemKey(groups[e.group]!.items[e.pos]!);
    },
    [entries, groups, itemKey],
  );
  const headingIndexes = useMemo(() => entries.flatMap((e, i) => (e.type === 'heading' ? [i] : [])), [entries]);

  // The row that has focus (by key, as filtering moves it), kept drawn with its neighbours.
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const focusIndex = useMemo(() => {
    if (focusKey === null) return -1;
    for (let i = 0; i < entries.length; i++) if (keyOf(i) === focusKey) return i;
    return -1;
  }, [focusKey, entries, keyOf]);

  const rangeExtractor = useCallback(
    (range: Range) => {
      const drawn = new Set(defaultRangeExtractor(range));
      for (const h of headingIndexes) drawn.add(h);
      if (focusIndex >= 0) for (const i of [focusIndex - 1, focusIndex, focusIndex + 1]) if (i >= 0 && i < range.count) drawn.add(i);
      return [...drawn].sort((a, b) => a - b);
    },
    [headingIndexes, focusIndex],
  );

  // Where the list starts on the page: what is above it (filters opened, a queue) moves it.
  const container = useRef<HTMLDivElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  useLayoutEffect(() => {
    const measure = () => {
      const el = container.current;
      if (!el) return;
      const top = Math.round(el.getBoundingClientRect().top + window.scrollY);
      setScrollMargin((m) => (m === top ? m : top));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, []);

  // Rows not yet drawn are estimated at the mean of those measured, so the page is about as tall as the list
  // will be, and a jump to its end lands near the end (rows are taller on a phone, where details wrap).
  const measured = useRef({ sizes: new Map<string | number, number>(), sum: 0 });
  const estimateRow = () => (measured.current.sizes.size ? measured.current.sum / measured.current.sizes.size : ESTIMATE_ROW);

  const virtualizer = useWindowVirtualizer({
    count: entries.length,
    estimateSize: (i) => (entries[i]?.type === 'heading' ? ESTIMATE_HEADING : estimateRow()),
    gap: GAP,
    getItemKey: keyOf,
    overscan,
    scrollMargin,
    rangeExtractor,
    // An element with no layout (jsdom, a hidden page) measures 0: keep the estimate rather than collapse.
    measureElement: (el, entry, instance) => {
      const index = instance.indexFromElement(el);
      const size = measureElement(el, entry, instance) || instance.options.estimateSize(index);
      if (entries[index]?.type === 'row') {
        const key = keyOf(index);
        const m = measured.current;
        m.sum += size - (m.sizes.get(key) ?? 0);
        m.sizes.set(key, size);
      }
      return size;
    },
  });

  const printing = usePrinting();
  const onFocus = (event: React.FocusEvent) => {
    const li = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    const index = li ? Number(li.dataset.index) : -1;
    if (index >= 0) setFocusKey(String(keyOf(index)));
  };
  const onBlur = (event: React.FocusEvent) => {
    if (!container.current?.contains(event.relatedTarget as Node | null)) setFocusKey(null);
  };

  if (printing)
    return (
      <div>
        {groups.map((g) => (
          <section key={g.key} aria-labelledby={g.heading?.id}>
            {g.heading && <h2 id={g.heading.id}>{g.heading.text}</h2>}
            <ul className={className} aria-label={g.label}>
              {g.items.map((item, pos) => (
                <Fragment key={itemKey(item)}>{renderRow(item, { 'aria-setsize': g.size ?? g.items.length, 'aria-posinset': pos + 1 })}</Fragment>
              ))}
            </ul>
          </section>
        ))}
      </div>
    );

  return (
    <div ref={container} className="virtual-list" style={{ position: 'relative', height: virtualizer.getTotalSize() }} onFocus={onFocus} onBlur={onBlur}>
      {groups.map((g, group) => (
        <Group key={g.key} group={g} index={group} entries={entries} virtualizer={virtualizer} scrollMargin={scrollMargin} className={className} renderRow={renderRow} />
      ))}
    </div>
  );
}

/** One group: its heading, and its list spanning the space its rows take, with the drawn rows placed in it. */
function Group<T>({
  group,
  index,
  entries,
  virtualizer,
  scrollMargin,
  className,
  renderRow,
}: {
  group: VirtualGroup<T>;
  index: number;
  entries: Entry[];
  virtualizer: Virtualizer<Window, Element>;
  scrollMargin: number;
  className: string;
  renderRow: (item: T, props: VirtualRowProps) => ReactNode;
}) {
  const items = virtualizer.getVirtualItems();
  const heading = items.find((v) => entries[v.index]?.type === 'heading' && entries[v.index]!.group === index);
  const nextHeading = items.find((v) => entries[v.index]?.type === 'heading' && entries[v.index]!.group > index);
  const rows = items.filter((v) => {
    const e = entries[v.index];
    return e?.type === 'row' && e.group === index;
  });
  const top = (heading ? heading.end : scrollMargin) - scrollMargin;
  // Item positions count from the top of the page (scrollMargin included); the total size from the list's top.
  const bottom = nextHeading ? nextHeading.start - scrollMargin : virtualizer.getTotalSize();
  const place = (start: number): CSSProperties => ({ position: 'absolute', top: start, left: 0, right: 0 });
  return (
    <section aria-labelledby={group.heading?.id}>
      {group.heading && heading && (
        <h2 id={group.heading.id} ref={virtualizer.measureElement} data-index={heading.index} className="virtual-heading" style={place(heading.start - scrollMargin)}>
          {group.heading.text}
        </h2>
      )}
      <ul className={`${className} virtual-rows`} aria-label={group.label} style={{ ...place(top), height: Math.max(0, bottom - top) }}>
        {rows.map((v) => {
          const e = entries[v.index] as Extract<Entry, { type: 'row' }>;
          return (
            <Fragment key={v.key}>
              {renderRow(group.items[e.pos]!, {
                ref: virtualizer.measureElement,
                'data-index': v.index,
                style: place(v.start - scrollMargin - top),
                'aria-setsize': group.size ?? group.items.length,
                'aria-posinset': e.pos + 1,
              })}
            </Fragment>
          );
        })}
      </ul>
    </section>
  );
}

/** Whether the page is being printed: then every row is drawn, as paper has no scrolling. */
function usePrinting(): boolean {
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    const before = () => flushSync(() => setPrinting(true));
    const after = () => setPrinting(false);
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);
  return printing;
}

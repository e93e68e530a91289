/**
 * A long form's sections, always in reach: a column that stays in view beside the form on a wide screen,
 * and on a narrow one a slim "Sections" bar that stays at the top and opens a list on demand (closing again
 * once a section is chosen, so it never sits over the form being written). It says how far the form has
 * got and marks the sections whose fields have problems. Choosing a section moves the focus to its
 * heading, so keyboard and screen-reader users carry on from there, not from the menu.
 */
import { useEffect, useId, useState, type MouseEvent } from 'react';

export interface MenuSection {
  /** The id of the section's heading, which takes the focus (it needs tabIndex -1). */
  id: string;
  label: string;
  /** A short word on how it stands (a domain's grade), if any. */
  state?: string | undefined;
  /** Some field in it has a problem (after a failed submit). */
  problem?: boolean;
}

/**
 * How far from the top a heading must stop to be seen below the sticky status bar (and this menu's bar on
 * a narrow screen): the status bar wraps to more lines on a phone, so it is measured, not guessed.
 */
function useStatusBarHeight(): number {
  const [height, setHeight] = useState(0);
  useEffect(() => {
    const bar = document.querySelector<HTMLElement>('.status-bar');
    if (!bar) return;
    const measure = () => setHeight(bar.offsetHeight);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(bar);
    return () => observer.disconnect();
  }, []);
  return height;
}

/** The section whose heading was last scrolled past (below the sticky bars): the one in view. */
function useSectionInView(ids: string[], offset: number): string | null {
  const [current, setCurrent] = useState<string | null>(null);
  const key = ids.join(' ');
  useEffect(() => {
    let frame = 0;
    const update = () => {
      frame = 0;
      let found: string | null = null;
      for (const id of key.split(' ')) {
        const heading = document.getElementById(id);
        // In view: its heading is in the upper part of the screen below the sticky bars, or above it.
        if (heading && heading.getBoundingClientRect().top <= Math.max(offset + 96, window.innerHeight * 0.4)) found = id;
      }
      setCurrent(found ?? key.split(' ')[0] ?? null);
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(update);
    };
    update();
    window.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll);
    return () => {
      window.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onScroll);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [key, offset]);
  return current;
}

export function SectionMenu({ label, progress, sections }: { label: string; progress: string; sections: MenuSection[] }) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const top = useStatusBarHeight();
  const current = useSectionInView(
    sections.map((s) => s.id),
    top,
  );
  const problems = sections.filter((s) => s.problem).length;

  // Headings brought into view by focus stop below the sticky bars, not under them.
  useEffect(() => {
    document.documentElement.style.setProperty('--sticky-top', `${top}px`);
    return () => {
      document.documentElement.style.removeProperty('--sticky-top');
    };
  }, [top]);

  const goTo = (event: MouseEvent<HTMLAnchorElement>, id: string) => {
    const heading = document.getElementById(id);
    if (!heading) return;
    event.preventDefault();
    setOpen(false);
    heading.focus();
  };

  return (
    <nav aria-label={label} className="section-menu" style={{ top }}>
      <div className="section-menu__bar">
        <button type="button" className="button section-menu__toggle" aria-expanded={open} aria-controls={listId} onClick={() => setOpen((o) => !o)}>
          Sections
        </button>
        <p className="section-menu__progress">
          {progress}
          {problems > 0 && <span className="section-menu__problem-count">{problems === 1 ? '1 section needs attention' : `${problems} sections need attention`}</span>}
        </p>
      </div>
      <ol id={listId} className={`section-menu__list${open ? ' section-menu__list--open' : ''}`}>
        {sections.map((section) => (
          <li key={section.id}>
            <a
              href={`#${section.id}`}
              className={section.problem ? 'section-menu__link section-menu__link--problem' : 'section-menu__link'}
              aria-current={current === section.id ? 'location' : undefined}
              onClick={(event) => goTo(event, section.id)}
            >
              <span>{section.label}</span>
              {section.state && (
                <span className="section-menu__state">
                  <span className="visually-hidden">: </span>
                  {section.state}
                </span>
              )}
              {section.problem && (
                <span className="section-menu__problem">
                  <span className="visually-hidden">: </span>Needs attention
                </span>
              )}
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

/**
 * A page's h1 that takes focus when it appears, for screens that replace everything at once (family mode
 * starting, locking): keyboard and screen-reader users start from the top of the new screen instead of
 * from a button that is gone.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export function FocusedHeading({ children }: { children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children}
    </h1>
  );
}

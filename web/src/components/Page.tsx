/**
 * Every page: sets document.title, renders the <h1> and moves focus to it when the page appears,
 * so keyboard and screen-reader users start at the top of the new page.
 */
import { useEffect, useRef, type ReactNode } from 'react';

interface PageProps {
  title: string;
  /** Wider layout (dashboard, settings) instead of the narrow form card. */
  wide?: boolean;
  /** Shown under the heading. */
  intro?: ReactNode;
  children?: ReactNode;
}

export function Page({ title, wide = false, intro, children }: PageProps) {
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${title} · Bastion`;
  }, [title]);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  return (
    <div className={wide ? 'page page-wide' : 'page'}>
      <div className={wide ? 'page-body' : 'card'}>
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {intro ? <div className="intro">{intro}</div> : null}
        {children}
      </div>
    </div>
  );
}

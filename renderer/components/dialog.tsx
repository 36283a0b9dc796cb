import { type ReactElement, type ReactNode, useEffect, useId, useLayoutEffect, useRef } from 'react';

import { Icon } from './icons';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  /** Escape and the close button are refused while a job must be cancelled explicitly. */
  closable?: boolean;
}

/**
 * Modal dialog: focus moves in, Tab cycles inside (a trap), Escape closes, and focus returns
 * to the element that opened it, so keyboard users never lose their place.
 */
export function Dialog({ title, onClose, children, footer, closable = true }: DialogProps): ReactElement {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  const closableRef = useRef(closable);

  // A layout effect, not a passive one: it runs in the same task as the commit, so an Escape typed
  // right after a job ends (its error already on screen) sees the dialog closable again.
  useLayoutEffect(() => {
    closeRef.current = onClose;
    closableRef.current = closable;
  });

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const node = ref.current;
    const first = node?.querySelector<HTMLElement>('[data-autofocus]') ?? node?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    const onKey = (event: KeyboardEvent): void => {
      if (node === null) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        if (closableRef.current) closeRef.current();
        return;
      }
      if (event.key !== 'Tab') return;
      const items = [...node.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
      if (items.length === 0) return;
      const firstItem = items[0];
      const lastItem = items[items.length - 1];
      if (event.shiftKey && (document.activeElement === firstItem || !node.contains(document.activeElement))) {
        event.preventDefault();
        lastItem?.focus();
      } else if (!event.shiftKey && (document.activeElement === lastItem || !node.contains(document.activeElement))) {
        event.preventDefault();
        firstItem?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      opener?.focus();
    };
  }, []);

  return (
    <div className="dialog-backdrop">
      <div ref={ref} className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <div className="dialog-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="button ghost small" onClick={onClose} disabled={!closable} aria-label="Close dialog">
            <Icon name="close" />
          </button>
        </div>
        <div className="dialog-body">{children}</div>
        {footer === undefined ? null : <div className="dialog-footer">{footer}</div>}
      </div>
    </div>
  );
}

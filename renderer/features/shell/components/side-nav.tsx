import { type KeyboardEvent, type ReactElement, useRef } from 'react';

import { Icon } from '../../../components/icons';
import { type Screen, useAppStore } from '../../../stores/app-store';
import { NAV_ITEMS } from './nav-items';

/**
 * Primary navigation. One tab stop (roving tabindex): arrow keys, Home and End move between
 * items, Enter or Space opens one.
 */
export function SideNav(): ReactElement {
  const route = useAppStore((s) => s.route);
  const navigate = useAppStore((s) => s.navigate);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const active: Screen = route.screen === 'repository' ? 'repositories' : route.screen;
  const activeIndex = Math.max(0, NAV_ITEMS.findIndex((item) => item.screen === active));

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>): void => {
    const current = buttons.current.findIndex((b) => b === document.activeElement);
    if (current < 0) return;
    const last = NAV_ITEMS.length - 1;
    const next =
      event.key === 'ArrowDown' ? (current === last ? 0 : current + 1)
      : event.key === 'ArrowUp' ? (current === 0 ? last : current - 1)
      : event.key === 'Home' ? 0
      : event.key === 'End' ? last
      : null;
    if (next === null) return;
    event.preventDefault();
    buttons.current[next]?.focus();
  };

  return (
    <nav className="side-nav" aria-label="Primary">
      <p className="nav-heading" id="nav-heading">
        Workspace
      </p>
      <ul aria-labelledby="nav-heading" onKeyDown={onKeyDown}>
        {NAV_ITEMS.map((item, index) => (
          <li key={item.screen}>
            <button
              ref={(el) => {
                buttons.current[index] = el;
              }}
              type="button"
              className="nav-item"
              aria-current={item.screen === active ? 'page' : undefined}
              tabIndex={index === activeIndex ? 0 : -1}
              onClick={() => navigate({ screen: item.screen })}
              data-screen={item.screen}
            >
              <Icon name={item.icon} />
              <span>{item.label}</span>
              {item.later ? <span className="nav-later">Later</span> : null}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

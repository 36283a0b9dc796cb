import { type ReactElement, useEffect, useState } from 'react';

import { Icon } from '../../../components/icons';
import { useAppStore } from '../../../stores/app-store';

const DARK_QUERY = '(prefers-color-scheme: dark)';

function useSystemDark(): boolean {
  const [dark, setDark] = useState(() => globalThis.matchMedia?.(DARK_QUERY).matches ?? false);
  useEffect(() => {
    const media = globalThis.matchMedia?.(DARK_QUERY);
    if (media === undefined) return undefined;
    const onChange = (): void => setDark(media.matches);
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, []);
  return dark;
}

/** Light/dark switch. The choice is persisted (localStorage) and applied as data-theme on <html>. */
export function ThemeToggle(): ReactElement {
  const theme = useAppStore((s) => s.theme);
  const setTheme = useAppStore((s) => s.setTheme);
  const systemDark = useSystemDark();
  const dark = theme === 'dark' || (theme === 'system' && systemDark);

  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset['theme'];
    else root.dataset['theme'] = theme;
  }, [theme]);

  return (
    <button
      type="button"
      className="button ghost small"
      aria-pressed={dark}
      onClick={() => setTheme(dark ? 'light' : 'dark')}
      title={theme === 'system' ? 'Theme follows the system' : `Theme: ${theme}`}
    >
      <Icon name={dark ? 'moon' : 'sun'} />
      Dark theme
    </button>
  );
}

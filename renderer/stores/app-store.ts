import type { z } from 'zod';
import { create } from 'zustand';

import type { AppSnapshot } from '../../shared/ipc/contract';
import { api } from '../lib/api';
import { call, describeError } from '../lib/call';

export type AppSnapshotValue = z.infer<typeof AppSnapshot>;

export const SCREENS = ['repositories', 'keys', 'ceremonies', 'bundles', 'audit'] as const;
export type Screen = (typeof SCREENS)[number];

export const REPOSITORY_TABS = ['overview', 'graph', 'keys', 'targets', 'expiry', 'history'] as const;
export type RepositoryTab = (typeof REPOSITORY_TABS)[number];

export type Route =
  | { screen: Screen }
  | { screen: 'repository'; id: string; tab: RepositoryTab };

export type ThemeChoice = 'system' | 'light' | 'dark';
const THEME_KEY = 'keyrite.theme';

interface AppState {
  snapshot: AppSnapshotValue | null;
  snapshotError: string | null;
  route: Route;
  theme: ThemeChoice;
  /** Loads the snapshot once at start-up (async, never sendSync). */
  load: () => Promise<void>;
  navigate: (route: Route) => void;
  setTheme: (theme: ThemeChoice) => void;
}

function readTheme(): ThemeChoice {
  try {
    const saved = globalThis.localStorage?.getItem(THEME_KEY);
    return saved === 'light' || saved === 'dark' ? saved : 'system';
  } catch (error: unknown) {
    // Storage can be disabled by policy; the system theme is a safe default.
    console.warn('theme preference unavailable', error);
    return 'system';
  }
}

export const useAppStore = create<AppState>()((set) => ({
  snapshot: null,
  snapshotError: null,
  route: { screen: 'repositories' },
  theme: readTheme(),
  async load() {
    const result = await call(() => api().app.getSnapshot());
    if (result.ok) set({ snapshot: result.value, snapshotError: null });
    else set({ snapshotError: describeError(result.error) });
  },
  navigate(route) {
    set({ route });
  },
  setTheme(theme) {
    try {
      if (theme === 'system') globalThis.localStorage?.removeItem(THEME_KEY);
      else globalThis.localStorage?.setItem(THEME_KEY, theme);
    } catch (error: unknown) {
      console.warn('theme preference not saved', error);
    }
    set({ theme });
  },
}));

/** Air-gapped unless main says otherwise: an unknown mode must never enable network sources. */
export const selectOnline = (s: AppState): boolean => s.snapshot?.networkMode === 'online';

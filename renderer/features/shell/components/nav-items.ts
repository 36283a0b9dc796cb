import type { IconName } from '../../../components/icons';
import type { Screen } from '../../../stores/app-store';

export interface NavItem {
  screen: Screen;
  label: string;
  icon: IconName;
  /** Screens whose features arrive with a later release show an honest empty state. */
  later: boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { screen: 'repositories', label: 'Repositories', icon: 'repo', later: false },
  { screen: 'keys', label: 'Keys & Tokens', icon: 'key', later: false },
  { screen: 'ceremonies', label: 'Ceremonies', icon: 'ceremony', later: false },
  { screen: 'bundles', label: 'Bundles', icon: 'bundle', later: false },
  { screen: 'audit', label: 'Audit', icon: 'audit', later: true },
];

import { useMemo } from 'react';

import type { RequestPreview } from '../../../../../shared/ipc/ceremony';
import type { TokenKeyView } from '../../../../../shared/ipc/custody';
import type { TokenInfo } from '../../../../../shared/token/types';
import { useKeysStore } from '../../../../stores/keys-store';
import { type KeyOption, keyOptions } from './key-options';

/** Keys of the attached tokens (live), the workspace key files and the request's keys, for every picker. */
export function useKeyOptions(request: RequestPreview): { options: KeyOption[]; tokens: TokenInfo[]; tokenKeys: TokenKeyView[] } {
  const snapshot = useKeysStore((s) => s.snapshot);
  const keys = useKeysStore((s) => s.keys);
  const inventory = useKeysStore((s) => s.inventory);
  return useMemo(() => {
    const tokens = snapshot?.tokens ?? [];
    const tokenKeys = tokens.flatMap((t) => keys[t.serial]?.rows ?? []);
    return { options: keyOptions({ tokenKeys, inventory: inventory ?? [], request }), tokens, tokenKeys };
  }, [snapshot, keys, inventory, request]);
}

import type { RequestPreview } from '../../../../../shared/ipc/ceremony';
import type { Drafts } from '../wizard/plan-drafts';
import type { useKeyOptions } from '../wizard/use-key-options';

/** What every kind's form gets: the request, its draft (controlled) and the key sources. */
export interface FormProps<K extends keyof Drafts> {
  request: RequestPreview;
  draft: Drafts[K];
  onChange: (draft: Drafts[K]) => void;
  keys: ReturnType<typeof useKeyOptions>;
}

/** The footer of the key dialogs: Cancel + the form's action while open, a single Done once it worked. */
export interface FormDialogFooterProps {
  done: boolean;
  busy: boolean;
  ready: boolean;
  onClose: () => void;
  /** The `id` of the dialog's form: the action button submits it from outside the form. */
  formId: string;
  action: string;
  busyAction: string;
}

export function FormDialogFooter({ done, busy, ready, onClose, formId, action, busyAction }: FormDialogFooterProps) {
  if (done) {
    return (
      <button type="button" className="button primary" onClick={onClose}>
        Done
      </button>
    );
  }
  return (
    <>
      <button type="button" className="button" onClick={onClose} disabled={busy}>
        Cancel
      </button>
      <button type="submit" form={formId} className="button primary" disabled={busy || !ready}>
        {busy ? busyAction : action}
      </button>
    </>
  );
}

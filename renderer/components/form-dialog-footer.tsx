import type { ReactElement } from 'react';

interface FormDialogFooterProps {
  /** The id of the dialog's <form>: the primary button submits it from the footer. */
  formId: string;
  /** Once the job is done only "Done" is left: it closes the dialog. */
  done: boolean;
  busy: boolean;
  /** Whether the form is complete; the primary button is also disabled while busy. */
  canSubmit: boolean;
  submitLabel: string;
  busyLabel: string;
  onClose: () => void;
  /** Move focus to "Done" when it replaces the form buttons (the focused button is gone). */
  focusDone?: boolean;
  /**
   * A job that can be stopped: while busy the Cancel button stays enabled, is labelled `label`
   * and calls `onCancel`. Without it, Cancel is disabled while busy (the dialog cannot close then).
   */
  busyCancel?: { label: string; onCancel: () => void };
}

/** The footer of a dialog whose body is one form: Cancel and the submit button, then Done. */
export function FormDialogFooter({ formId, done, busy, canSubmit, submitLabel, busyLabel, onClose, focusDone = false, busyCancel }: FormDialogFooterProps): ReactElement {
  if (done) {
    return (
      <button type="button" className="button primary" onClick={onClose} autoFocus={focusDone}>
        Done
      </button>
    );
  }
  const stoppable = busy && busyCancel !== undefined;
  return (
    <>
      <button type="button" className="button" onClick={stoppable ? busyCancel.onCancel : onClose} disabled={busy && busyCancel === undefined}>
        {stoppable ? busyCancel.label : 'Cancel'}
      </button>
      <button type="submit" form={formId} className="button primary" disabled={!canSubmit || busy}>
        {busy ? busyLabel : submitLabel}
      </button>
    </>
  );
}

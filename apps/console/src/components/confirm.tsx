import { useEffect, useRef, useState } from 'preact/hooks';

export type ConfirmRequest = {
  readonly title: string;
  readonly body: string;
  readonly action: string;
  /** When set, the action stays disabled until exactly this is typed (erasure, export). */
  readonly typed?: string;
  readonly danger?: boolean;
  readonly run: () => Promise<void> | void;
};

/**
 * A modal confirmation (the native <dialog>: focus moves in and stays, Escape
 * cancels). A typed confirmation asks for the exact value before it acts.
 */
export function ConfirmDialog({
  request,
  onClose,
}: {
  readonly request: ConfirmRequest | null;
  readonly onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (request !== null && !element.open) {
      setTyped('');
      element.showModal();
    }
    if (request === null && element.open) element.close();
  }, [request]);

  const allowed = request?.typed === undefined || typed === request.typed;
  return (
    <dialog ref={dialog} aria-labelledby="confirm-title" onClose={onClose} data-testid="confirm">
      {request && (
        <form
          method="dialog"
          onSubmit={(event) => {
            event.preventDefault();
            if (!allowed) return;
            onClose();
            void request.run();
          }}
        >
          <h2 id="confirm-title">{request.title}</h2>
          <p>{request.body}</p>
          {request.typed !== undefined && (
            <label>
              Type <code>{request.typed}</code> to confirm
              <input
                value={typed}
                autoComplete="off"
                spellcheck={false}
                onInput={(event) => setTyped(event.currentTarget.value)}
                data-testid="confirm-typed"
              />
            </label>
          )}
          <div class="actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" class={request.danger ? 'danger' : 'primary'} disabled={!allowed}>
              {request.action}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}

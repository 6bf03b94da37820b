import { useState } from 'preact/hooks';
import { call, post, segment } from '../api/client';
import { download } from '../csv';
import { type ConfirmRequest, ConfirmDialog } from './confirm';
import { ErrorNotice } from './notice';

/** Subject export and erasure of one customer (admin), each behind a typed confirmation of its id. */
export function PrivacyActions({
  customerId,
  onErased,
}: {
  readonly customerId: string;
  readonly onErased: () => void;
}) {
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const act = (run: () => Promise<string>) => async () => {
    setError(null);
    try {
      setMessage(await run());
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <section aria-labelledby="privacy-title" class="card">
      <h2 id="privacy-title">Privacy (admin)</h2>
      <div class="actions">
        <button
          type="button"
          onClick={() =>
            setConfirm({
              title: 'Export this customer',
              body: 'Downloads everything the product holds about this customer (profile, every event decrypted, read models) as JSON. Handle the file as personal data.',
              action: 'Export',
              typed: customerId,
              run: act(async () => {
                const data = await call<unknown>('GET', `/customers/${segment(customerId)}/export`);
                download(`customer-${customerId}.json`, JSON.stringify(data, null, 2), 'application/json');
                return `Exported ${customerId}.`;
              }),
            })
          }
        >
          Export…
        </button>
        <button
          type="button"
          class="danger"
          onClick={() =>
            setConfirm({
              title: 'Erase this customer',
              body: 'Deletes the customer’s data key: personal fields read as “[erased]” for good. Facts without personal data stay. This cannot be undone.',
              action: 'Erase',
              typed: customerId,
              danger: true,
              run: act(async () => {
                await post(`/admin/customers/${segment(customerId)}/erase`, {});
                onErased();
                return `Erased ${customerId}.`;
              }),
            })
          }
        >
          Erase…
        </button>
      </div>
      {message && (
        <p class="notice" role="status">
          {message}
        </p>
      )}
      <ErrorNotice error={error} />
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </section>
  );
}

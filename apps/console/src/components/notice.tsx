import { ApiCallError } from '../api/client';

/** An error said in words a person can act on; announced to screen readers. */
export function ErrorNotice({ error }: { readonly error: unknown }) {
  if (error === null || error === undefined) return null;
  const text =
    error instanceof ApiCallError
      ? error.explanation
      : error instanceof Error
        ? error.message
        : 'Something failed';
  const code = error instanceof ApiCallError ? error.code : null;
  return (
    <p class="notice error" role="alert" data-code={code ?? undefined}>
      {text}
    </p>
  );
}

export function Loading({ what }: { readonly what: string }) {
  return (
    <p class="notice" role="status">
      Loading {what}…
    </p>
  );
}

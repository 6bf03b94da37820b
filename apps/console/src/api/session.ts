/**
 * The API key lives in sessionStorage only: it goes when the tab closes, is
 * never put in a URL, and is sent as `Authorization: Bearer` by the client.
 */
const STORAGE_KEY = 'crm-console.api-key';

export function storedKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function storeKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

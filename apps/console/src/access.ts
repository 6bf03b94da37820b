import type { CurrentKey, Role } from './api/types';

/** What the signed-in key may do: the views show an action only when a role opens it. */
export type Access = { readonly key: CurrentKey; readonly has: (role: Role) => boolean };

export function accessOf(key: CurrentKey): Access {
  return { key, has: (role) => key.roles.includes(role) };
}

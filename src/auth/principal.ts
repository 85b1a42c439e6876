export type KeyScope = 'admin' | 'read';
export const KEY_SCOPES: readonly KeyScope[] = ['admin', 'read'];

/** Who a request authenticated as: the root key (HUB_API_KEY) or a stored key. */
export interface Principal {
  /** 'root' for HUB_API_KEY, else the key's id. */
  id: string;
  root: boolean;
  scope: KeyScope;
  /** Null: not confined to a tenant (the root key never is). */
  tenantId: string | null;
}

export const ROOT_PRINCIPAL: Principal = Object.freeze({ id: 'root', root: true, scope: 'admin', tenantId: null });

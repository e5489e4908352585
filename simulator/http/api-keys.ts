import type { PermissionSet } from './permissions.js';

/**
 * Options for a key the simulator accepts. A company API key or an app's key on Whop carries a set of
 * permissions; a route needing one it lacks answers 403 (see `ROUTE_PERMISSIONS`).
 */
export interface ApiKeyOptions {
  /** Only these companies' objects (others answer 403, lists leave them out). Default: every company. */
  companyIds?: readonly string[] | null;
  /** The key's permissions; `'all'` (default) = every permission. */
  permissions?: readonly string[] | 'all';
  /** Taken away from `permissions` (handy with the default `'all'`: "everything but member:phone:read"). */
  without?: readonly string[];
}

export interface ApiKeyScope {
  /** Companies the key may see; null = all. */
  companies: ReadonlySet<string> | null;
  /** null = every permission. */
  permissions: PermissionSet;
}

const PERMISSION_NAME = /^[a-z_]+(:[a-z_]+)+$/;

function permissionSet(opts: ApiKeyOptions, allPermissions: readonly string[]): PermissionSet {
  const given = opts.permissions ?? 'all';
  const without = opts.without ?? [];
  for (const p of [...(given === 'all' ? [] : given), ...without]) {
    if (!PERMISSION_NAME.test(p)) throw new Error(`not a Whop permission name: ${JSON.stringify(p)}`);
  }
  if (given === 'all' && without.length === 0) return null;
  const set = new Set(given === 'all' ? allPermissions : given);
  for (const p of without) set.delete(p);
  return set;
}

/** API keys the simulator accepts, each with its company scope and permissions. */
export class ApiKeys {
  private readonly keys = new Map<string, ApiKeyScope>();

  /** @param allPermissions what `'all'` expands to when some are taken away with `without`. */
  constructor(private readonly allPermissions: readonly string[]) {}

  add(key: string, opts: ApiKeyOptions = {}): void {
    this.keys.set(key, {
      companies: opts.companyIds ? new Set(opts.companyIds) : null,
      permissions: permissionSet(opts, this.allPermissions),
    });
  }

  /** Replaces a key's permissions (its company scope stays). Throws for an unknown key. */
  setPermissions(key: string, opts: Pick<ApiKeyOptions, 'permissions' | 'without'>): void {
    const scope = this.keys.get(key);
    if (!scope) throw new Error(`unknown API key: ${key}`);
    this.keys.set(key, { ...scope, permissions: permissionSet(opts, this.allPermissions) });
  }

  remove(key: string): void {
    this.keys.delete(key);
  }

  /** `undefined` = unknown key. */
  scopeOf(key: string): ApiKeyScope | undefined {
    return this.keys.get(key);
  }
}

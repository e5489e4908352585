/**
 * API keys the simulator accepts. A key may be scoped to some companies: requests for other
 * companies' objects then get 403, as a company API key would on Whop.
 */
export class ApiKeys {
  private readonly keys = new Map<string, ReadonlySet<string> | null>();

  add(key: string, opts: { companyIds?: string[] | null } = {}): void {
    this.keys.set(key, opts.companyIds ? new Set(opts.companyIds) : null);
  }

  remove(key: string): void {
    this.keys.delete(key);
  }

  /** `undefined` = unknown key; `null` = sees every company. */
  scopeOf(key: string): ReadonlySet<string> | null | undefined {
    return this.keys.get(key);
  }
}

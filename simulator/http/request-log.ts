export interface RequestLogEntry {
  seq: number;
  method: string;
  /** The actual path, e.g. `/api/v1/disputes/dspt_…`. */
  path: string;
  /** Normalized: `GET /disputes/:id`, `POST /payments/:id/refund`, `PUT /_uploads/:id`. */
  route: string;
  query: string;
  status: number;
  /** `rate_limit`, `server_error`, `server_error_after`, `read_lag` when a fault answered. */
  fault: string | null;
  /** The `Api-Version-Date` header the client sent (the SDK sends its generated default), or null. */
  apiVersionDate: string | null;
  startedAt: number;
  durationMs: number;
}

const API_PREFIX = '/api/v1';

/**
 * `METHOD /resource[/:id[/action]]`. Every id-bearing route of this API has the id as its
 * second segment, so the template is positional.
 */
export function normalizeRoute(method: string, path: string): string {
  const isApi = path === API_PREFIX || path.startsWith(`${API_PREFIX}/`);
  const rest = isApi ? path.slice(API_PREFIX.length) : path;
  const segments = rest.split('/').filter(Boolean);
  if (segments.length >= 2) segments[1] = ':id';
  if (!isApi && segments[0] === '_files') segments.length = Math.min(segments.length, 2);
  return `${method.toUpperCase()} /${segments.join('/')}`;
}

/**
 * Every HTTP request the simulator answered, with a per-route counter. Tests and benchmarks use
 * it to assert how many calls a client made (retries included: each attempt is a request).
 */
export class RequestLog {
  private seq = 0;
  readonly entries: RequestLogEntry[] = [];
  private readonly counts = new Map<string, number>();
  private readonly arrivals = new Map<string, number>();

  /** A request arrived (before latency and handling): `record` follows when it is answered. */
  arrive(route: string): void {
    this.arrivals.set(route, (this.arrivals.get(route) ?? 0) + 1);
  }

  /** Requests to one route that have arrived, answered or still in flight (a crash test's signal). */
  arrived(route: string): number {
    return this.arrivals.get(route) ?? 0;
  }

  record(entry: Omit<RequestLogEntry, 'seq'>): void {
    this.seq += 1;
    this.entries.push({ seq: this.seq, ...entry });
    this.counts.set(entry.route, (this.counts.get(entry.route) ?? 0) + 1);
  }

  /** Requests to one route (`GET /disputes`), or to all routes when omitted. */
  count(route?: string): number {
    if (route === undefined) return this.entries.length;
    return this.counts.get(route) ?? 0;
  }

  countsByRoute(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.entries.length = 0;
    this.counts.clear();
    this.arrivals.clear();
  }
}

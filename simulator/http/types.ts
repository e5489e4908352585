import type { PermissionSet } from './permissions.js';

/** Hono variables set by the simulator's middleware. */
export interface SimEnv {
  Variables: {
    /** Normalized route, e.g. `GET /disputes/:id`. */
    route: string;
    apiKey: string;
    /** Companies the API key may see; null = all. */
    companyScope: ReadonlySet<string> | null;
    /** The key's permissions; null = all. */
    permissions: PermissionSet;
    /** Which fault (if any) answered this request; for the request log. */
    fault: string | null;
  };
}

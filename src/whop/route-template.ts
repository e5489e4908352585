/**
 * The route of a Whop API call as a template (`GET /disputes/:id`), for metrics: label values must be a
 * bounded set, and raw ids would make one time series per object. Only collections and actions the
 * pinned `@whop/sdk` 0.0.42 calls (its `resources/*.ts` paths) are kept by name; any other segment is
 * `:id`, and a path that fits no `/<collection>[/:id[/<action>]]` shape is `other`.
 */

/** The SDK resources' top-level paths (`/disputes`, `/payments` …). */
const COLLECTIONS: ReadonlySet<string> = new Set([
  'companies',
  'dispute_alerts',
  'disputes',
  'files',
  'members',
  'memberships',
  'payments',
  'refunds',
  'resolution_center_cases',
  'users',
]);

/** The SDK's actions on one object (`/disputes/{id}/submit_evidence` …). */
const ACTIONS: ReadonlySet<string> = new Set([
  'access',
  'add_free_days',
  'api_keys',
  'cancel',
  'fees',
  'pause',
  'recommend_actions',
  'refund',
  'resume',
  'resync_access',
  'retry',
  'submit_evidence',
  'uncancel',
  'update_evidence',
  'void',
]);

const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** The path of Whop's API base URL. */
const WHOP_PATH = '/api/v1';

/** Every label this returns has this value when nothing fits. */
export const OTHER_ROUTE = 'other';

/**
 * `method` and `url` of a request, `baseURL` the client's (its path, e.g. `/api/v1`, is cut off first).
 * Returns `<METHOD> <template>` (`POST /disputes/:id/submit_evidence`, `GET /users/me`) or `other`.
 */
export function whopRouteTemplate(method: string, url: string, baseURL: string): string {
  const verb = method.toUpperCase();
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return OTHER_ROUTE;
  }
  const basePath = safePath(baseURL).replace(/\/+$/, '');
  if (basePath && path.startsWith(`${basePath}/`)) path = path.slice(basePath.length);
  // The SDK may take its base URL from WHOP_BASE_URL itself: Whop's own prefix goes too.
  else if (path.startsWith(`${WHOP_PATH}/`)) path = path.slice(WHOP_PATH.length);
  const parts = path.split('/').filter(Boolean);
  const [collection, id, action, rest] = parts;
  if (!METHODS.has(verb) || !collection || !COLLECTIONS.has(collection) || rest !== undefined) {
    return OTHER_ROUTE;
  }
  if (action !== undefined && !ACTIONS.has(action)) return OTHER_ROUTE;
  // `/users/me` is a fixed route, not an id.
  const idPart = id === undefined ? '' : collection === 'users' && id === 'me' ? '/me' : '/:id';
  return `${verb} /${collection}${idPart}${action ? `/${action}` : ''}`;
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

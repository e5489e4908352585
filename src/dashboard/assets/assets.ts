import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { DASHBOARD_CSS } from './dashboard-css.js';

const CSS_HASH = createHash('sha256').update(DASHBOARD_CSS).digest('base64url').slice(0, 12);
/** The stylesheet's URL; the version changes with its content, so browsers may cache it for long. */
export const CSS_HREF = `/assets/dashboard.css?v=${CSS_HASH}`;

/** `GET /assets/dashboard.css`: public (the login page needs it), cacheable, revalidated by ETag. */
export function assetRoutes() {
  const app = new Hono();
  app.get('/assets/dashboard.css', (c) => {
    const etag = `"${CSS_HASH}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'public, max-age=86400');
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    c.header('Content-Type', 'text/css; charset=utf-8');
    return c.body(DASHBOARD_CSS);
  });
  return app;
}

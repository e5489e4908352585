import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Queue } from 'bullmq';
import { Hono } from 'hono';

/** Where the queue UI lives, behind the dashboard's login. */
export const QUEUE_BOARD_PATH = '/admin/queues';

/** Bull Board's page asks a font CDN for its typeface; we serve no third-party asset (the CSP blocks it too). */
const FONT_LINK = /<link[^>]+fonts\.googleapis\.com[^>]*>\s*/g;

/**
 * Bull Board (`@bull-board/hono`) for every queue of the service: counts, jobs, failures and their
 * stack traces, retries. Its static files come from the installed `@bull-board/ui` package, served by us.
 */
export function queueBoardRoutes(queues: readonly Queue[]) {
  const adapter = new HonoAdapter(serveStatic).setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { allowRetries: true })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Dispute Autopilot' } },
  });
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    if (!c.res.headers.get('content-type')?.startsWith('text/html')) return;
    const html = (await c.res.text()).replace(FONT_LINK, '');
    const headers = new Headers(c.res.headers);
    headers.delete('content-length');
    c.res = new Response(html, { status: c.res.status, headers });
  });
  app.route('/', adapter.registerPlugin());
  return app;
}

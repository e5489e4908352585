import { Hono } from 'hono';
import { z } from 'zod';
import type { DeadLetterStore } from '../../dead-letters/dead-letter-store.js';
import { HttpError } from '../../errors/http-error.js';

export interface DeadLetterRouteDeps {
  deadLetters: Pick<DeadLetterStore, 'recent' | 'counts'>;
}

const query = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/**
 * `GET /api/dead-letters`, mounted at `/api` behind ADMIN_TOKEN: the events a relay set aside because
 * they could not become jobs, newest first — `{ total, by_stream, data }`, `data` at most `limit`
 * (1–200, default 50) of them, each with its stream, consumer group, entry id, when and why, and the
 * start of its payload. Throws HttpError `invalid_query`.
 */
export function deadLetterRoutes({ deadLetters }: DeadLetterRouteDeps) {
  const app = new Hono();
  app.get('/dead-letters', async (c) => {
    const parsed = query.safeParse(c.req.query());
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new HttpError('invalid_query', `${String(issue.path[0])}: ${issue.message}`);
    }
    const [counts, data] = await Promise.all([deadLetters.counts(), deadLetters.recent(parsed.data.limit)]);
    return c.json({ total: counts.total, by_stream: counts.byStream, data });
  });
  return app;
}

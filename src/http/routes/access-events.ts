import { Hono } from 'hono';
import type { AccessEvent } from '../../access-events/access-event.js';
import type { AccessEventStore } from '../../access-events/access-event-store.js';
import {
  AccessEventsBodyError,
  type BodyFormat,
  parseAccessEvents,
} from '../../access-events/parse-access-events.js';
import { HttpError, isHttpErrorCode } from '../../errors/http-error.js';
import { bearerToken } from '../middleware/bearer-token/index.js';
import { type RawBodyVariables, rawBody } from '../middleware/raw-body/index.js';
import type { RequestLoggerVariables } from '../middleware/request-logger/index.js';

export const MAX_ACCESS_EVENTS_BYTES = 5 * 1024 * 1024;
export const MAX_ACCESS_EVENTS_PER_REQUEST = 10_000;
/**
 * Events are refused this long before the store's retention cutoff, so one accepted here is never
 * trimmed by the store a moment later, when the cutoff has moved on.
 */
const CUTOFF_MARGIN_MS = 60_000;

/**
 * The Content-Types `POST /access-events` reads, and how; any other answers 415. Without a Content-Type,
 * or with text/plain (what fetch() and many HTTP clients send for a string body), the body is told by its
 * content (JSON, else NDJSON): refusing them would turn away working scripts for no safety gained, since
 * the body is parsed strictly either way. The README's API table lists these (test/access-events-api.test.ts).
 */
export const ACCESS_EVENT_CONTENT_TYPES: Readonly<Record<string, BodyFormat>> = {
  'application/json': 'json',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/x-jsonlines': 'ndjson',
  'text/plain': 'auto',
};

export interface AccessEventRouteDeps {
  store: AccessEventStore;
  token: string | undefined;
  maxBodyBytes?: number;
  maxEvents?: number;
  /**
   * Called once events are stored: refreshes evidence drafts of open disputes for these customers.
   * Best effort (a submission restages anyway), so its failure is logged and the answer stays 200.
   */
  onStored?: (events: AccessEvent[]) => Promise<void>;
}

/**
 * Content-Type → how to read the body (ACCESS_EVENT_CONTENT_TYPES); none: tell by the content;
 * undefined for a type we do not take.
 */
function formatOf(contentType: string | undefined): BodyFormat | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === '') return 'auto';
  return Object.hasOwn(ACCESS_EVENT_CONTENT_TYPES, type) ? ACCESS_EVENT_CONTENT_TYPES[type] : undefined;
}

/**
 * `POST /access-events`, behind ACCESS_EVENTS_TOKEN: the merchant's usage logs, one event, a JSON array
 * or NDJSON. Every valid event is stored even when others in the body are not; the answer counts each
 * event exactly once as accepted (new), duplicate (already stored) or rejected (with its line and why).
 * Like the webhook intake, never a 2xx for events that were not stored.
 */
export function accessEventRoutes(deps: AccessEventRouteDeps) {
  const { store } = deps;
  const maxBytes = deps.maxBodyBytes ?? MAX_ACCESS_EVENTS_BYTES;
  const maxEvents = deps.maxEvents ?? MAX_ACCESS_EVENTS_PER_REQUEST;
  const app = new Hono<{ Variables: RequestLoggerVariables & RawBodyVariables }>();
  app.use('*', bearerToken(deps.token, 'ACCESS_EVENTS_TOKEN'));

  app.post(
    '/',
    rawBody({
      maxBytes,
      tooLarge: () =>
        new HttpError(
          'payload_too_large',
          `body is over ${maxBytes / 1024 / 1024} MiB; send smaller batches`,
        ),
    }),
    async (c) => {
      const format = formatOf(c.req.header('content-type'));
      if (!format) {
        throw new HttpError(
          'unsupported_media_type',
          'send Content-Type: application/json (one event or an array) or application/x-ndjson (text/plain or none: told by the content)',
        );
      }
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(c.get('rawBody'));
      } catch {
        throw new HttpError('invalid_encoding', 'the body is not UTF-8');
      }

      let parsed: ReturnType<typeof parseAccessEvents>;
      try {
        parsed = parseAccessEvents(text, {
          format,
          maxEvents,
          notBefore: store.cutoff().getTime() + CUTOFF_MARGIN_MS,
        });
      } catch (err) {
        // Each code parseAccessEvents throws is an HTTP code (400, or 413 for too_many_events); any
        // other error is a bug and answers 500.
        if (!(err instanceof AccessEventsBodyError) || !isHttpErrorCode(err.code)) throw err;
        throw new HttpError(err.code, err.message);
      }
      const { accepted, rejected } = parsed;
      if (accepted.length === 0) {
        throw new HttpError('all_rejected', `all ${rejected.length} events were rejected; see rejected`, {
          accepted: 0,
          duplicates: 0,
          rejected,
        });
      }

      try {
        const result = await store.add(accepted);
        c.get('log')[rejected.length > 0 ? 'info' : 'debug'](
          { accepted: result.stored, duplicates: result.duplicates, rejected: rejected.length },
          'access events stored',
        );
        if (result.stored > 0 && deps.onStored) {
          await deps
            .onStored(accepted)
            .catch((err: Error) =>
              c.get('log').warn({ err: err.message }, 'could not queue evidence refresh'),
            );
        }
        return c.json({ accepted: result.stored, duplicates: result.duplicates, rejected }, 200);
      } catch (err) {
        // Possibly stored in part: a retry of the same body is idempotent, so say "retry", never 2xx.
        c.get('log').warn(
          { err: (err as Error).message, events: accepted.length },
          'could not store access events',
        );
        throw new HttpError('store_unavailable', 'event store unavailable; retry later');
      }
    },
  );

  return app;
}

import { baseRecord, type SimContext } from '../context.js';
import { badRequest, invalidParam, missingParam, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { NotificationRecord } from '../state.js';

function optionalString(input: Record<string, unknown>, key: string): string | null {
  const v = input[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw invalidParam(key);
  return v;
}

/** POST /notifications: validated and stored so tests can assert what the product sent. */
export function createNotification(ctx: SimContext, body: unknown): NotificationRecord {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('Request body must be a JSON object.');
  }
  const input = body as Record<string, unknown>;
  const companyId = optionalString(input, 'company_id');
  const experienceId = optionalString(input, 'experience_id');
  if (!companyId && !experienceId) throw missingParam('company_id');
  if (companyId && !ctx.state.companies.has(companyId)) throw notFound('Company', companyId, 'company_id');
  for (const key of ['title', 'content']) {
    if (typeof input[key] !== 'string' || input[key] === '') throw missingParam(key);
  }
  const userIds = input.user_ids;
  if (userIds !== undefined && userIds !== null) {
    if (!Array.isArray(userIds) || userIds.some((u) => typeof u !== 'string')) throw invalidParam('user_ids');
  }
  const rec: NotificationRecord = {
    ...baseRecord(ctx, newId('notification')),
    company_id: companyId,
    experience_id: experienceId,
    title: input.title as string,
    subtitle: optionalString(input, 'subtitle'),
    content: input.content as string,
    user_ids: (userIds as string[] | null | undefined) ?? null,
    rest_path: optionalString(input, 'rest_path'),
    icon_user_id: optionalString(input, 'icon_user_id'),
  };
  ctx.state.notifications.set(rec.id, rec);
  return rec;
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { baseRecord, type SimContext, touch } from '../context.js';
import { invalidParam, missingParam } from '../errors.js';
import { newId, randomHex } from '../ids.js';
import type { FileRecord } from '../state.js';

const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
  mp4: 'video/mp4',
  mp3: 'audio/mpeg',
  zip: 'application/zip',
};

export function contentTypeFor(filename: string): string {
  const ext = filename.split('.').pop()?.toLowerCase() ?? '';
  return MIME_BY_EXTENSION[ext] ?? 'application/octet-stream';
}

/** POST /files: a pending record plus a presigned-style upload URL served by the simulator. */
export function createFile(ctx: SimContext, body: unknown): FileRecord {
  const input = (body ?? {}) as { filename?: unknown; visibility?: unknown };
  if (input.filename === undefined || input.filename === null || input.filename === '')
    throw missingParam('filename');
  if (typeof input.filename !== 'string') throw invalidParam('filename');
  const visibility = input.visibility ?? 'public';
  if (visibility !== 'public' && visibility !== 'private') throw invalidParam('visibility');
  const rec: FileRecord = {
    ...baseRecord(ctx, newId('file')),
    filename: input.filename,
    content_type: contentTypeFor(input.filename),
    visibility,
    upload_status: 'pending',
    size: null,
    bytes: null,
    uploadToken: randomHex(16),
    signingKey: randomHex(16),
  };
  ctx.state.files.set(rec.id, rec);
  return rec;
}

/**
 * How long a private file's signed URL works. The SDK says only "a signed URL that expires"
 * (`FileRetrieveResponse.url`); an hour is taken (S3's usual presign), timed by the simulator's clock.
 */
export const PRIVATE_URL_TTL_MS = 3_600_000;

function signature(file: FileRecord, expires: string): string {
  return createHmac('sha256', file.signingKey).update(`${file.id}.${expires}`).digest('hex');
}

/**
 * Where a ready file is served. Public: a permanent URL. Private ("requires authentication to access",
 * @whop/sdk files.ts `FileVisibility`): a URL signed for PRIVATE_URL_TTL_MS from now; without a valid,
 * unexpired signature the bytes are refused.
 */
export function fileDownloadPath(ctx: SimContext, file: FileRecord): string {
  const path = `/_files/${file.id}/${encodeURIComponent(file.filename)}`;
  if (file.visibility === 'public') return path;
  const expires = String(Math.floor((ctx.clock.nowMs() + PRIVATE_URL_TTL_MS) / 1000));
  return `${path}?expires=${expires}&signature=${signature(file, expires)}`;
}

/** Whether a download request may have the file's bytes (always for public files). */
export function mayDownload(
  ctx: SimContext,
  file: FileRecord,
  query: { expires?: string | undefined; signature?: string | undefined },
): boolean {
  if (file.visibility === 'public') return true;
  const { expires, signature: given } = query;
  if (!expires || !given || !/^\d+$/.test(expires)) return false;
  if (Number(expires) * 1000 <= ctx.clock.nowMs()) return false;
  const want = Buffer.from(signature(file, expires));
  const got = Buffer.from(given);
  return want.length === got.length && timingSafeEqual(want, got);
}

/**
 * Whether an upload PUT carries the headers `files.create` returned in `upload_headers`: a presigned S3
 * URL signs its Content-Type, and a PUT with another one is refused (403 SignatureDoesNotMatch).
 */
export function uploadHeadersMatch(file: FileRecord, contentType: string | undefined): boolean {
  if (!file.content_type) return true;
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === file.content_type;
}

/** The PUT to the upload URL: stores the bytes; the file becomes `ready` (after `fileProcessingMs`). */
export function completeUpload(ctx: SimContext, file: FileRecord, bytes: Uint8Array): FileRecord {
  file.bytes = bytes;
  file.size = String(bytes.byteLength);
  const delay = ctx.config.fileProcessingMs;
  if (delay > 0) {
    file.upload_status = 'processing';
    ctx.schedule(delay, () => {
      file.upload_status = 'ready';
      touch(ctx, file);
    });
  } else {
    file.upload_status = 'ready';
  }
  touch(ctx, file);
  return file;
}

/** Scripting shortcut: a ready file (e.g. evidence a test attaches without going through HTTP). */
export function createReadyFile(ctx: SimContext, filename: string, bytes: Uint8Array | string): FileRecord {
  const rec = createFile(ctx, { filename });
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  rec.bytes = data;
  rec.size = String(data.byteLength);
  rec.upload_status = 'ready';
  return rec;
}

import type Whop from '@whop/sdk';
import type { FileRetrieveResponse, FileVisibility } from '@whop/sdk/resources/files';

export interface UploadFileInput {
  /** With its extension: Whop takes the content type from it (e.g. `access-log-dp_1.pdf`). */
  filename: string;
  bytes: Uint8Array;
  /**
   * `private` (the default here): "requires authentication to access", served through signed URLs that
   * expire; `public`: a permanent CDN URL (@whop/sdk 0.0.42 src/resources/files.ts, `FileVisibility`).
   */
  visibility?: FileVisibility;
}

export interface UploadFileOptions {
  /** First wait between `files.retrieve` polls, in ms; doubles up to 2 s. Default 250. */
  pollIntervalMs?: number;
  /** How long to wait for `upload_status: ready` after the upload, in ms. Default 30,000. */
  pollTimeoutMs?: number;
  /** How long the PUT of the bytes may take, in ms. Default 30,000. */
  putTimeoutMs?: number;
  /** For the PUT to the presigned URL (not Whop's API: it takes no Bearer key and no rate-limit slot). */
  fetch?: typeof fetch;
}

/** An upload that did not end with a ready file. `fileId` is set once Whop created the record. */
export class FileUploadError extends Error {
  readonly code = 'file_upload_failed';
  constructor(
    message: string,
    readonly fileId: string | null,
  ) {
    super(message);
  }
}

/**
 * Uploads a file to Whop as private as the Files API allows (or with the visibility given): `files.create`
 * with `visibility`, PUT of the bytes to `upload_url` with `upload_headers`, then `files.retrieve` until
 * `upload_status` is `ready`, for at most `pollTimeoutMs`. The SDK's own `files.upload` helper sends only
 * the filename (@whop/sdk 0.0.42 src/lib/upload-file.ts), so a customer's data would go up public.
 * Like that helper, a record `create` already answers `ready` is not uploaded again.
 *
 * Throws what the SDK throws for `files.create` / `files.retrieve` (e.g. a 403 or 5xx `APIError`), and
 * FileUploadError when the PUT is refused or times out, Whop reports `failed`, or the file is not ready
 * in time. Nothing is retried here: the caller decides (evidence is staged without the file).
 */
export async function uploadFile(
  whop: Whop,
  input: UploadFileInput,
  options: UploadFileOptions = {},
): Promise<FileRetrieveResponse> {
  const visibility = input.visibility ?? 'private';
  const created = await whop.files.create({ filename: input.filename, visibility });
  if (created.upload_status === 'failed') {
    throw new FileUploadError(`Whop could not create file ${created.id}`, created.id);
  }
  if (created.upload_status !== 'ready') {
    if (!created.upload_url) {
      throw new FileUploadError(`Whop gave no upload_url for file ${created.id}`, created.id);
    }
    const put = options.fetch ?? fetch;
    let res: Response;
    try {
      res = await put(created.upload_url, {
        method: 'PUT',
        headers: stringHeaders(created.upload_headers),
        body: input.bytes,
        signal: AbortSignal.timeout(options.putTimeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new FileUploadError(`upload of file ${created.id} failed: ${(err as Error).message}`, created.id);
    }
    // Drain the body so the connection is released.
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) {
      throw new FileUploadError(`upload of file ${created.id} was refused (HTTP ${res.status})`, created.id);
    }
  }

  const deadline = Date.now() + (options.pollTimeoutMs ?? 30_000);
  let wait = options.pollIntervalMs ?? 250;
  for (;;) {
    const file = await whop.files.retrieve(created.id);
    if (file.upload_status === 'ready') return file;
    if (file.upload_status === 'failed') {
      throw new FileUploadError(`Whop could not process file ${created.id}`, created.id);
    }
    if (Date.now() + wait > deadline) {
      throw new FileUploadError(
        `file ${created.id} was still ${file.upload_status} after ${options.pollTimeoutMs ?? 30_000} ms`,
        created.id,
      );
    }
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, 2_000);
  }
}

/** `upload_headers` is typed `{ [key]: unknown } | null`: the PUT needs strings. */
function stringHeaders(headers: Record<string, unknown> | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (value !== null && value !== undefined) out[key] = String(value);
  }
  return out;
}

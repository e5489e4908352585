import { afterEach, describe, expect, it } from 'vitest';
import type { WhopSimulator } from '../simulator/index.js';
import { FileUploadError, uploadFile } from '../src/whop/upload-file.js';
import { sdkFor, startSim } from './simulator/helpers.js';

const bytes = new TextEncoder().encode('%PDF-1.4 the customer’s access log');

describe('uploadFile against the simulator', () => {
  let sim: WhopSimulator;
  afterEach(() => sim.close());

  it('creates the file private, PUTs the bytes with upload_headers, and waits until it is ready', async () => {
    // Still processing when the PUT returns: a `ready` answer means the upload waited for it.
    sim = await startSim({ fileProcessingMs: 300 });
    const file = await uploadFile(sdkFor(sim), { filename: 'access-log-dp_1.pdf', bytes });
    expect(file).toMatchObject({
      visibility: 'private',
      upload_status: 'ready',
      content_type: 'application/pdf',
    });
    expect(sim.getFile(file.id).bytes).toEqual(bytes);
    const create = sim.requestLog.find((r) => r.route === 'POST /files')!;
    expect(create.status).toBe(200);
    expect(sim.requestCount('PUT /_uploads/:id')).toBe(1);
  });

  it('gives up after pollTimeoutMs while Whop is still processing, naming the file', async () => {
    sim = await startSim({ fileProcessingMs: 60_000 });
    const started = Date.now();
    const err = await uploadFile(
      sdkFor(sim),
      { filename: 'access-log-dp_2.pdf', bytes },
      { pollIntervalMs: 20, pollTimeoutMs: 200 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileUploadError);
    expect((err as FileUploadError).message).toMatch(/still processing/);
    expect((err as FileUploadError).fileId).toMatch(/^file_/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a refused PUT is a FileUploadError, not a file said to be ready', async () => {
    sim = await startSim();
    const refusing: typeof fetch = async () => new Response('AccessDenied', { status: 403 });
    const err = await uploadFile(
      sdkFor(sim),
      { filename: 'access-log-dp_3.pdf', bytes },
      { fetch: refusing },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileUploadError);
    expect((err as Error).message).toMatch(/refused \(HTTP 403\)/);
    expect(sim.getFile((err as FileUploadError).fileId!).upload_status).toBe('pending');
  });
});

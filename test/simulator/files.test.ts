import { afterEach, describe, expect, it } from 'vitest';
import type { WhopSimulator } from '../../simulator/index.js';
import { sdkFor, startSim } from './helpers.js';

describe('files', () => {
  let sim: WhopSimulator;
  afterEach(() => sim.close());

  it('client.files.upload works end-to-end: create → PUT to upload_url → retrieve ready', async () => {
    sim = await startSim();
    const client = sdkFor(sim);
    const bytes = new TextEncoder().encode('%PDF-1.4 cancellation policy');
    const file = await client.files.upload(new File([bytes], 'cancellation-policy.pdf'));
    expect(file).toEqual({
      id: expect.stringMatching(/^file_[A-Za-z0-9]{13}$/),
      content_type: 'application/pdf',
      filename: 'cancellation-policy.pdf',
      size: String(bytes.byteLength),
      upload_status: 'ready',
      url: expect.stringContaining(`/_files/${file.id}/`),
      visibility: 'public',
    });
    expect(sim.requestCounts()).toEqual({ 'GET /files/:id': 1, 'POST /files': 1, 'PUT /_uploads/:id': 1 });
    expect(sim.getFile(file.id).bytes).toEqual(bytes);
    const served = await fetch(file.url!);
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);
  });

  it('create returns upload_url + upload_headers only on create; pending until the PUT; processing delay', async () => {
    sim = await startSim({ fileProcessingMs: 30 });
    const client = sdkFor(sim);
    const created = await client.files.create({ filename: 'chat.png', visibility: 'private' });
    expect(created).toMatchObject({
      upload_status: 'pending',
      size: null,
      url: null,
      visibility: 'private',
      upload_headers: { 'Content-Type': 'image/png' },
    });
    expect(created.upload_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_uploads\/file_/);
    const before = await client.files.retrieve(created.id);
    expect(before).not.toHaveProperty('upload_url');
    expect(before.upload_status).toBe('pending');

    const denied = await fetch(created.upload_url!.replace(/token=\w+/, 'token=wrong'), {
      method: 'PUT',
      body: 'x',
    });
    expect(denied.status).toBe(403);

    const put = await fetch(created.upload_url!, {
      method: 'PUT',
      headers: created.upload_headers as Record<string, string>,
      body: new Uint8Array([1, 2, 3]),
    });
    expect(put.status).toBe(200);
    expect((await client.files.retrieve(created.id)).upload_status).toBe('processing');
    await sim.idle();
    expect(await client.files.retrieve(created.id)).toMatchObject({ upload_status: 'ready', size: '3' });
  });

  it('a private file is served only through its signed url, until that expires; a public one always', async () => {
    sim = await startSim();
    const client = sdkFor(sim);
    const created = await client.files.create({ filename: 'access-log.pdf', visibility: 'private' });
    const bytes = new TextEncoder().encode('%PDF-1.4 private');
    expect(
      (
        await fetch(created.upload_url!, {
          method: 'PUT',
          headers: created.upload_headers as Record<string, string>,
          body: bytes,
        })
      ).status,
    ).toBe(200);
    const file = await client.files.retrieve(created.id);
    expect(file).toMatchObject({ visibility: 'private', upload_status: 'ready' });
    const signed = new URL(file.url!);
    expect(signed.searchParams.get('signature')).toMatch(/^[0-9a-f]{64}$/);

    const served = await fetch(signed);
    expect(served.status).toBe(200);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);

    const unsigned = await fetch(`${signed.origin}${signed.pathname}`);
    expect(unsigned.status).toBe(403);
    const forged = new URL(signed);
    forged.searchParams.set('expires', String(Number(signed.searchParams.get('expires')) + 3600));
    expect((await fetch(forged)).status).toBe(403);

    sim.advanceClock(2 * 3_600_000);
    expect((await fetch(signed)).status).toBe(403);
    const renewed = await client.files.retrieve(created.id);
    expect((await fetch(renewed.url!)).status).toBe(200);

    // A public file's url is permanent and unsigned.
    const open = await client.files.upload(new File([bytes], 'policy.pdf'));
    expect(new URL(open.url!).search).toBe('');
    expect((await fetch(open.url!)).status).toBe(200);
  });

  it('refuses an upload PUT without the Content-Type that upload_headers named (a presigned URL signs it)', async () => {
    sim = await startSim();
    const client = sdkFor(sim);
    const created = await client.files.create({ filename: 'access-log.pdf', visibility: 'private' });
    const wrong = await fetch(created.upload_url!, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/plain' },
      body: 'x',
    });
    expect(wrong.status).toBe(403);
    expect((await client.files.retrieve(created.id)).upload_status).toBe('pending');
  });
});

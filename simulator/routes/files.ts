import type { Hono } from 'hono';
import type { SimContext } from '../context.js';
import { completeUpload, createFile, mayDownload, uploadHeadersMatch } from '../domain/files.js';
import { WhopApiError } from '../errors.js';
import type { SimEnv } from '../http/types.js';
import { serializeCreatedFile, serializeFile } from '../serializers.js';
import { findForRead, readJson } from './common.js';

export function registerFileRoutes(api: Hono<SimEnv>, sim: SimContext): void {
  api.post('/files', async (c) => {
    const file = createFile(sim, await readJson(c));
    return c.json(serializeCreatedFile(sim, file));
  });

  api.get('/files/:id', (c) => {
    const file = findForRead(c, sim, sim.state.files, c.req.param('id'), 'File');
    return c.json(serializeFile(sim, file));
  });
}

/**
 * The "presigned" upload target (outside /api/v1, no Bearer key, like S3): the token in the URL
 * authorizes the PUT, which must carry `upload_headers`. Also serves the stored bytes at the file's `url`:
 * a private file's only with that URL's unexpired signature.
 */
export function registerUploadRoutes(app: Hono<SimEnv>, sim: SimContext): void {
  app.put('/_uploads/:id', async (c) => {
    const file = sim.state.files.get(c.req.param('id'));
    if (!file || c.req.query('token') !== file.uploadToken) {
      return c.text('AccessDenied: invalid upload URL', 403);
    }
    if (!uploadHeadersMatch(file, c.req.header('content-type'))) {
      return c.text('SignatureDoesNotMatch: Content-Type differs from upload_headers', 403);
    }
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    completeUpload(sim, file, bytes);
    return c.body(null, 200);
  });

  app.get('/_files/:id/:name', (c) => {
    const file = sim.state.files.get(c.req.param('id'));
    if (!file?.bytes || file.upload_status !== 'ready') throw new WhopApiError(404, 'File not found');
    if (!mayDownload(sim, file, { expires: c.req.query('expires'), signature: c.req.query('signature') })) {
      return c.text('AccessDenied: this file is private; use the signed url Whop returns', 403);
    }
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': file.content_type ?? 'application/octet-stream',
    });
  });
}

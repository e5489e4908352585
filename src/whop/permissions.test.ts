import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CALL_PERMISSIONS,
  FEATURE_CALLS,
  featurePermissions,
  missingFor,
  type WhopCall,
} from './permissions.js';

// The SDK ships its TypeScript sources; the project's own copy is the one pinned in package.json.
const sdkRoot = join(process.cwd(), 'node_modules', '@whop', 'sdk');

/** `disputeAlerts` → `dispute-alerts.ts`. */
const resourceFile = (resource: string) =>
  join(sdkRoot, 'src', 'resources', `${resource.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.ts`);

/** The permissions the SDK's doc comment lists for `method` on the resource class in `source`. */
function sdkPermissions(source: string, method: string): string[] | undefined {
  const cls = source.slice(source.indexOf('extends APIResource'));
  const re = /\/\*\*([\s\S]*?)\*\/\s*\n\s*(\w+)\(/g;
  for (let m = re.exec(cls); m; m = re.exec(cls)) {
    if (m[2] !== method) continue;
    const doc = m[1] ?? '';
    return doc.includes('Required permissions') ? [...doc.matchAll(/- `([a-z_:]+)`/g)].map((x) => x[1]!) : [];
  }
  return undefined;
}

describe('CALL_PERMISSIONS', () => {
  it.each(Object.keys(CALL_PERMISSIONS) as WhopCall[])('%s matches the SDK 0.0.42 doc comment', (call) => {
    const [resource, method] = call.split('.') as [string, string];
    const listed = sdkPermissions(readFileSync(resourceFile(resource), 'utf8'), method);
    expect(listed, `${call} not found in the SDK`).toBeDefined();
    expect([...CALL_PERMISSIONS[call]]).toEqual(listed);
  });

  it('every call a feature makes has its permissions listed', () => {
    for (const f of Object.values(FEATURE_CALLS)) {
      for (const call of [...f.required, ...f.optional]) expect(CALL_PERMISSIONS).toHaveProperty([call]);
    }
  });
});

describe('missingFor / featurePermissions', () => {
  it('names what a narrow key lacks for a call, in the SDK order', () => {
    const granted = new Set(['payment:dispute:read', 'payment:basic:read', 'plan:basic:read']);
    expect(missingFor('disputes.retrieve', granted)).toEqual([
      'access_pass:basic:read',
      'company:basic:read',
      'member:email:read',
      'member:basic:read',
      'member:phone:read',
    ]);
    expect(
      missingFor('resolutionCenterCases.list', new Set(['payment:resolution_center_case:read'])),
    ).toEqual([]);
  });

  it('gives the union of a feature’s permissions, once each', () => {
    const refunds = featurePermissions('refunds');
    expect(refunds).toContain('payment:manage');
    expect(refunds).toContain('membership:cancel');
    expect(new Set(refunds).size).toBe(refunds.length);
  });
});

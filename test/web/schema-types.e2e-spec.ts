import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The page's API types are generated from the committed openapi.json (which test/openapi.e2e-spec.ts
 * keeps equal to what the code produces): regenerated here, they must equal the committed file, so
 * the page can never be typed against an API that is not the hub's.
 */
describe('web/src/api/schema.d.ts', () => {
  it('is what openapi-typescript makes of openapi.json (else run npm run openapi:types)', () => {
    const root = join(__dirname, '../..');
    const out = join(mkdtempSync(join(tmpdir(), 'schema-')), 'schema.d.ts');
    execFileSync(process.execPath, [join(root, 'node_modules/openapi-typescript/bin/cli.js'), join(root, 'openapi.json'), '-o', out], { cwd: root, stdio: 'pipe' });
    expect(readFileSync(join(root, 'web/src/api/schema.d.ts'), 'utf8') === readFileSync(out, 'utf8')).toBe(true);
  });
});

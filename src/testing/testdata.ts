/**
 * Where tests find the public sample data that ships beside the project (not inside it, for its
 * own licences): `<repo>/../shared/testdata`, or the folder named by CEIR_TESTDATA.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** From dist/testing/ (compiled) or src/testing/: the repository root is two levels up. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const TESTDATA = process.env.CEIR_TESTDATA ?? join(REPO_ROOT, '..', 'shared', 'testdata');
export const DIRBS_TESTDATA = process.env.CEIR_DIRBS_TESTDATA ?? join(TESTDATA, 'dirbs');

import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core writes its encryption-key file under the user folder on first use; one shared folder
// for every test file keeps /tmp clean.
const folder = join(tmpdir(), 'n8n-acs-test-user-folder');
mkdirSync(folder, { recursive: true });
process.env.N8N_USER_FOLDER ??= folder;
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';
// Expected node errors (bad input, 401, 404) are asserted on; n8n's logger would print each one.
process.env.N8N_LOG_LEVEL ??= 'silent';

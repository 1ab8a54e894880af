import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core writes its encryption-key file under the user folder on first use.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-acs-test-'));
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';

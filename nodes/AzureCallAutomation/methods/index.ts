export { acsConnectionTest } from './credentialTest';
export { eventGridConnectionTest } from './eventGridCredentialTest';
export { webhookSecretTest } from './webhookSecretTest';

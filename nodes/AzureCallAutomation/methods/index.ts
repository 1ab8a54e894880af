export { acsConnectionTest } from './credentialTest';
export { eventGridConnectionTest } from './eventGridCredentialTest';

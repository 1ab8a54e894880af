export { acsConnectionTest } from './credentialTest';

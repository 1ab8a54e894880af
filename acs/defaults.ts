/** The service's defaults every side uses: the credential's fields, the transport and the callback checks. */

/** Call Automation REST API version sent when the credential names none. */
export const DEFAULT_API_VERSION = '2026-03-12';

/** Where ACS publishes the keys and issuer of the bearer tokens on its callback requests. */
export const DEFAULT_OPENID_CONFIGURATION_URL =
	'https://acscallautomation.communication.azure.com/calling/.well-known/acsopenidconfiguration';

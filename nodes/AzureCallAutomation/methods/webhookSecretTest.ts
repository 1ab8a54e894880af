/**
 * "Test" in the Webhook Secret credential dialog. The secret is checked by nobody else, so the test
 * says whether it is fit to guard a public URL: long enough to resist guessing and safe in a query.
 */
import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

export const MIN_SECRET_LENGTH = 24;

export function secretProblem(secret: string): string | undefined {
	if (secret.length < MIN_SECRET_LENGTH) {
		return `The secret has ${secret.length} characters: use a random value of at least ${MIN_SECRET_LENGTH} (32 or more is better), e.g. from a password generator.`;
	}
	if (/\s/.test(secret))
		return 'The secret contains spaces or line breaks: they are easily lost in URLs. Use letters, digits, - and _.';
	if (new Set(secret).size < 8) return 'The secret repeats a few characters: use a random value.';
	return undefined;
}

export async function webhookSecretTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const secret = credential.data?.secret;
	const problem = secretProblem(typeof secret === 'string' ? secret : '');
	if (problem) return { status: 'Error', message: problem };
	return {
		status: 'OK',
		message: 'The secret is long and varied enough to guard the trigger URL.',
	};
}

/**
 * Where the trigger's authentication settings come from: the node's options, the Webhook Secret
 * credential, and the secret the trigger derives for an Event Grid subscription it registers itself.
 */
import { createHmac } from 'node:crypto';
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import type { AuthSettings } from '../callbacks/authenticate';
import { DEFAULT_OPENID_CONFIGURATION_URL } from '../../../acs/defaults';
import { EVENT_GRID_CREDENTIAL } from './eventGrid';

/** The trigger's Options collection. */
export interface TriggerOptions {
	callConnectionId?: string;
	/** Comma-separated E.164 numbers an incoming call must be to. */
	calledNumbers?: string;
	operationContext?: string;
	splitByFamily?: boolean;
	verifyToken?: boolean;
	openIdConfigurationUrl?: string;
	resourceId?: string;
	/** Version 1 only: kept so existing workflows keep working; new ones use the Webhook Secret credential. */
	sharedSecret?: string;
	allowUnauthenticated?: boolean;
}

export const SECRET_CREDENTIAL = 'azureCallAutomationWebhookSecretApi';

type Context = IWebhookFunctions | IHookFunctions;

export function hasCredential(ctx: Context, name: string): boolean {
	return Boolean(ctx.getNode().credentials?.[name]);
}

/** The secret the user set: the Webhook Secret credential, or version 1's Shared Secret option. */
export async function configuredSecret(this: Context): Promise<string> {
	if (hasCredential(this, SECRET_CREDENTIAL)) {
		const secret = (await this.getCredentials(SECRET_CREDENTIAL)).secret;
		if (typeof secret === 'string' && secret !== '') return secret;
	}
	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	return options.sharedSecret ?? '';
}

/**
 * The secret put in the endpoint URL of a subscription the trigger registers without a Webhook Secret
 * credential: derived from the Event Grid credential's client secret, so it is stored nowhere, is the
 * same in every n8n process, and changes when that secret is rotated.
 */
export function deriveEventGridSecret(
	clientSecret: string,
	workflowId: string,
	nodeId: string,
): string {
	return createHmac('sha256', clientSecret)
		.update(`event-grid-endpoint\n${workflowId}\n${nodeId}`)
		.digest('base64url');
}

export async function derivedSecret(this: Context): Promise<string | undefined> {
	if (
		this.getNodeParameter('registerEventGrid', false) !== true ||
		!hasCredential(this, EVENT_GRID_CREDENTIAL)
	) {
		return undefined;
	}
	const clientSecret = (await this.getCredentials(EVENT_GRID_CREDENTIAL)).clientSecret;
	if (typeof clientSecret !== 'string' || clientSecret === '') return undefined;
	return deriveEventGridSecret(
		clientSecret,
		String(this.getWorkflow().id ?? ''),
		this.getNode().id,
	);
}

/** The secret a registered Event Grid endpoint URL carries. */
export async function endpointSecret(this: Context): Promise<string> {
	return (await configuredSecret.call(this)) || ((await derivedSecret.call(this)) ?? '');
}

export async function authSettings(this: IWebhookFunctions): Promise<AuthSettings> {
	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	const configured = await configuredSecret.call(this);
	const derived = configured ? undefined : await derivedSecret.call(this);
	return {
		verifyToken: options.verifyToken !== false,
		audience: options.resourceId ?? '',
		openIdConfigurationUrl: options.openIdConfigurationUrl || DEFAULT_OPENID_CONFIGURATION_URL,
		secrets: [configured, derived ?? ''].filter((s) => s !== ''),
		allowUnauthenticated: options.allowUnauthenticated === true,
	};
}

/** While a step waits for its outcome, its events must come to the execution's resume URL instead of the user's. */
export interface CallbackOverride {
	/** The call's callback URL (Create Call, Answer). */
	callbackUri: string;
	/** The operation callback URL (mid-call actions). */
	operationCallbackUri: string;
}

const overrides = new WeakMap<object, CallbackOverride>();

export function setCallbackOverride(ctx: object, override: CallbackOverride): void {
	overrides.set(ctx, override);
}

export function callbackOverride(ctx: object): CallbackOverride | undefined {
	return overrides.get(ctx);
}

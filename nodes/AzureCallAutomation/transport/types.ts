/** What the transport is handed: the context it sends through and the request. */
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

export type AcsContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions;

export interface AcsRequest {
	method: IHttpRequestMethods;
	/** Path under the endpoint, e.g. `/calling/callConnections/{id}:play` (ids already encoded). */
	path?: string;
	/** An absolute URL returned by ACS (a `nextLink`); used verbatim, no api-version added. */
	url?: string;
	body?: IDataObject;
	/** Send Repeatability-Request-ID / -First-Sent, as the SDK does for this operation. */
	repeatable?: boolean;
	itemIndex?: number;
}

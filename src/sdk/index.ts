/** The public surface of the Grove SDK. */
export { GroveClient, type GroveClientOptions } from './GroveClient.ts';
export { GroveApiError, isGroveApiError, type GroveErrorCode } from './GroveApiError.ts';
export type { FetchFunction } from './GroveTransport.ts';
export type { RetryOptions } from './retryPolicy.ts';
export type { NamespacesApi } from './NamespacesApi.ts';
export type { ReposApi } from './ReposApi.ts';
export type { RepoTokensApi } from './RepoTokensApi.ts';
export type { AdminTokensApi } from './AdminTokensApi.ts';
export type { RepoContentApi } from './RepoContentApi.ts';
export type { RefsApi } from './RefsApi.ts';
export type { NotesApi } from './NotesApi.ts';
export type { DraftApi } from './DraftApi.ts';
export { StreamedContent, type ContentRange } from './StreamedContent.ts';
export type { UploadBody } from './GroveTransport.ts';
export type * from './types.ts';
export type * from './draftTypes.ts';

import { clonePackKey, type ClonePackRequest } from './clonePackKey.ts';
import type { UploadPackContext } from './uploadPackContext.ts';
import type { PackResponseOptions } from './writePackResponse.ts';

/** The `cache` option of a pack response: set for a clone when the repository has a pack cache. */
export function packCacheOption(ctx: UploadPackContext, request: ClonePackRequest): Pick<PackResponseOptions, 'cache'> {
  if (ctx.packCache === undefined) return {};
  const key = clonePackKey(ctx.codec, request);
  return key === undefined ? {} : { cache: { store: ctx.packCache, key } };
}

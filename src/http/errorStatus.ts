/** The one table from error code to HTTP status. */
import type { ErrorCode } from '../errors.ts';

export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PROTOCOL_ERROR: 400,
  BAD_PACK: 400,
  BAD_OBJECT: 422,
  MISSING_OBJECT: 422,
  BAD_REF_NAME: 422,
  REF_CONFLICT: 409,
  INTERNAL: 500,
};

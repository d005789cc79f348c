/** The one error type handlers throw; the dispatcher turns it (and anything else) into an envelope. */
import type { ApiErrorBody, ApiErrorCode } from '../../preload/contract.js';

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message };
  }
}

export function unsupported(what: string): ApiError {
  return new ApiError('unsupported', `${what} is only available in the desktop app`);
}

export function notFound(what: string): ApiError {
  return new ApiError('not-found', `${what} not found`);
}

/** The largest amount, capacity or actual a request may carry: 2^53 − 1. */
export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

/** Durations are stored by TigerBeetle as u32 seconds. */
export const MAX_DURATION_SECONDS = 2 ** 32 - 1;

export const MS_PER_SECOND = 1000;

/** At most this many requirements (or actuals) in one request. */
export const MAX_REQUIREMENTS = 32;

/** Default limit on items in one batch request. */
export const DEFAULT_BATCH_MAX = 256;

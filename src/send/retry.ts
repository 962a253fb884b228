// Retry policy of the sender (payload contract §Sending): exponential backoff with jitter for 429,
// 5xx, timeouts and network errors, honouring Retry-After; a long backoff for 403 (gateway
// shaping). Pure: the clock, the random source and the sleep are injected, so tests never wait.
import { CancelledError } from '../db/types';

export interface RetryPolicy {
  /** Attempts per request for 429 / 5xx / timeouts / network errors (first try included). */
  maxAttempts: number;
  /** First backoff (ms); doubled on each retry up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** 403: attempts, first backoff and cap (a web application firewall or gateway shaping traffic). */
  forbiddenMaxAttempts: number;
  forbiddenBaseDelayMs: number;
  forbiddenMaxDelayMs: number;
  /** Longest Retry-After honoured; a longer one ends the attempts (the run stops, nothing is lost). */
  maxRetryAfterMs: number;
  /** Timeout of every HTTP request (token and data). */
  requestTimeoutMs: number;
  /** At least this long between two data requests (pacing, as the community PowerShell sender). */
  minIntervalMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 2_000,
  maxDelayMs: 60_000,
  forbiddenMaxAttempts: 3,
  forbiddenBaseDelayMs: 30_000,
  forbiddenMaxDelayMs: 120_000,
  maxRetryAfterMs: 300_000,
  requestTimeoutMs: 30_000,
  minIntervalMs: 250,
};

/** Clock, randomness and sleep, injectable for tests. */
export interface Timing {
  now(): number;
  random(): number;
  /** Wait ms; rejects with CancelledError when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError('send cancelled'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError('send cancelled'));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const REAL_TIMING: Timing = { now: () => Date.now(), random: () => Math.random(), sleep: realSleep };

/** What a failed attempt was, for the retry decision. */
export type FailureKind = 'throttled' | 'server' | 'timeout' | 'network' | 'forbidden';

/**
 * Backoff before retry number `retry` (1 = the first retry): exponential, capped, with "equal
 * jitter" (half fixed, half random) so many clients do not retry in step.
 */
export function backoffMs(retry: number, kind: FailureKind, policy: RetryPolicy, random: () => number): number {
  const forbidden = kind === 'forbidden';
  const base = forbidden ? policy.forbiddenBaseDelayMs : policy.baseDelayMs;
  const cap = forbidden ? policy.forbiddenMaxDelayMs : policy.maxDelayMs;
  const exp = Math.min(cap, base * 2 ** Math.max(0, retry - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP date (relative to now). null when absent or
 * unreadable; 0 for a date in the past.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined) return null;
  const v = value.trim();
  if (v === '') return null;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (/^\d+\.\d+$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return null;
  return Math.max(0, t - now);
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/**
 * After attempt number `attempt` (1-based) failed with `kind`: wait and retry, or stop.
 * Retry-After, when given, is honoured (plus a little jitter) instead of the computed backoff.
 */
export function decideRetry(attempt: number, kind: FailureKind, retryAfterMs: number | null, policy: RetryPolicy, random: () => number): RetryDecision {
  const max = kind === 'forbidden' ? policy.forbiddenMaxAttempts : policy.maxAttempts;
  if (attempt >= max) return { retry: false, reason: `gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}` };
  if (retryAfterMs !== null) {
    if (retryAfterMs > policy.maxRetryAfterMs) {
      return { retry: false, reason: `the API asked to wait ${Math.ceil(retryAfterMs / 1000)} s (Retry-After), longer than the ${Math.round(policy.maxRetryAfterMs / 1000)} s this run waits` };
    }
    return { retry: true, delayMs: retryAfterMs + Math.round(random() * Math.min(1000, policy.baseDelayMs / 2)) };
  }
  return { retry: true, delayMs: backoffMs(attempt, kind, policy, random) };
}

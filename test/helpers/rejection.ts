/** The error a promise rejects with, for tests that go on to look at its fields. */
import { expect } from 'vitest';

/** Awaits `promise`, expects it to reject with an instance of `type`, and returns that error (a resolve fails the test). */
export async function rejectionOf<T>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  return err as T;
}

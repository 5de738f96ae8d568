// Money is whole NT$ in the domain. Stripe wants TWD in hundredths (NT$228 → 22800); convert only at that edge.

export function toStripeAmount(ntd: number): number {
  if (!Number.isSafeInteger(ntd) || ntd < 0) throw new RangeError(`not a whole NT$ amount: ${ntd}`);
  return ntd * 100;
}

export function fromStripeAmount(minor: number): number {
  if (!Number.isSafeInteger(minor) || minor % 100 !== 0) throw new RangeError(`TWD amount ${minor} is not whole dollars`);
  return minor / 100;
}

import { ValidateBy, type ValidationArguments } from 'class-validator';

/**
 * The largest amount (minor units) one purchase, refund or item line may
 * carry: 10^12, i.e. 10 billion in a currency of two decimals. Bounded so
 * that sums stay exact integers: 9,007 amounts at the maximum still add up
 * below 2^53, and real totals are far below that.
 */
export const MAX_AMOUNT = 1_000_000_000_000;

/** The largest quantity of one purchase item. */
export const MAX_QUANTITY = 1_000_000;

/** `unitAmount × quantity` of an item line stays within MAX_AMOUNT. */
export function IsLineWithinMaxAmount(): PropertyDecorator {
  return ValidateBy({
    name: 'lineWithinMaxAmount',
    validator: {
      validate(unitAmount: unknown, args?: ValidationArguments): boolean {
        const quantity = (args?.object as { quantity?: unknown } | undefined)?.quantity;
        if (typeof unitAmount !== 'number' || typeof quantity !== 'number') return true; // other checks report it
        return unitAmount * quantity <= MAX_AMOUNT;
      },
      defaultMessage: () => `unitAmount × quantity must not exceed ${MAX_AMOUNT} minor units`,
    },
  });
}

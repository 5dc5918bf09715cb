/**
 * Loyalty card numbers: 11 random characters from an alphabet without look-alikes (no 0/O, 1/I/L)
 * and a check character, shown in groups of four (`K7QM 4XRT 9CHD`). The check is a weighted sum
 * modulo 31 (the alphabet's size, a prime) with weights 1…12: every single mistyped character and
 * every swap of two characters changes the sum, so all of them are caught.
 */
import { randomCode } from '../../platform/ids.ts';

export const CARD_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const N = CARD_ALPHABET.length; // 31, prime

const weightedSum = (chars: string): number => {
  let sum = 0;
  for (let i = 0; i < chars.length; i++) sum += (i + 1) * CARD_ALPHABET.indexOf(chars[i] as string);
  return sum % N;
};

/** The check character of an 11-character payload: makes the weighted sum of all 12 zero mod 31. */
export const checkCharacter = (payload: string): string => {
  // 12 × 13 = 156 ≡ 1 (mod 31): 13 is the inverse of the check position's weight.
  const code = (((N - weightedSum(payload)) % N) * 13) % N;
  return CARD_ALPHABET[code] as string;
};

/** A new card number (12 characters, normalised: no spaces, capitals). */
export const newCardNumber = (): string => {
  const payload = randomCode(11, CARD_ALPHABET);
  return payload + checkCharacter(payload);
};

/** True for a well-formed card number (after normalisation) whose check character is right. */
export const isValidCardNumber = (normalised: string): boolean =>
  new RegExp(`^[${CARD_ALPHABET}]{12}$`).test(normalised) && weightedSum(normalised) === 0;

/** `K7QM4XRT9CHD` → `K7QM 4XRT 9CHD`. */
export const formatCardNumber = (n: string): string => n.replace(/(.{4})(?=.)/g, '$1 ');

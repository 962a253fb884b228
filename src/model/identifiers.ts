// Identifier rules, in one place for checks, payload builder and fake data: Unique Pupil Numbers
// (UPN) and their check letter, the shape of a UK postcode, the payload's id characters.
//
// Unique Pupil Numbers (UPN): the DfE's 13-character pupil identifier and its check letter.
//
// A UPN is: check letter (position 1) + LA number (2-4) + DfE establishment number (5-8) +
// two-digit year of allocation (9-10) + serial number (11-13). A temporary UPN has a letter in
// position 13. The check letter is computed from positions 2-13: each character's value
// (a digit's own value; a letter's index in the check-letter alphabet below) is multiplied by its
// position (2…13), the products are summed, and the remainder of the sum divided by 23 picks
// the letter: 0 = A, 1 = B, … (I, O and S are never used).
//
// The check rules and the fake data use this module, so keep it pure and exact.

/** The 23 letters a UPN check letter (and a temporary UPN's last character) can be. */
export const UPN_CHECK_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

const UPN_SHAPE = /^[A-Z]\d{11}[0-9A-Z]$/;

function charValue(c: string): number {
  const d = c.charCodeAt(0) - 48;
  if (d >= 0 && d <= 9) return d;
  const i = UPN_CHECK_LETTERS.indexOf(c);
  if (i < 0) throw new Error(`character ${JSON.stringify(c)} cannot appear in a UPN`);
  return i;
}

/**
 * The check letter for the 12 characters that follow it (positions 2-13): 11 digits and a final
 * digit or, for a temporary UPN, a check-alphabet letter.
 */
export function upnCheckLetter(body: string): string {
  if (!/^\d{11}[0-9A-Z]$/.test(body)) throw new Error('a UPN body is 11 digits followed by a digit or a letter');
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += charValue(body[i]!) * (i + 2);
  return UPN_CHECK_LETTERS[sum % 23]!;
}

/** Build a UPN from its 12-character body (positions 2-13) by prefixing the check letter. */
export function makeUpn(body: string): string {
  return upnCheckLetter(body) + body;
}

export type UpnProblem = 'length' | 'characters' | 'check-letter';

/** Why a value is not a well-formed UPN (null when it is one). Leading/trailing spaces count as wrong. */
export function upnProblem(value: string): UpnProblem | null {
  if (value.length !== 13) return 'length';
  if (!UPN_SHAPE.test(value)) return 'characters';
  const last = value[12]!;
  if (!/\d/.test(last) && !UPN_CHECK_LETTERS.includes(last)) return 'characters';
  if (!UPN_CHECK_LETTERS.includes(value[0]!)) return 'check-letter';
  return upnCheckLetter(value.slice(1)) === value[0] ? null : 'check-letter';
}

export function isValidUpn(value: string): boolean {
  return upnProblem(value) === null;
}

/** True for a temporary UPN (a valid UPN whose 13th character is a letter). */
export function isTemporaryUpn(value: string): boolean {
  return isValidUpn(value) && /[A-Z]/.test(value[12]!);
}

/**
 * A permanent UPN from its parts. laNumber: 3 digits; establishment: 4 digits; year: 2 digits;
 * serial: 3 digits.
 */
export function upnFromParts(laNumber: number, establishment: number, year: number, serial: number): string {
  const part = (n: number, w: number, what: string) => {
    if (!Number.isInteger(n) || n < 0 || n >= 10 ** w) throw new Error(`UPN ${what} must be an integer with at most ${w} digits`);
    return String(n).padStart(w, '0');
  };
  return makeUpn(part(laNumber, 3, 'LA number') + part(establishment, 4, 'establishment number') + part(year, 2, 'year') + part(serial, 3, 'serial number'));
}

// ---------------------------------------------------------------------------------------------
// Postcodes and payload ids

/** UK postcode as the check SSD-ADDR-004 accepts it (upper case, single optional space), e.g. SW1A 1AA, M1 1AE, B33 8TH. */
export const POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/;

/** Payload id pattern (contract: ^[A-Za-z0-9_-]+$). */
export const ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** The stricter UK postcode format (the usual validation pattern: only letters used in each
 *  position, spaces optional). Every fake postcode meets it; a value meeting it meets POSTCODE. */
export const POSTCODE_FORMAT = /^[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}$/;

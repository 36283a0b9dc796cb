import { PGP_EVEN_WORDS, PGP_ODD_WORDS } from './pgp-word-list';

/** A word list that is not a valid PGP word encoding (unknown word, or wrong list for its position). */
export class PgpWordsError extends Error {
  override readonly name = 'PgpWordsError';
}

const EVEN_INDEX = new Map(PGP_EVEN_WORDS.map((w, i) => [w.toLowerCase(), i]));
const ODD_INDEX = new Map(PGP_ODD_WORDS.map((w, i) => [w.toLowerCase(), i]));

/** One word per byte: even offsets from the two-syllable list, odd offsets from the three-syllable list. */
export function bytesToPgpWords(bytes: Uint8Array): string[] {
  return Array.from(bytes, (b, i) => ((i % 2 === 0 ? PGP_EVEN_WORDS : PGP_ODD_WORDS)[b] as string));
}

/** Hex digest (e.g. a journal head) → words to read aloud. */
export function hexToPgpWords(hex: string): string[] {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new PgpWordsError(`not a hex byte string: ${JSON.stringify(hex.slice(0, 80))}`);
  return bytesToPgpWords(Buffer.from(hex, 'hex'));
}

/**
 * Words read back (any case) → lower-case hex. A word from the wrong list for its position means a
 * word was dropped, repeated or swapped: that is an error, not a silent different digest.
 */
export function pgpWordsToHex(words: readonly string[]): string {
  return words
    .map((word, i) => {
      const key = word.toLowerCase();
      const value = (i % 2 === 0 ? EVEN_INDEX : ODD_INDEX).get(key);
      if (value !== undefined) return value.toString(16).padStart(2, '0');
      const other = (i % 2 === 0 ? ODD_INDEX : EVEN_INDEX).has(key);
      throw new PgpWordsError(
        other
          ? `word ${i + 1} "${word}" belongs to the ${i % 2 === 0 ? 'odd (three-syllable)' : 'even (two-syllable)'} list: a word was dropped, repeated or swapped`
          : `word ${i + 1} "${word}" is not in the PGP word list`,
      );
    })
    .join('');
}

import { describe, expect, it } from 'vitest';

import { PGP_EVEN_WORDS, PGP_ODD_WORDS, PgpWordsError, hexToPgpWords, pgpWordsToHex } from '../../../electron/core/journal';

describe('PGP word list', () => {
  it('has 256 distinct words per list and no word in both', () => {
    expect(PGP_EVEN_WORDS).toHaveLength(256);
    expect(PGP_ODD_WORDS).toHaveLength(256);
    expect(new Set([...PGP_EVEN_WORDS, ...PGP_ODD_WORDS].map((w) => w.toLowerCase())).size).toBe(512);
  });

  it('matches the worked example of the Wikipedia article "PGP word list"', () => {
    expect(hexToPgpWords('E58294F2E9A227486E8B061B31CC528FD7FA3F19').join(' ')).toBe(
      'topmost Istanbul Pluto vagabond treadmill Pacific brackish dictator goldfish Medusa afflict bravado chatter revolver Dupont midsummer stopwatch whimsical cowbell bottomless',
    );
  });

  it('matches the worked example of CPAN Encode::Wordlist::PGP', () => {
    expect(hexToPgpWords('41559711308F2A21B9D5072D621958AFCB50B5F9').join(' ')).toBe(
      'cranky equipment preshrunk Babylon chairlift midsummer brickyard Camelot sentence specialist ahead clergyman flagpole bottomless endorse pharmacy spheroid embezzle scorecard Waterloo',
    );
  });

  it('round-trips a journal head and is case-insensitive when read back', () => {
    const head = 'ff00'.repeat(16);
    const words = hexToPgpWords(head);
    expect(words.slice(0, 2)).toEqual(['Zulu', 'adroitness']);
    expect(pgpWordsToHex(words.map((w) => w.toUpperCase()))).toBe(head);
  });

  it('catches a dropped word by the alternating lists', () => {
    const words = hexToPgpWords('0102030405');
    expect(() => pgpWordsToHex([words[0] ?? '', ...words.slice(2)])).toThrow(/word 2 "acme" belongs to the even \(two-syllable\) list/);
    expect(() => pgpWordsToHex(['aardvark', 'zebra'])).toThrow(PgpWordsError);
    expect(() => hexToPgpWords('abc')).toThrow(PgpWordsError);
  });
});

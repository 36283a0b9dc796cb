import type { ReactElement } from 'react';

/** The journal head as hex and as the PGP word list that officers read aloud and compare. */
export function JournalHead({ head, words, entries }: { head: string; words: string[]; entries: number }): ReactElement {
  return (
    <div className="journal-head" data-testid="journal-head">
      <div className="journal-head-label">
        Journal head <span className="muted">({entries} entries)</span>
      </div>
      <code className="mono journal-hex">{head}</code>
      <p className="journal-words" aria-label="Journal head as words">
        {words.join(' ')}
      </p>
    </div>
  );
}

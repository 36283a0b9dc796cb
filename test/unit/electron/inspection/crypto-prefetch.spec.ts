import { describe, expect, it } from 'vitest';

import { NodeCryptoProvider } from '../../../../electron/core/crypto/node-crypto-provider';
import { PrefetchingCrypto } from '../../../../electron/core/inspection/crypto-prefetch';
import { inspect } from '../../../../shared/inspection/inspect';
import type { InspectionReport } from '../../../../shared/inspection/report';
import type { JsonObject } from '../../../../shared/tuf/model';
import { buildTufRepo, type TestRepo } from '../../../support/repo-builder';

/**
 * PrefetchingCrypto (engine.ts `prepare`): a large targets file's SHA-256 and signature checks run
 * on the thread pool while the file is scanned. The engine must conclude exactly what it concludes
 * without the prefetch — valid, tampered and wrong-key signatures alike — and the prefetched
 * answers must really be used (else the overlap buys nothing).
 */

const AT = new Date();
const comparable = (r: InspectionReport) => ({ ...r, stats: { ...r.stats, durationMs: 0 } });

function many(n: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < n; i++) out[`packages/p${i}/pkg_${i}-1.0-py3-none-any.whl`] = `content ${i}`;
  return out;
}

async function both(repo: TestRepo): Promise<{ plain: InspectionReport; prefetched: InspectionReport; hits: number }> {
  const input = repo.toRepositoryInput();
  const options = { at: AT, warnDays: 30, trusted: null };
  const plain = inspect(input, options, new NodeCryptoProvider());
  // Threshold 0: the small test file takes the large-file path.
  const crypto = new PrefetchingCrypto(new NodeCryptoProvider(), 0);
  const prepared = await crypto.prepare(input);
  expect(prepared.preparsed?.has('targets')).toBe(true);
  const prefetched = inspect(prepared, options, crypto);
  return { plain, prefetched, hits: crypto.hits };
}

describe('PrefetchingCrypto', () => {
  it('answers the hash and signature of a valid targets file from the prefetch, same report', async () => {
    const repo = await buildTufRepo({ format: 'canonical', targets: many(200) });
    const { plain, prefetched, hits } = await both(repo);
    expect(prefetched.health).toBe('healthy');
    expect(comparable(prefetched)).toEqual(comparable(plain));
    // The file's SHA-256 and its one signature.
    expect(hits).toBeGreaterThanOrEqual(2);
  });

  it('gives the same findings for a tampered file and for a signature by another key', async () => {
    const tampered = await buildTufRepo({ format: 'canonical', targets: many(50) });
    tampered.tamperSigned('targets', (s) => {
      (s['targets'] as JsonObject)['zz/added.whl'] = { hashes: { sha256: 'ab'.repeat(32) }, length: 1 };
    });
    const a = await both(tampered);
    expect(a.prefetched.findings.some((f) => f.role === 'targets' && f.severity === 'error')).toBe(true);
    expect(comparable(a.prefetched)).toEqual(comparable(a.plain));

    const otherKey = await buildTufRepo({ format: 'canonical', targets: many(50) });
    // A signature by the snapshot key (a root key, not a targets key) plus the real one.
    otherKey.resign('targets', () => {}, { keys: [...otherKey.keysOf('snapshot'), ...otherKey.keysOf('targets')] });
    const b = await both(otherKey);
    expect(comparable(b.prefetched)).toEqual(comparable(b.plain));
    expect(b.prefetched.findings.some((f) => f.code === 'UNKNOWN_SIGNER' && f.role === 'targets')).toBe(true);
  });

  it('leaves small files and Notary repositories alone', async () => {
    const repo = await buildTufRepo({ format: 'canonical', targets: many(5) });
    const input = repo.toRepositoryInput();
    const crypto = new PrefetchingCrypto(new NodeCryptoProvider());
    expect(await crypto.prepare(input)).toBe(input);
  });
});

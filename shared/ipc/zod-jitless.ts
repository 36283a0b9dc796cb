import { z } from 'zod';

/*
 * Import this FIRST in every sandboxed entry (preload, renderer, e2e bridge). zod otherwise
 * probes `new Function` and may compile parsers with it; the app's CSP forbids eval, so a
 * schema built before this call could fail on its first parse and always reports a CSP
 * violation. Setting it before any schema exists keeps zod on its eval-free path.
 */
z.config({ jitless: true });

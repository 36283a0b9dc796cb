import { z } from 'zod';

/*
 * Imported first by main.tsx. zod decides per object schema, at construction, whether to
 * JIT-compile a parser with `new Function`; CSP (script-src 'self', no eval) forbids that, so
 * the eval-free parser must be chosen before any module builds a schema.
 */
z.config({ jitless: true });

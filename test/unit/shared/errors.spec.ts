import { describe, expect, it } from 'vitest';

import {
  deserializeError,
  KeyriteError,
  MetadataFormatError,
  MetadataParseError,
  PinIncorrectError,
  serializeError,
} from '../../../shared/errors';

describe('shared/errors', () => {
  it('round-trips named errors by name, with detail', () => {
    const e = new MetadataParseError('duplicate key "a" at byte 5 (path /signed)', { offset: 5, path: '/signed' });
    const data = JSON.parse(JSON.stringify(serializeError(e))) as ReturnType<typeof serializeError>;
    expect(data).toEqual({ name: 'MetadataParseError', message: e.message, detail: { offset: 5, path: '/signed' } });
    const back = deserializeError(data);
    expect(back).toBeInstanceOf(MetadataParseError);
    expect((back as MetadataParseError).offset).toBe(5);
    expect((back as MetadataParseError).path).toBe('/signed');
    expect(deserializeError(serializeError(new PinIncorrectError('wrong PIN')))).toBeInstanceOf(PinIncorrectError);
  });

  it('keeps unknown names and plain errors', () => {
    const back = deserializeError({ name: 'SomethingNew', message: 'x' });
    expect(back).toBeInstanceOf(KeyriteError);
    expect(back.name).toBe('SomethingNew');
    expect(serializeError(new TypeError('t'))).toEqual({ name: 'TypeError', message: 't' });
    expect(serializeError('s')).toEqual({ name: 'Error', message: 's' });
    expect(new MetadataFormatError('m', { path: '/a' }).path).toBe('/a');
  });
});

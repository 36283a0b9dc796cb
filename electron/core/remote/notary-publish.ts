import { canonicalString } from '../../../shared/tuf/canonical-json';
import type { JsonObject } from '../../../shared/tuf/model';
import { isValidNotaryDelegationName } from '../../../shared/tuf/parse-keys-roles';
import type { HttpPoster } from '../net/http-post';
import {
  NotaryBadRequestError,
  NotaryEndpointNotFoundError,
  NotaryLayoutError,
  NotaryOldVersionError,
  NotaryRedirectError,
  NotaryServerFailureError,
  NotaryUnauthorizedError,
  NotaryUpdateRejectedError,
  PublishInputError,
  type NotaryValidationDetail,
} from './errors';
import { encodeMultipart } from './multipart';
import { notaryTufBase, type NotaryTarget } from './notary-pull';

export interface PublishDeps {
  /** A PolicyHttpPoster: air-gapped mode refuses before anything leaves the machine. */
  poster: HttpPoster;
  signal?: AbortSignal;
}

export interface NotaryPublishResult {
  /** Roles posted, in the order sent. */
  posted: string[];
  /** Roles given but not sent (timestamp: the server always signs its own). */
  skipped: string[];
}

const ORDER: Record<string, number> = { root: 0, targets: 1, snapshot: 3 };

/**
 * Publishes signed metadata to a Notary server in one atomic multipart POST to
 * `/v2/<gun>/_trust/tuf/`, one `files` part per role named by the role (notary's
 * `HTTPStore.SetMulti`). The server validates the whole update and stores all of it or nothing.
 */
export async function publishNotary(signedFiles: Record<string, Uint8Array>, target: NotaryTarget, deps: PublishDeps): Promise<NotaryPublishResult> {
  const skipped: string[] = [];
  const roles: string[] = [];
  for (const role of Object.keys(signedFiles)) {
    if (role === 'timestamp') skipped.push(role);
    else if (role === 'root' || role === 'targets' || role === 'snapshot' || isValidNotaryDelegationName(role)) roles.push(role);
    else throw new PublishInputError(`"${role}" is not a Notary role name (root, targets, snapshot or targets/<name>); nothing was published`);
  }
  if (roles.length === 0) throw new PublishInputError('nothing to publish: the bundle holds no root, targets, snapshot or delegation metadata');
  roles.sort((a, b) => (ORDER[a] ?? 2) - (ORDER[b] ?? 2) || (a < b ? -1 : a > b ? 1 : 0));
  const parts = roles.map((role) => {
    const bytes = signedFiles[role] as Uint8Array;
    // Refused, not rewritten: a snapshot in the same upload hashes these exact bytes.
    if (Buffer.compare(notarySerialization(role, bytes), bytes) !== 0) throw new NotaryLayoutError(role);
    return { field: 'files', filename: role, bytes };
  });

  const url = notaryTufBase(target);
  const { body, contentType } = encodeMultipart(parts);
  const response = await deps.poster.post(url, body, { contentType, ...(deps.signal ? { signal: deps.signal } : {}) });
  if (response.status >= 200 && response.status < 300) return { posted: roles, skipped };
  throw mapPublishError(url, target.gun, response.status, response.body);
}

/**
 * The exact bytes notary's Go code writes for a role: `{"signed":<canonical>,"signatures":[{"keyid",
 * "method","sig"}]}`. The server hashes its own re-serialization of snapshot (for the timestamp) and
 * of targets (for a server-made snapshot), so any other byte layout is stored under a hash no
 * client can match. publishNotary refuses files in any other layout.
 */
export function notarySerialization(role: string, bytes: Uint8Array): Uint8Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new PublishInputError(`${role} is not JSON; nothing was published`, { cause: error });
  }
  const envelope = parsed as { signed?: unknown; signatures?: unknown } | null;
  const signed = envelope?.signed;
  const signatures = envelope?.signatures;
  if (typeof signed !== 'object' || signed === null || Array.isArray(signed) || !Array.isArray(signatures)) {
    throw new PublishInputError(`${role} is not signed metadata ({"signed":…,"signatures":[…]}); nothing was published`);
  }
  const sigs = signatures.map((entry: unknown) => {
    const sig = entry as { keyid?: unknown; method?: unknown; sig?: unknown };
    if (typeof sig.keyid !== 'string' || typeof sig.method !== 'string' || typeof sig.sig !== 'string') {
      throw new PublishInputError(`${role} has a signature without keyid, method or sig; nothing was published`);
    }
    return `{"keyid":${JSON.stringify(sig.keyid)},"method":${JSON.stringify(sig.method)},"sig":${JSON.stringify(sig.sig)}}`;
  });
  return Buffer.from(goHtmlEscape(`{"signed":${canonicalString(signed as JsonObject)},"signatures":[${sigs.join(',')}]}`), 'utf8');
}

/** Go's json.Marshal escapes these inside strings (RawMessage included); they occur nowhere else in JSON text. */
function goHtmlEscape(text: string): string {
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

interface NotaryErrorBody {
  code: string | null;
  message: string;
  detail: unknown;
}

/** Maps notary-server's `{"errors":[{code,message,detail}]}` answers to named errors (server/errors/errors.go). */
export function mapPublishError(url: string, gun: string, status: number, body: Uint8Array): Error {
  const first = parseErrorBody(body);
  if (status === 401 || status === 403) return new NotaryUnauthorizedError(url, status);
  if (status >= 300 && status < 400) return new NotaryRedirectError(url, status);
  if (status === 404) return new NotaryEndpointNotFoundError(url);
  if (status === 400) {
    if (first?.code === 'INVALID_UPDATE') return new NotaryUpdateRejectedError(gun, validationDetail(first.detail));
    if (first?.code === 'VERSION') return new NotaryOldVersionError(gun, detailText(first) ?? first.message);
    return new NotaryBadRequestError(first?.code ?? null, first ? (detailText(first) ?? first.message) : plainText(body));
  }
  return new NotaryServerFailureError(url, status, first ? [first.code, first.message].filter(Boolean).join(': ') : plainText(body) || null);
}

function parseErrorBody(body: Uint8Array): NotaryErrorBody | null {
  try {
    const parsed = JSON.parse(Buffer.from(body).toString('utf8')) as { errors?: Array<{ code?: unknown; message?: unknown; detail?: unknown }> };
    const first = parsed.errors?.[0];
    if (!first) return null;
    return {
      code: typeof first.code === 'string' ? first.code : null,
      message: typeof first.message === 'string' ? first.message : '',
      detail: first.detail,
    };
  } catch {
    // Not notary's JSON error shape (a proxy page, say): the caller falls back to the plain text.
    return null;
  }
}

/** `detail` of INVALID_UPDATE is a validation.SerializableError: `{"Name":"ErrBadRoot","Error":{"Msg":"…"}}`. */
function validationDetail(detail: unknown): NotaryValidationDetail | null {
  const d = detail as { Name?: unknown; Error?: { Msg?: unknown; Missing?: unknown } } | null | undefined;
  if (!d || typeof d.Name !== 'string') return null;
  const msg = typeof d.Error?.Msg === 'string' ? d.Error.Msg : '';
  return { name: d.Name, message: msg || d.Name };
}

function detailText(error: NotaryErrorBody): string | null {
  if (typeof error.detail === 'string') return error.detail;
  if (error.detail && typeof error.detail === 'object') {
    const msg = (error.detail as { msg?: unknown; Msg?: unknown }).msg ?? (error.detail as { Msg?: unknown }).Msg;
    if (typeof msg === 'string') return msg;
  }
  return null;
}

function plainText(body: Uint8Array): string {
  return Buffer.from(body).toString('utf8').trim().slice(0, 200);
}

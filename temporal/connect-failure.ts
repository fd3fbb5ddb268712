// A failed Temporal connection, said in terms of our settings. The SDK reports TLS failures as
// rustls/tonic internals ("InvalidCertificate(UnknownIssuer)"); an operator needs to know which
// TEMPORAL_TLS_* setting to look at. The error stays a TransportError (the API maps that name to
// 503 "temporal"), and the server's text is kept with the API key taken out.
import { TransportError } from '@temporalio/worker';
import type { TemporalSecurity } from './connection-security';

const HINTS: Array<[RegExp, string]> = [
  [
    /UnknownIssuer|UnknownCA|unknown ca/i,
    "the server's certificate is not signed by a trusted CA: set TEMPORAL_TLS_CA to the CA that signed it",
  ],
  [
    /NotValidForName|CertNotValidForName/i,
    "the server's certificate does not carry the host name of TEMPORAL_ADDRESS: set TEMPORAL_TLS_SERVER_NAME to a name it carries",
  ],
  [
    /CertificateRequired|BadCertificate|bad certificate|certificate required/i,
    'the server refused our client certificate or wants one: set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY to a pair its CA signed',
  ],
  [
    /valid authentication credentials|Unauthenticated|PermissionDenied/i,
    'the server refused our credentials (TEMPORAL_API_KEY or the client certificate)',
  ],
  [
    /InvalidContentType|wrong version number|broken pipe|connection reset/i,
    'the server may not speak what we expect: TLS settings against a plaintext server, or none against a TLS one',
  ],
];

export function explainConnectFailure(err: unknown, address: string, security: TemporalSecurity): unknown {
  if (!(err instanceof Error)) return err;
  const original = security.redact(err.message);
  const hint = HINTS.find(([pattern]) => pattern.test(original))?.[1];
  const tls = security.tlsEnabled ? 'TLS' : 'plaintext';
  // No `cause`: a logger would print the original message, API key and all.
  return new TransportError(`Cannot connect to Temporal at ${address} (${tls})${hint ? `: ${hint}` : ''}. ${original}`);
}

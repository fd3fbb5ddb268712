// Reads TEMPORAL_TLS_CERT / _KEY / _CA / _SERVER_NAME and TEMPORAL_API_KEY once, at start-up,
// and checks what a TLS handshake would otherwise only reveal later and vaguely: the files exist,
// hold PEM, the key belongs to the certificate. Errors name the setting and the file path, never
// a key's content or the API key.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TemporalSecurity } from './connection-security';

export interface TemporalSecuritySettings {
  TEMPORAL_TLS_CERT?: string | undefined;
  TEMPORAL_TLS_KEY?: string | undefined;
  TEMPORAL_TLS_CA?: string | undefined;
  TEMPORAL_TLS_SERVER_NAME?: string | undefined;
  TEMPORAL_API_KEY?: string | undefined;
}

interface PemSource {
  setting: string;
  /** How errors refer to it: the file path, or "the inline value". */
  origin: string;
  pem: Buffer;
}

export function readTemporalSecurity(settings: TemporalSecuritySettings): TemporalSecurity {
  const { TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key, TEMPORAL_TLS_CA: ca } = settings;
  if (Boolean(cert) !== Boolean(key)) {
    throw new Error(
      'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together (the client certificate for mTLS and its private key)',
    );
  }
  return new TemporalSecurity({
    ...(ca ? { serverRootCa: readCertificate(readPem('TEMPORAL_TLS_CA', ca)).pem } : {}),
    ...(cert && key
      ? { clientCert: readClientPair(readPem('TEMPORAL_TLS_CERT', cert), readPem('TEMPORAL_TLS_KEY', key)) }
      : {}),
    ...(settings.TEMPORAL_TLS_SERVER_NAME ? { serverName: settings.TEMPORAL_TLS_SERVER_NAME } : {}),
    ...(settings.TEMPORAL_API_KEY ? { apiKey: settings.TEMPORAL_API_KEY } : {}),
  });
}

/**
 * A value starting with "-----BEGIN" is PEM itself (secret stores and container platforms often
 * hand out contents rather than files; `\n` escapes are accepted for one-line env files);
 * anything else is a file path.
 */
function readPem(setting: string, value: string): PemSource {
  if (value.startsWith('-----BEGIN')) {
    return { setting, origin: 'the inline value', pem: Buffer.from(value.replace(/\\n/g, '\n')) };
  }
  try {
    return { setting, origin: value, pem: readFileSync(value) };
  } catch (err) {
    throw new Error(`${setting}: cannot read ${value} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function readCertificate(source: PemSource): { pem: Buffer; certificate: X509Certificate } {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(source.pem);
  } catch {
    throw new Error(`${source.setting}: ${source.origin} is not a PEM certificate`);
  }
  if (Date.parse(certificate.validTo) < Date.now()) {
    throw new Error(`${source.setting}: the certificate in ${source.origin} expired on ${certificate.validTo}`);
  }
  return { pem: source.pem, certificate };
}

function readPrivateKey(source: PemSource): KeyObject {
  try {
    return createPrivateKey(source.pem);
  } catch {
    // The parser's message could quote the input: say only where it came from.
    throw new Error(`${source.setting}: ${source.origin} is not an unencrypted PEM private key`);
  }
}

function readClientPair(certSource: PemSource, keySource: PemSource): { crt: Buffer; key: Buffer } {
  const { certificate } = readCertificate(certSource);
  if (!certificate.checkPrivateKey(readPrivateKey(keySource))) {
    throw new Error('TEMPORAL_TLS_KEY is not the private key of the certificate in TEMPORAL_TLS_CERT');
  }
  return { crt: certSource.pem, key: keySource.pem };
}

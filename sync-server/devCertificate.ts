/**
 * `npm run admin -- dev-certificate <host>`: a certificate authority of this machine's own and a certificate
 * for one host name signed by it, so a council can try Fieldnotes over HTTPS on tablets before IT issues a
 * real certificate. Trusting the authority on a tablet (README: iPad, Android) makes every certificate it
 * signs valid there; the authority is kept and reused, so a second host name needs no second trust step.
 *
 * node-forge builds and signs the certificates (pure JavaScript, so it works on Windows and macOS without an
 * openssl binary); the RSA keys come from Node's own crypto, which is much faster than forge's.
 */
import { generateKeyPairSync, randomBytes, X509Certificate, createHash } from 'node:crypto';
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import forge from 'node-forge';

export interface DevCertificate {
  caCertFile: string;
  caKeyFile: string;
  certFile: string;
  keyFile: string;
  /** Whether the authority was made now (false: an existing one in the directory signed the certificate). */
  newAuthority: boolean;
}

const DAY = 24 * 60 * 60 * 1000;
/** Apple accepts at most 825 days for a certificate under an authority a person installed; 397 is safe everywhere. */
const LEAF_DAYS = 397;
const CA_YEARS = 10;

function newKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), pem };
}

/** A positive serial number of 16 random bytes (a leading 0 keeps it positive in DER). */
const serial = () => `00${randomBytes(16).toString('hex')}`;

/** A host name or IP address a certificate may name. */
export function validHostName(host: string): boolean {
  return isIP(host) !== 0 || /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(host);
}

function makeAuthority(now: Date, name: string) {
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now.getTime() - DAY);
  cert.validity.notAfter = new Date(now.getTime() + CA_YEARS * 365 * DAY);
  const subject = [{ name: 'commonName', value: name }, { name: 'organizationName', value: 'Fieldnotes (for trying it out)' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.pem };
}

function makeLeaf(host: string, authority: { certPem: string; keyPem: string }, now: Date) {
  const caCert = forge.pki.certificateFromPem(authority.certPem);
  const caKey = forge.pki.privateKeyFromPem(authority.keyPem);
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now.getTime() - DAY);
  cert.validity.notAfter = new Date(now.getTime() + LEAF_DAYS * DAY);
  cert.setSubject([{ name: 'commonName', value: host }]);
  cert.setIssuer(caCert.subject.attributes);
  // Browsers read only the subject alternative names (type 2: DNS name, type 7: IP address).
  const altNames = [isIP(host) ? { type: 7, ip: host } : { type: 2, value: host }];
  if (host !== 'localhost') altNames.push({ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' });
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  // The chain the server sends: its certificate, then the authority's.
  return { certPem: forge.pki.certificateToPem(cert) + authority.certPem, keyPem: keys.pem };
}

/**
 * Writes `fieldnotes-dev-ca.crt` / `.key` (made once, then reused) and `<host>.crt` / `<host>.key` into `dir`,
 * keys readable by this account only.
 */
export function makeDevCertificate(host: string, dir: string, now = new Date()): DevCertificate {
  if (!validHostName(host)) throw new Error(`"${host}" is not a host name or IP address.`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caCertFile = path.join(dir, 'fieldnotes-dev-ca.crt');
  const caKeyFile = path.join(dir, 'fieldnotes-dev-ca.key');
  const newAuthority = !(fs.existsSync(caCertFile) && fs.existsSync(caKeyFile));
  const authority = newAuthority
    ? makeAuthority(now, `Fieldnotes development CA (${new Date(now).toISOString().slice(0, 10)})`)
    : { certPem: fs.readFileSync(caCertFile, 'utf8'), keyPem: fs.readFileSync(caKeyFile, 'utf8') };
  if (newAuthority) {
    fs.writeFileSync(caKeyFile, authority.keyPem, { mode: 0o600 });
    fs.writeFileSync(caCertFile, authority.certPem);
  }
  const leaf = makeLeaf(host, authority, now);
  const certFile = path.join(dir, `${host}.crt`);
  const keyFile = path.join(dir, `${host}.key`);
  fs.writeFileSync(keyFile, leaf.keyPem, { mode: 0o600 });
  fs.writeFileSync(certFile, leaf.certPem);
  return { caCertFile, caKeyFile, certFile, keyFile, newAuthority };
}

/** Base64 SHA-256 of a certificate's public key (SPKI): what Chromium's --ignore-certificate-errors-spki-list takes. */
export function spkiSha256(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge, { type pki } from 'node-forge';

const YEAR = 365 * 86_400_000;

export const defaultCertDir = () => join(tmpdir(), 'svodka-sandbox-ca');

// Keys come from node's crypto (fast, native); node-forge only builds and signs the X.509 structures.
function rsaPair() {
  return generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
}

function serial(): string {
  const b = randomBytes(16);
  b[0] = (b[0] as number) & 0x7f; // positive
  return b.toString('hex');
}

function certificate(publicPem: string, subject: pki.Attr[], issuer: pki.Attr[], years: number, extensions: Record<string, unknown>[]): pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + years * YEAR);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  cert.setExtensions(extensions);
  return cert;
}

const caName: pki.Attr[] = [
  { name: 'commonName', value: 'svodka Bitrix24 sandbox CA' },
  { name: 'organizationName', value: 'svodka' },
];

/** Creates the sandbox CA once per directory (ca.pem, ca-key.pem) and reuses it afterwards. */
export async function ensureSandboxCa(certDir = defaultCertDir()): Promise<{ caPath: string; keyPath: string }> {
  const caPath = join(certDir, 'ca.pem');
  const keyPath = join(certDir, 'ca-key.pem');
  if (existsSync(caPath) && existsSync(keyPath)) return { caPath, keyPath };
  await mkdir(certDir, { recursive: true });
  const keys = rsaPair();
  const cert = certificate(keys.publicKey, caName, caName, 10, [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKey), forge.md.sha256.create());
  // Write under temporary names, then rename: a concurrent starter sees nothing or a whole pair.
  const tag = randomBytes(4).toString('hex');
  await writeFile(`${keyPath}.${tag}`, keys.privateKey, { mode: 0o600 });
  await writeFile(`${caPath}.${tag}`, forge.pki.certificateToPem(cert));
  if (existsSync(caPath) && existsSync(keyPath)) return { caPath, keyPath };
  await rename(`${keyPath}.${tag}`, keyPath);
  await rename(`${caPath}.${tag}`, caPath);
  return { caPath, keyPath };
}

/** A fresh server certificate for IP 127.0.0.1 and DNS localhost, signed by the sandbox CA. */
export async function serverCert(certDir = defaultCertDir()): Promise<{ key: string; cert: string; caPath: string }> {
  const { caPath, keyPath } = await ensureSandboxCa(certDir);
  const ca = forge.pki.certificateFromPem(await readFile(caPath, 'utf8'));
  const caKey = forge.pki.privateKeyFromPem(await readFile(keyPath, 'utf8'));
  const keys = rsaPair();
  const cert = certificate(keys.publicKey, [{ name: 'commonName', value: 'localhost' }], ca.subject.attributes, 1, [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { key: keys.privateKey, cert: forge.pki.certificateToPem(cert), caPath };
}

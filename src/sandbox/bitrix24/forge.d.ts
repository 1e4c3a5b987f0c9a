// The small part of node-forge the sandbox CA uses (the package ships no types; @types/node-forge would replace this).
declare module 'node-forge' {
  export namespace pki {
    type PublicKey = object;
    type PrivateKey = object;
    interface Attr {
      name?: string;
      shortName?: string;
      value: string;
    }
    interface Certificate {
      publicKey: PublicKey;
      serialNumber: string;
      validity: { notBefore: Date; notAfter: Date };
      subject: { attributes: Attr[] };
      setSubject(attrs: Attr[]): void;
      setIssuer(attrs: Attr[]): void;
      setExtensions(exts: Record<string, unknown>[]): void;
      sign(key: PrivateKey, md: unknown): void;
    }
    function createCertificate(): Certificate;
    function certificateToPem(cert: Certificate): string;
    function certificateFromPem(pem: string): Certificate;
    function privateKeyFromPem(pem: string): PrivateKey;
    function publicKeyFromPem(pem: string): PublicKey;
  }
  export namespace md {
    namespace sha256 {
      function create(): unknown;
    }
  }
  const forge: { pki: typeof pki; md: typeof md };
  export default forge;
}

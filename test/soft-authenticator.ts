/**
 * A software WebAuthn authenticator for API tests: it answers the options the server hands out the
 * way a browser and a platform authenticator would (clientDataJSON, authenticator data, "none"
 * attestation, signatures), with ES256, EdDSA or RS256 keys. Knobs for what tests need to show:
 * user verification on/off, a signature counter that counts (or stays 0), and direct access to a
 * credential to wind its counter back (a cloned key).
 */
import { createHash, createSign, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { encodeCBOR, type CBORType } from '@levischuck/tiny-cbor';

export type Algorithm = 'ES256' | 'EdDSA' | 'RS256';
const COSE_ALG: Record<Algorithm, number> = { ES256: -7, EdDSA: -8, RS256: -257 };

export interface SoftCredential {
  id: Buffer;
  rpId: string;
  userHandle: string;
  algorithm: Algorithm;
  privateKey: KeyObject;
  publicKey: KeyObject;
  counter: number;
}

export interface SoftAuthenticatorOptions {
  /** Performs user verification (sets the UV flag). Default true. */
  userVerification?: boolean;
  /** How much the signature counter grows per use; 0 = a provider that does not count (synced passkeys). Default 1. */
  counterStep?: number;
  algorithm?: Algorithm;
  aaguid?: string;
  /** Reports the credential as discoverable (credProps.rk). Default true. */
  residentKey?: boolean;
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

function coseKey(algorithm: Algorithm, publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  const bytes = (v: string | undefined) => new Uint8Array(Buffer.from(v ?? '', 'base64url'));
  const entries: [number, number | Uint8Array][] =
    algorithm === 'ES256'
      ? [[1, 2], [3, -7], [-1, 1], [-2, bytes(jwk.x)], [-3, bytes(jwk.y)]]
      : algorithm === 'EdDSA'
        ? [[1, 1], [3, -8], [-1, 6], [-2, bytes(jwk.x)]]
        : [[1, 3], [3, -257], [-1, bytes(jwk.n)], [-2, bytes(jwk.e)]];
  return encodeCBOR(new Map(entries));
}

function keyPair(algorithm: Algorithm): { privateKey: KeyObject; publicKey: KeyObject } {
  if (algorithm === 'ES256') return generateKeyPairSync('ec', { namedCurve: 'P-256' });
  if (algorithm === 'EdDSA') return generateKeyPairSync('ed25519');
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

function signWith(credential: SoftCredential, data: Buffer): Buffer {
  if (credential.algorithm === 'EdDSA') return sign(null, data, credential.privateKey);
  return createSign('SHA256').update(data).sign(credential.algorithm === 'ES256' ? { key: credential.privateKey, dsaEncoding: 'der' } : credential.privateKey);
}

interface CreationOptions {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string };
  pubKeyCredParams: { alg: number }[];
}
interface RequestOptions {
  challenge: string;
  rpId?: string;
  allowCredentials?: { id: string }[];
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];
  /** The authenticator's behaviour; tests may change it between ceremonies. */
  readonly options: Required<SoftAuthenticatorOptions>;

  constructor(options: SoftAuthenticatorOptions = {}) {
    this.options = {
      userVerification: options.userVerification ?? true,
      counterStep: options.counterStep ?? 1,
      algorithm: options.algorithm ?? 'ES256',
      aaguid: options.aaguid ?? '00000000-0000-0000-0000-000000000000',
      residentKey: options.residentKey ?? true,
    };
  }

  private flags(extra: number): number {
    return 0x01 | (this.options.userVerification ? 0x04 : 0) | extra; // UP, UV
  }

  private authData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  }

  /** navigator.credentials.create: a new credential for the options, as RegistrationResponseJSON. */
  create(options: CreationOptions, origin: string, overrides: { type?: string; challenge?: string; reuse?: SoftCredential } = {}) {
    const rpId = options.rp.id ?? new URL(origin).hostname;
    const algorithm = overrides.reuse?.algorithm ?? this.options.algorithm;
    if (!options.pubKeyCredParams.some((p) => p.alg === COSE_ALG[algorithm])) throw new Error(`${algorithm} not offered`);
    let credential = overrides.reuse;
    if (!credential) {
      const { privateKey, publicKey } = keyPair(algorithm);
      credential = { id: randomBytes(32), rpId, userHandle: options.user.id, algorithm, privateKey, publicKey, counter: 0 };
      this.credentials.push(credential);
    }
    const { publicKey } = credential;
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const attested = Buffer.concat([Buffer.from(this.options.aaguid.replace(/-/g, ''), 'hex'), idLength, credential.id, Buffer.from(coseKey(algorithm, publicKey))]);
    const authData = this.authData(rpId, this.flags(0x40), credential.counter, attested);
    const clientData = JSON.stringify({ type: overrides.type ?? 'webauthn.create', challenge: overrides.challenge ?? options.challenge, origin, crossOrigin: false });
    const attestation: Map<string, CBORType> = new Map();
    attestation.set('fmt', 'none');
    attestation.set('attStmt', new Map());
    attestation.set('authData', new Uint8Array(authData));
    const attestationObject = encodeCBOR(attestation);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key' as const,
      response: { clientDataJSON: b64url(clientData), attestationObject: b64url(attestationObject), transports: ['internal'] },
      authenticatorAttachment: 'platform' as const,
      clientExtensionResults: { credProps: { rk: this.options.residentKey } },
    };
  }

  /** navigator.credentials.get: an assertion with an allowed (or, for none listed, any discoverable) credential. */
  get(options: RequestOptions, origin: string, overrides: { credential?: SoftCredential; type?: string; userHandle?: string | null } = {}) {
    const rpId = options.rpId ?? new URL(origin).hostname;
    const allowed = (options.allowCredentials ?? []).map((c) => c.id);
    const credential =
      overrides.credential ?? this.credentials.find((c) => c.rpId === rpId && (allowed.length === 0 || allowed.includes(b64url(c.id))));
    if (!credential) throw new Error('NotAllowedError: no credential for these options');
    credential.counter += this.options.counterStep;
    const authData = this.authData(rpId, this.flags(0), credential.counter);
    const clientData = JSON.stringify({ type: overrides.type ?? 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false });
    const signature = signWith(credential, Buffer.concat([authData, sha256(clientData)]));
    const userHandle = overrides.userHandle === undefined ? credential.userHandle : overrides.userHandle;
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(clientData),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(userHandle === null ? {} : { userHandle }),
      },
      authenticatorAttachment: 'platform' as const,
      clientExtensionResults: {},
    };
  }
}

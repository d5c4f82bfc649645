/**
 * Google's hardware attestation root public keys (developer.android.com, "Verify hardware-backed
 * key pairs with key attestation", section "Root certificates"). Trust anchors are KEYS, not
 * certificates: the RSA root has been re-issued with the same key and serial number
 * (f92009e853b6b045) and different validity dates, and the EC P-384 "Key Attestation CA1" root
 * was added in 2025. Both are the self-signed roots of the public test chains in
 * `../shared/testdata/android-attestation/`.
 */

/** The RSA-4096 root key (subject serialNumber=f92009e853b6b045), SPKI PEM. */
export const GOOGLE_RSA_ROOT_KEY = `-----BEGIN PUBLIC KEY-----
MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEAr7bHgiuxpwHsK7Qui8xU
FmOr75gvMsd/dTEDDJdSSxtf6An7xyqpRR90PL2abxM1dEqlXnf2tqw1Ne4Xwl5j
lRfdnJLmN0pTy/4lj4/7tv0Sk3iiKkypnEUtR6WfMgH0QZfKHM1+di+y9TFRtv6y
//0rb+T+W8a9nsNL/ggjnar86461qO0rOs2cXjp3kOG1FEJ5MVmFmBGtnrKpa73X
pXyTqRxB/M0n1n/W9nGqC4FSYa04T6N5RIZGBN2z2MT5IKGbFlbC8UrW0DxW7AYI
mQQcHtGl/m00QLVWutHQoVJYnFPlXTcHYvASLu+RhhsbDmxMgJJ0mcDpvsC4PjvB
+TxywElgS70vE0XmLD+OJtvsBslHZvPBKCOdT0MS+tgSOIfga+z1Z1g7+DVagf7q
uvmag8jfPioyKvxnK/EgsTUVi2ghzq8wm27ud/mIM7AY2qEORR8Go3TVB4HzWQgp
Zrt3i5MIlCaY504LzSRiigHCzAPlHws+W0rB5N+er5/2pJKnfBSDiCiFAVtCLOZ7
gLiMm0jhO2B6tUXHI/+MRPjy02i59lINMRRev56GKtcd9qO/0kUJWdZTdA2XoS82
ixPvZtXQpUpuL12ab+9EaDK8Z4RHJYYfCT3Q5vNAXaiWQ+8PTWm2QgBR/bkwSWc+
NpUFgNPN9PvQi8WEg5UmAGMCAwEAAQ==
-----END PUBLIC KEY-----
`;

/** The EC P-384 root "Key Attestation CA1" (Google LLC, Android), SPKI PEM. */
export const GOOGLE_EC_CA1_ROOT_KEY = `-----BEGIN PUBLIC KEY-----
MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEI9ojcU7fPlsFCjxy6IRqzgeOoK0b+YsV
9FPQywiyw8EQRTkJ9u3qwfnI4DGoSLlBqClTXJfgfCcZvs60FikNMHnu4fkRzObf
gDkU2KNXezT9/RQ+XvNslxPHrHCowhGr
-----END PUBLIC KEY-----
`;

export const GOOGLE_ROOT_KEYS: readonly string[] = [GOOGLE_RSA_ROOT_KEY, GOOGLE_EC_CA1_ROOT_KEY];

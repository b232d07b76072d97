/* keystore.c - keystore v3 encryption and decryption (see eth/keystore.h).
 * Format: Web3 Secret Storage Definition v3
 * (ethereum.org/developers/docs/data-structures-and-encoding/web3-secret-storage). */
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "base/hex.h"
#include "eth/keccak.h"
#include "eth/keystore.h"

/* Bounds on KDF work a file may ask for. */
#define MAX_SCRYPT_N (1ull << 20)
#define MAX_SCRYPT_MEM (1ull << 30)
#define MAX_PBKDF2_C 10000000

typedef struct kdf_params {
    int scrypt;          /* else pbkdf2 */
    uint64_t n;
    uint64_t r, p, c;
    uint8_t salt[128];
    size_t salt_len;
} kdf_params;

static int derive(const kdf_params *kp, const char *password, uint8_t dk[32], zg_err *e)
{
    int ok;
    if (kp->scrypt) {
        uint64_t mem = 128 * kp->n * kp->r * kp->p + 128 * kp->r * (kp->n + kp->p + 2);
        ok = EVP_PBE_scrypt(password, strlen(password), kp->salt, kp->salt_len, kp->n,
                            kp->r, kp->p, mem + (1u << 20), dk, 32);
    } else {
        ok = PKCS5_PBKDF2_HMAC(password, (int)strlen(password), kp->salt, (int)kp->salt_len,
                               (int)kp->c, EVP_sha256(), 32, dk);
    }
    return ok == 1 ? ZG_OK : zg_err_set(e, ZG_ECRYPTO, "keystore: key derivation failed");
}

/* AES-128-CTR (encryption and decryption are the same operation). */
static int aes_ctr(const uint8_t key[16], const uint8_t iv[16], const uint8_t *in, size_t n,
                   uint8_t *out, zg_err *e)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0, fin = 0;
    int ok = c && EVP_EncryptInit_ex(c, EVP_aes_128_ctr(), NULL, key, iv) == 1 &&
             EVP_EncryptUpdate(c, out, &len, in, (int)n) == 1 &&
             EVP_EncryptFinal_ex(c, out + len, &fin) == 1;
    EVP_CIPHER_CTX_free(c);
    return ok ? ZG_OK : zg_err_set(e, ZG_ECRYPTO, "keystore: AES-128-CTR failed");
}

static void mac_of(const uint8_t dk[32], const uint8_t *ct, size_t n, uint8_t mac[32])
{
    zg_keccak k;
    zg_keccak_init(&k);
    zg_keccak_update(&k, dk + 16, 16);
    zg_keccak_update(&k, ct, n);
    zg_keccak_final(&k, mac);
}

/* A hex field of exactly n bytes (n == 0: any length up to max into buf). */
static int hex_field(const json_t *obj, const char *name, uint8_t *out, size_t n,
                     size_t max, size_t *got, zg_err *e)
{
    const char *s = json_string_value(json_object_get(obj, name));
    if (!s)
        return zg_err_set(e, ZG_EINVAL, "keystore: missing \"%s\"", name);
    size_t digits = strlen(s) - ((s[0] == '0' && s[1] == 'x') ? 2 : 0);
    size_t want = n ? n : digits / 2;
    if (digits != 2 * want || want > (n ? n : max) || want == 0)
        return zg_err_set(e, ZG_EINVAL, "keystore: \"%s\" has a bad length", name);
    if (zg_hex_decode(s, out, want, NULL) != ZG_OK)
        return zg_err_set(e, ZG_EINVAL, "keystore: \"%s\" is not hex", name);
    if (got)
        *got = want;
    return ZG_OK;
}

static int uint_field(const json_t *obj, const char *name, uint64_t max, uint64_t *out,
                      zg_err *e)
{
    const json_t *j = json_object_get(obj, name);
    if (!json_is_integer(j) || json_integer_value(j) < 1)
        return zg_err_set(e, ZG_EINVAL, "keystore: kdfparams.%s must be a positive integer", name);
    if ((uint64_t)json_integer_value(j) > max)
        return zg_err_set(e, ZG_ERANGE, "keystore: kdfparams.%s = %lld is above the limit %llu",
                          name, (long long)json_integer_value(j), (unsigned long long)max);
    *out = (uint64_t)json_integer_value(j);
    return ZG_OK;
}

static int read_kdf(const json_t *crypto, kdf_params *kp, zg_err *e)
{
    const char *kdf = json_string_value(json_object_get(crypto, "kdf"));
    const json_t *p = json_object_get(crypto, "kdfparams");
    if (!kdf || !json_is_object(p))
        return zg_err_set(e, ZG_EINVAL, "keystore: missing kdf or kdfparams");
    memset(kp, 0, sizeof *kp);
    uint64_t dklen;
    int rc = uint_field(p, "dklen", 1024, &dklen, e);
    if (rc == ZG_OK && dklen < 32)
        rc = zg_err_set(e, ZG_EINVAL, "keystore: dklen must be at least 32");
    if (rc == ZG_OK)
        rc = hex_field(p, "salt", kp->salt, 0, sizeof kp->salt, &kp->salt_len, e);
    if (rc != ZG_OK)
        return rc;
    if (strcmp(kdf, "scrypt") == 0) {
        kp->scrypt = 1;
        rc = uint_field(p, "n", MAX_SCRYPT_N, &kp->n, e);
        if (rc == ZG_OK)
            rc = uint_field(p, "r", 1024, &kp->r, e);
        if (rc == ZG_OK)
            rc = uint_field(p, "p", 1024, &kp->p, e);
        if (rc == ZG_OK && (kp->n < 2 || (kp->n & (kp->n - 1))))
            rc = zg_err_set(e, ZG_EINVAL, "keystore: scrypt n must be a power of two");
        /* RFC 7914 wants N < 2^(16r); OpenSSL enforces it. Old geth files
         * with r=1 and n=2^18 break it: say so instead of "KDF failed". */
        if (rc == ZG_OK && kp->r < 4 && kp->n >= (1ull << (16 * kp->r)))
            rc = zg_err_set(e, ZG_EINVAL, "keystore: scrypt n=%llu with r=%llu breaks RFC 7914 "
                            "(n < 2^(16r)) and cannot be derived with OpenSSL; re-encrypt the "
                            "key (e.g. cast wallet import)", (unsigned long long)kp->n,
                            (unsigned long long)kp->r);
        if (rc == ZG_OK && 128 * kp->n * kp->r * kp->p > MAX_SCRYPT_MEM)
            rc = zg_err_set(e, ZG_ERANGE, "keystore: scrypt parameters need more than 1 GiB");
        return rc;
    }
    if (strcmp(kdf, "pbkdf2") == 0) {
        const char *prf = json_string_value(json_object_get(p, "prf"));
        if (!prf || strcmp(prf, "hmac-sha256") != 0)
            return zg_err_set(e, ZG_EINVAL, "keystore: pbkdf2 prf must be hmac-sha256");
        return uint_field(p, "c", MAX_PBKDF2_C, &kp->c, e);
    }
    return zg_err_set(e, ZG_EINVAL, "keystore: unsupported kdf \"%.32s\"", kdf);
}

/* Decrypts an already-parsed keystore object. */
static int decrypt_obj(const json_t *root, const char *password, zg_eth_key *out,
                       zg_address *addr, zg_err *e)
{
    const json_t *ver = json_object_get(root, "version");
    if (!json_is_integer(ver) || json_integer_value(ver) != 3)
        return zg_err_set(e, ZG_EINVAL, "keystore: not a version 3 keystore");
    const json_t *crypto = json_object_get(root, "crypto");
    if (!crypto)
        crypto = json_object_get(root, "Crypto");
    if (!json_is_object(crypto))
        return zg_err_set(e, ZG_EINVAL, "keystore: missing \"crypto\"");
    const char *cipher = json_string_value(json_object_get(crypto, "cipher"));
    if (!cipher || strcmp(cipher, "aes-128-ctr") != 0)
        return zg_err_set(e, ZG_EINVAL, "keystore: unsupported cipher (need aes-128-ctr)");
    kdf_params kp;
    uint8_t iv[16], ct[32], mac[32], dk[32], want[32], secret[32];
    int rc = read_kdf(crypto, &kp, e);
    if (rc == ZG_OK)
        rc = hex_field(json_object_get(crypto, "cipherparams"), "iv", iv, 16, 16, NULL, e);
    if (rc == ZG_OK)
        rc = hex_field(crypto, "ciphertext", ct, 32, 32, NULL, e);
    if (rc == ZG_OK)
        rc = hex_field(crypto, "mac", mac, 32, 32, NULL, e);
    if (rc == ZG_OK)
        rc = derive(&kp, password, dk, e);
    if (rc != ZG_OK)
        return rc;
    mac_of(dk, ct, sizeof ct, want);
    if (CRYPTO_memcmp(want, mac, 32) != 0) {
        OPENSSL_cleanse(dk, sizeof dk);
        return zg_err_set(e, ZG_ECRYPTO, "keystore: wrong password (keystore MAC mismatch)");
    }
    rc = aes_ctr(dk, iv, ct, sizeof ct, secret, e);
    OPENSSL_cleanse(dk, sizeof dk);
    if (rc == ZG_OK)
        rc = zg_eth_key_from_secret(out, secret, e);
    OPENSSL_cleanse(secret, sizeof secret);
    if (rc != ZG_OK)
        return rc;
    zg_address a;
    if (zg_eth_key_address(out, &a) != ZG_OK) {
        zg_eth_key_wipe(out);
        return zg_err_set(e, ZG_ECRYPTO, "keystore: the decrypted key is invalid");
    }
    const char *stored = json_string_value(json_object_get(root, "address"));
    zg_address sa;
    if (stored && (zg_address_parse(stored, &sa, NULL) != ZG_OK || !zg_address_eq(&sa, &a))) {
        zg_eth_key_wipe(out);
        return zg_err_set(e, ZG_ECRYPTO, "keystore: the key does not match the file's address");
    }
    if (addr)
        *addr = a;
    return ZG_OK;
}

int zg_keystore_decrypt(const char *json, const char *password, zg_eth_key *out,
                        zg_address *addr, zg_err *e)
{
    if (!json || !password)
        return zg_err_set(e, ZG_EINVAL, "keystore: missing text or password");
    json_error_t je;
    json_t *root = json_loads(json, 0, &je);
    if (!json_is_object(root)) {
        json_decref(root);
        return zg_err_set(e, ZG_EINVAL, "keystore: not a JSON object (line %d: %s)", je.line,
                          root ? "not an object" : je.text);
    }
    int rc = decrypt_obj(root, password, out, addr, e);
    json_decref(root);
    return rc;
}

/* "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" from 16 random bytes (RFC 4122 v4). */
static void uuid_v4(const uint8_t r[16], char out[37])
{
    uint8_t b[16];
    memcpy(b, r, 16);
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
    static const char hexd[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hexd[b[i] >> 4];
        out[o++] = hexd[b[i] & 15];
    }
    out[o] = '\0';
}

/* Lower-case hex without 0x. */
static void hex_plain(const uint8_t *p, size_t n, char *out)
{
    char tmp[2 * 64 + 3];
    zg_hex_encode(p, n, tmp);
    memcpy(out, tmp + 2, 2 * n + 1);
}

static json_t *build_json(const kdf_params *kp, const uint8_t iv[16], const uint8_t ct[32],
                          const uint8_t mac[32], const zg_address *a, const uint8_t idr[16])
{
    char salt[2 * 128 + 1], ivh[33], cth[65], mach[65], addr[41], id[37];
    hex_plain(kp->salt, kp->salt_len, salt);
    hex_plain(iv, 16, ivh);
    hex_plain(ct, 32, cth);
    hex_plain(mac, 32, mach);
    hex_plain(a->b, 20, addr);
    uuid_v4(idr, id);
    return json_pack("{s:s, s:{s:s, s:{s:s}, s:s, s:s, s:{s:i, s:I, s:I, s:I, s:s}, s:s}, s:s, s:i}",
                     "address", addr,
                     "crypto", "cipher", "aes-128-ctr", "cipherparams", "iv", ivh,
                     "ciphertext", cth, "kdf", "scrypt",
                     "kdfparams", "dklen", 32, "n", (json_int_t)kp->n, "r", (json_int_t)kp->r,
                     "p", (json_int_t)kp->p, "salt", salt,
                     "mac", mach,
                     "id", id, "version", 3);
}

int zg_keystore_encrypt(const zg_eth_key *k, const char *password,
                        const zg_keystore_cost *cost, char **json_out, zg_err *e)
{
    *json_out = NULL;
    zg_keystore_cost c = cost ? *cost : ZG_KEYSTORE_SCRYPT_STANDARD;
    if (!password)
        return zg_err_set(e, ZG_EINVAL, "keystore: missing password");
    if (c.n < 2 || (c.n & (c.n - 1)) || c.n > MAX_SCRYPT_N || !c.r || !c.p ||
        c.r > 1024 || c.p > 1024 || 128 * c.n * c.r * c.p > MAX_SCRYPT_MEM)
        return zg_err_set(e, ZG_EINVAL, "keystore: bad scrypt cost (n a power of two <= 2^20)");
    zg_address a;
    if (zg_eth_key_address(k, &a) != ZG_OK)
        return zg_err_set(e, ZG_ECRYPTO, "keystore: invalid key");
    kdf_params kp = { .scrypt = 1, .n = c.n, .r = c.r, .p = c.p, .salt_len = 32 };
    uint8_t iv[16], idr[16], dk[32], ct[32], mac[32];
    if (RAND_bytes(kp.salt, 32) != 1 || RAND_bytes(iv, 16) != 1 || RAND_bytes(idr, 16) != 1)
        return zg_err_set(e, ZG_ECRYPTO, "keystore: no randomness from OpenSSL");
    int rc = derive(&kp, password, dk, e);
    if (rc == ZG_OK)
        rc = aes_ctr(dk, iv, k->secret, 32, ct, e);
    if (rc == ZG_OK)
        mac_of(dk, ct, 32, mac);
    OPENSSL_cleanse(dk, sizeof dk);
    if (rc != ZG_OK)
        return rc;
    json_t *j = build_json(&kp, iv, ct, mac, &a, idr);
    *json_out = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(j);
    return *json_out ? ZG_OK : zg_err_set(e, ZG_ENOMEM, "out of memory");
}

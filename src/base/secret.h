/*
 * secret.h — keys, encryption of personal data, tokens and passwords (libsodium).
 *
 * One 32-byte master key (hex in $PEIXUN_SECRET_KEY or in a key file, mode 0600) yields
 * three subkeys through crypto_kdf: one encrypts personal data (XSalsa20-Poly1305
 * secretbox, a fresh random nonce per value), one makes blind indexes (keyed BLAKE2b) so
 * that duplicates and exact matches can be found without decrypting, and one signs tokens
 * (HMAC-SHA-512-256). Passwords are hashed with argon2id.
 *
 * Encrypted values are text: "v1:" + base64(nonce ‖ ciphertext), so they fit a TEXT column
 * on both databases.
 */
#ifndef PX_SECRET_H
#define PX_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

#define SECRET_KEY_BYTES 32

struct secret_keys {
	unsigned char enc[SECRET_KEY_BYTES];
	unsigned char index[SECRET_KEY_BYTES];
	unsigned char sign[SECRET_KEY_BYTES];
	bool loaded;
};

/* Initialize libsodium; call once at start-up. Returns PX_ERR_INTERNAL if it cannot. */
px_err secret_init(void);

/* Derive the subkeys from a master key given as 64 hex characters (spaces trimmed). */
px_err secret_keys_from_hex(struct secret_keys *k, const char *hex);
/* Read a key file (64 hex characters); refuses a file readable by group or others. */
px_err secret_keys_from_file(struct secret_keys *k, const char *path, struct buf *why);
/* Create a new random key file with mode 0600; fails if the file exists. */
px_err secret_key_file_create(const char *path, struct buf *why);
/* A fixed check value, stored in the database, that tells whether the right key is used. */
void secret_key_check_value(const struct secret_keys *k, char out[65]);

/* Encrypt n bytes of plaintext, appending "v1:…" to out. */
px_err secret_encrypt(const struct secret_keys *k, const char *plain, size_t n, struct buf *out);
/* The same into a fixed buffer of `size` bytes (NUL-terminated); PX_ERR_TOO_LARGE when it
 * does not fit. */
px_err secret_encrypt_to(const struct secret_keys *k, const char *plain, size_t n, char *out,
			 size_t size);
/* Decrypt a "v1:…" value, appending the plaintext to out. PX_ERR_NO_KEY if it fails to open
 * (wrong key or tampered). */
px_err secret_decrypt(const struct secret_keys *k, const char *value, struct buf *out);
/* Blind index: keyed BLAKE2b-128 of the text, as 32 hex characters plus NUL. */
void secret_blind_index(const struct secret_keys *k, const char *text, size_t n, char out[33]);

/* A random token of 32 bytes as 43 base64url characters plus NUL. */
void secret_random_token(char out[44]);
/* Unkeyed BLAKE2b-256 of a token as 64 hex characters (what the sessions table stores). */
void secret_token_hash(const char *token, char out[65]);
/* Constant-time comparison of two NUL-terminated strings. */
bool secret_equal(const char *a, const char *b);
/* HMAC-SHA-512-256 of data with the signing subkey, base64url (43 chars + NUL). */
void secret_sign(const struct secret_keys *k, const void *data, size_t n, char out[44]);

/* A readable random password that meets the policy of domain/password.h: four groups of
 * four letters and digits without look-alikes (no 0/O, 1/l/I), e.g. "kP7x-…". */
void secret_generate_password(char out[24]);

/* argon2id hash of a password into out (crypto_pwhash_STRBYTES = 128 bytes). */
px_err secret_password_hash(const char *password, char out[128]);
/* True when the password matches the stored hash. */
bool secret_password_verify(const char *hash, const char *password);
/* True when the stored hash used weaker parameters than today's and should be redone. */
bool secret_password_needs_rehash(const char *hash);

#endif

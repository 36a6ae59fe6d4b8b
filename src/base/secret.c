/*
 * secret.c — see secret.h.
 *
 * Password hashing parameters: argon2id with t=2 passes over 19 MiB, the first of OWASP's
 * recommended settings. It costs ~30 ms here; the server holds 19 MiB only while it hashes,
 * which keeps its resident size small under a burst of logins.
 */
#include "base/secret.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PW_OPSLIMIT 2
#define PW_MEMLIMIT (19u * 1024 * 1024)
#define KDF_CONTEXT "peixunK1"

px_err secret_init(void)
{
	return sodium_init() < 0 ? PX_ERR_INTERNAL : PX_OK;
}

px_err secret_keys_from_hex(struct secret_keys *k, const char *hex)
{
	unsigned char master[SECRET_KEY_BYTES];
	size_t bin_len = 0;
	const char *end = NULL;
	while (*hex == ' ' || *hex == '\t')
		hex++;
	if (sodium_hex2bin(master, sizeof master, hex, strlen(hex), " \t\r\n", &bin_len, &end) ||
	    bin_len != sizeof master || (end && *end && *end != '\n' && *end != '\r'))
		return PX_ERR_NO_KEY;
	crypto_kdf_derive_from_key(k->enc, sizeof k->enc, 1, KDF_CONTEXT, master);
	crypto_kdf_derive_from_key(k->index, sizeof k->index, 2, KDF_CONTEXT, master);
	crypto_kdf_derive_from_key(k->sign, sizeof k->sign, 3, KDF_CONTEXT, master);
	sodium_memzero(master, sizeof master);
	k->loaded = true;
	return PX_OK;
}

px_err secret_keys_from_file(struct secret_keys *k, const char *path, struct buf *why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		buf_printf(why, "cannot open key file %s: %s", path, strerror(errno));
		return PX_ERR_NO_KEY;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && (st.st_mode & 077)) {
		close(fd);
		buf_printf(why, "key file %s is readable by others (mode %03o); chmod 600 it", path,
			   (unsigned)(st.st_mode & 0777));
		return PX_ERR_NO_KEY;
	}
	char text[130];
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n <= 0) {
		buf_printf(why, "key file %s is empty", path);
		return PX_ERR_NO_KEY;
	}
	text[n] = '\0';
	px_err rc = secret_keys_from_hex(k, text);
	sodium_memzero(text, sizeof text);
	if (rc)
		buf_printf(why, "key file %s does not hold 64 hex characters", path);
	return rc;
}

px_err secret_key_file_create(const char *path, struct buf *why)
{
	unsigned char master[SECRET_KEY_BYTES];
	char hex[SECRET_KEY_BYTES * 2 + 2];
	randombytes_buf(master, sizeof master);
	sodium_bin2hex(hex, sizeof hex - 1, master, sizeof master);
	sodium_memzero(master, sizeof master);
	size_t len = strlen(hex);
	hex[len] = '\n';
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		buf_printf(why, "cannot create key file %s: %s", path, strerror(errno));
		return PX_ERR_IO;
	}
	px_err rc = PX_OK;
	if (write(fd, hex, len + 1) != (ssize_t)(len + 1) || fsync(fd) != 0) {
		buf_printf(why, "cannot write key file %s: %s", path, strerror(errno));
		rc = PX_ERR_IO;
	}
	close(fd);
	sodium_memzero(hex, sizeof hex);
	return rc;
}

void secret_key_check_value(const struct secret_keys *k, char out[65])
{
	static const char probe[] = "peixun key check v1";
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)probe, sizeof probe - 1, k->index,
			   sizeof k->index);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/*
 * Nonces: XSalsa20 needs each nonce used once per key, not unpredictable ones. A thread
 * takes 16 random bytes once and counts in the last 8, which costs nothing per value
 * (getrandom() per value cost more than the encryption itself).
 */
static _Thread_local unsigned char nonce_base[crypto_secretbox_NONCEBYTES];
static _Thread_local uint64_t nonce_counter;

static void next_nonce(unsigned char *nonce)
{
	if (nonce_counter == 0)
		randombytes_buf(nonce_base, sizeof nonce_base);
	nonce_counter++;
	memcpy(nonce, nonce_base, crypto_secretbox_NONCEBYTES);
	for (int i = 0; i < 8; i++)
		nonce[crypto_secretbox_NONCEBYTES - 1 - i] ^=
			(unsigned char)(nonce_counter >> (8 * i));
}

px_err secret_encrypt(const struct secret_keys *k, const char *plain, size_t n, struct buf *out)
{
	size_t blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	size_t need = 3 + sodium_base64_ENCODED_LEN(blen, sodium_base64_VARIANT_ORIGINAL);
	px_err rc = buf_grow(out, need);
	if (!rc)
		rc = secret_encrypt_to(k, plain, n, out->data + out->len, need);
	if (!rc)
		out->len += strlen(out->data + out->len);
	return rc;
}

/*
 * Standard base64 with padding, NUL-terminated: what sodium_bin2base64 writes for
 * sodium_base64_VARIANT_ORIGINAL, by table. sodium's encoder takes constant time, which a
 * ciphertext does not need (it is stored in the clear) and which cost as much as the
 * encryption itself in a large import. out has room for 4 * ((n + 2) / 3) + 1 bytes.
 */
static void base64_encode(char *out, const unsigned char *in, size_t n)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i = 0;
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		*out++ = digits[v >> 18];
		*out++ = digits[(v >> 12) & 63];
		*out++ = digits[(v >> 6) & 63];
		*out++ = digits[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0);
		*out++ = digits[v >> 18];
		*out++ = digits[(v >> 12) & 63];
		*out++ = i + 1 < n ? digits[(v >> 6) & 63] : '=';
		*out++ = '=';
	}
	*out = '\0';
}

/* The encrypted text of plain ("v1:" + base64(nonce ‖ box)) in out[0..size). */
px_err secret_encrypt_to(const struct secret_keys *k, const char *plain, size_t n, char *out,
			 size_t size)
{
	if (!k->loaded)
		return PX_ERR_NO_KEY;
	unsigned char small[256];
	size_t blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	size_t b64len = sodium_base64_ENCODED_LEN(blen, sodium_base64_VARIANT_ORIGINAL);
	if (3 + b64len > size)
		return PX_ERR_TOO_LARGE;
	unsigned char *box = blen <= sizeof small ? small : malloc(blen);
	if (!box)
		return PX_ERR_NOMEM;
	next_nonce(box);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, n,
			      box, k->enc);
	memcpy(out, "v1:", 3);
	base64_encode(out + 3, box, blen);
	if (box != small)
		free(box);
	return PX_OK;
}

px_err secret_decrypt(const struct secret_keys *k, const char *value, struct buf *out)
{
	if (!k->loaded)
		return PX_ERR_NO_KEY;
	if (strncmp(value, "v1:", 3) != 0)
		return PX_ERR_NO_KEY;
	value += 3;
	size_t vlen = strlen(value);
	unsigned char small[256];
	size_t cap = vlen;
	unsigned char *box = cap <= sizeof small ? small : malloc(cap);
	if (!box)
		return PX_ERR_NOMEM;
	size_t blen = 0;
	px_err rc = PX_OK;
	if (sodium_base642bin(box, cap, value, vlen, NULL, &blen, NULL,
			      sodium_base64_VARIANT_ORIGINAL) ||
	    blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
		rc = PX_ERR_NO_KEY;
		goto out;
	}
	size_t plen = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	if ((rc = buf_grow(out, plen)))
		goto out;
	if (crypto_secretbox_open_easy((unsigned char *)out->data + out->len,
				       box + crypto_secretbox_NONCEBYTES,
				       blen - crypto_secretbox_NONCEBYTES, box, k->enc)) {
		rc = PX_ERR_NO_KEY;
		goto out;
	}
	out->len += plen;
	out->data[out->len] = '\0';
out:
	if (box != small)
		free(box);
	return rc;
}

void secret_blind_index(const struct secret_keys *k, const char *text, size_t n, char out[33])
{
	unsigned char h[16];
	crypto_generichash(h, sizeof h, (const unsigned char *)text, n, k->index, sizeof k->index);
	sodium_bin2hex(out, 33, h, sizeof h);
}

void secret_random_token(char out[44])
{
	unsigned char r[32];
	randombytes_buf(r, sizeof r);
	sodium_bin2base64(out, 44, r, sizeof r, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void secret_token_hash(const char *token, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

bool secret_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}

void secret_sign(const struct secret_keys *k, const void *data, size_t n, char out[44])
{
	unsigned char mac[crypto_auth_BYTES];
	crypto_auth(mac, data, n, k->sign);
	sodium_bin2base64(out, 44, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

px_err secret_password_hash(const char *password, char out[128])
{
	if (crypto_pwhash_str(out, password, strlen(password), PW_OPSLIMIT, PW_MEMLIMIT) != 0)
		return PX_ERR_NOMEM;
	return PX_OK;
}

bool secret_password_verify(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

bool secret_password_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, PW_OPSLIMIT, PW_MEMLIMIT) != 0;
}

void secret_generate_password(char out[24])
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	unsigned char r[19];
	randombytes_buf(r, sizeof r);
	int k = 0;
	for (int i = 0; i < 16; i++) {
		if (i && i % 4 == 0)
			out[k++] = '-';
		out[k++] = alphabet[r[i] % (sizeof alphabet - 1)];
	}
	out[k] = '\0';
	/* Guarantee lower case, upper case and a digit. */
	out[0] = (char)('a' + r[16] % 26);
	out[1] = (char)('A' + r[17] % 26);
	out[2] = (char)('2' + r[18] % 8);
}

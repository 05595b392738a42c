/*
 * sslkeylog.so: make a program linked with OpenSSL (1.1.1 or 3.x) write the
 * NSS key log (SSLKEYLOGFILE format) of every TLS connection it makes.
 * hostapd and wpa_supplicant/eapol_test have no SSLKEYLOGFILE support of
 * their own; fast.sh preloads this library into them so that the anonymous
 * (TLS_DH_anon) provisioning tunnel of the EAP-FAST lab capture can be
 * decrypted too. Build and use:
 *
 *   cc -shared -fPIC -o sslkeylog.so sslkeylog.c -ldl -lssl
 *   SSLKEYLOGFILE=keys.log LD_PRELOAD=./sslkeylog.so eapol_test ...
 *
 * It wraps SSL_new: before the real SSL_new runs, the SSL_CTX gets a key log
 * callback (SSL_CTX_set_keylog_callback) that appends each line OpenSSL
 * hands it to $SSLKEYLOGFILE. Nothing else changes in the program.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <openssl/ssl.h>

static void write_line(const SSL *ssl, const char *line)
{
	const char *path = getenv("SSLKEYLOGFILE");
	FILE *f;

	(void)ssl;
	if (path == NULL || *path == '\0')
		return;
	f = fopen(path, "a");
	if (f == NULL)
		return;
	fprintf(f, "%s\n", line);
	fclose(f);
}

SSL *SSL_new(SSL_CTX *ctx)
{
	static SSL *(*real_ssl_new)(SSL_CTX *);

	if (real_ssl_new == NULL) {
		real_ssl_new = (SSL *(*)(SSL_CTX *))dlsym(RTLD_NEXT, "SSL_new");
		if (real_ssl_new == NULL)
			abort();
	}
	if (ctx != NULL && SSL_CTX_get_keylog_callback(ctx) == NULL)
		SSL_CTX_set_keylog_callback(ctx, write_line);
	return real_ssl_new(ctx);
}

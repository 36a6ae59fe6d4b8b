/*
 * password.h — the password policy (等保 2.0: complexity, no user name, not a known-weak one)
 * and the throttle of failed logins (docs/security.md).
 */
#ifndef PX_PASSWORD_H
#define PX_PASSWORD_H

#include "base/problem.h"

#define PASSWORD_MIN 10
#define PASSWORD_MAX 128

/*
 * Check a proposed password; adds a problem (field "password") for each rule broken and
 * returns the number of problems added. Rules: 10–128 characters; at least three of lower
 * case, upper case, digits, symbols; must not contain the user name; not on the list of
 * common passwords.
 */
int password_check(const char *password, const char *username, const char *lang,
		   struct problems *pb);

/*
 * Failed logins are counted under three keys, each for as long as failures keep coming
 * (a count starts again after LOGIN_WINDOW_SECONDS without one):
 *   a name from one source address: the LOGIN_PAIR_MAX-th locks that name there for
 *     LOGIN_LOCK_SECONDS — only there, so an attacker's failures do not lock the owner out
 *     from elsewhere;
 *   a name from every address: from the LOGIN_NAME_SLOW_AFTER-th on, every address waits
 *     login_name_wait() before its next try of that name (slowed, never locked);
 *   a source address, whatever the names: the LOGIN_SOURCE_MAX-th locks the address for
 *     LOGIN_LOCK_SECONDS (one address trying many names).
 */
#define LOGIN_WINDOW_SECONDS  (15 * 60)
#define LOGIN_PAIR_MAX        5
#define LOGIN_LOCK_SECONDS    (15 * 60)
#define LOGIN_NAME_SLOW_AFTER 50
#define LOGIN_NAME_WAIT_FIRST 15
#define LOGIN_NAME_WAIT_MAX   60
#define LOGIN_SOURCE_MAX      100

/* Seconds every address waits before trying a name again after its n-th failure: 0 below
 * LOGIN_NAME_SLOW_AFTER, then LOGIN_NAME_WAIT_FIRST, doubling with each failure, at most
 * LOGIN_NAME_WAIT_MAX (15, 30, 60, 60 …). */
int login_name_wait(int failures);

#endif

/*
 * password.h — the password policy (等保 2.0: complexity, no user name, not a known-weak one).
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

#endif

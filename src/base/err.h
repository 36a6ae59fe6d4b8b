/*
 * err.h — the one error type of peixun.
 *
 * Every fallible function returns a px_err. PX_OK is zero so that `if (rc)` reads as
 * "if it failed". The numbers are part of the on-disk and on-wire contract (they appear in
 * logs and in the CLI exit status), so a number is never reused or renumbered: add new codes
 * at the end.
 *
 * One table (err.c) maps each code to its HTTP status, the stable snake_case string that the
 * API sends in {"error":{"code":…}}, and a user-facing message in zh-CN and in English.
 */
#ifndef PX_ERR_H
#define PX_ERR_H

typedef enum px_err {
	PX_OK = 0,
	PX_ERR_NOMEM = 1,
	PX_ERR_INVALID = 2,          /* a field or argument failed validation */
	PX_ERR_NOT_FOUND = 3,        /* no such object, or not visible to the caller */
	PX_ERR_FORBIDDEN = 4,        /* role or data scope does not allow it */
	PX_ERR_UNAUTHENTICATED = 5,  /* no valid session */
	PX_ERR_CSRF = 6,             /* missing or wrong X-CSRF-Token on a write */
	PX_ERR_LOCKED = 7,           /* account locked after repeated failed logins */
	PX_ERR_CONFLICT = 8,         /* unique key or state conflict */
	PX_ERR_TOO_LARGE = 9,        /* request body or upload above its cap */
	PX_ERR_DB = 10,              /* the database failed */
	PX_ERR_IO = 11,              /* a file or socket failed */
	PX_ERR_BAD_FILE = 12,        /* a malformed or truncated file (xlsx, csv, ctt …) */
	PX_ERR_ENCODING = 13,        /* text neither valid UTF-8 nor GB18030 */
	PX_ERR_IMPORT_REJECTED = 14, /* import rejected as a whole; details name the rows */
	PX_ERR_BAD_CREDENTIALS = 15, /* wrong user name or password */
	PX_ERR_WEAK_PASSWORD = 16,   /* the password policy refuses the new password */
	PX_ERR_INFEASIBLE = 17,      /* no timetable or assignment satisfies the hard rules */
	PX_ERR_NO_KEY = 18,          /* no or wrong encryption key for personal data */
	PX_ERR_CONFIG = 19,          /* bad configuration or command line */
	PX_ERR_METHOD = 20,          /* HTTP method not allowed on this path */
	PX_ERR_MEDIA_TYPE = 21,      /* unsupported content type */
	PX_ERR_INTERNAL = 22,        /* a bug: logged with detail, reported without */
	PX_ERR_BAD_JSON = 23,        /* body is not the JSON the route expects */
	PX_ERR_BUSY = 24,            /* the database is busy; retry */
	PX_ERR_SCHEMA = 25,          /* database schema newer than this program */
	PX_ERR_INACTIVE = 26,        /* account disabled */
	PX_ERR_EXPIRED = 27,         /* session or token expired */
	PX_ERR_STATE = 28,           /* action not allowed in the object's current state */
	PX_ERR_TIMEOUT = 29,         /* a time limit was reached before an answer */
	PX_ERR_PASSWORD_CHANGE = 30, /* the account must change its initial password first */
	PX_ERR_CANCELLED = 31,       /* a job was cancelled (or taken over) before it finished */
	PX_ERR_RATE_LIMITED = 32,    /* too many requests of this kind from one account for now */
	PX_ERR_GONE = 33,            /* it was there, and was deleted when its retention ended */
	PX_ERR__COUNT
} px_err;

/* The stable API code, e.g. "not_found". Never NULL. */
const char *px_err_code(px_err e);

/* The HTTP status that answers this error. */
int px_err_http_status(px_err e);

/* A one-line message for users, in zh-CN when `lang` starts with "zh" or is NULL, else en. */
const char *px_err_message(px_err e, const char *lang);

/* True when lang (an Accept-Language value or "zh"/"en") asks for English. */
int px_lang_is_en(const char *lang);

#endif

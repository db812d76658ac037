#ifndef CPCRE2_SHIM_H
#define CPCRE2_SHIM_H

// pcre2.h refuses to compile unless the code-unit width is chosen first.
// Faultline only links libpcre2-8: subjects are raw bytes, interpreted as UTF-8.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

// PCRE2_ZERO_TERMINATED and PCRE2_UNSET are cast macros, which Swift cannot import.
// A `static const` does not work either (the importer overflows on SIZE_MAX): use functions.
static inline PCRE2_SIZE cpcre2_zero_terminated(void) { return PCRE2_ZERO_TERMINATED; }
static inline PCRE2_SIZE cpcre2_unset(void) { return PCRE2_UNSET; }

#endif

#ifndef CARCHIVE_SHIM_H
#define CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>

// AE_IFREG and friends are cast macros ((__LA_MODE_T)0100000), which Swift cannot import.
static inline unsigned int carchive_ae_ifreg(void) { return AE_IFREG; }
static inline unsigned int carchive_ae_ifdir(void) { return AE_IFDIR; }

#endif

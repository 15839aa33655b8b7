// libarchive (Debian's libarchive-dev headers), loaded on first use with dlopen rather than
// linked: linking it loads libxml2 and ICU into every kms-drift process, about 4.5 ms more
// start-up for `check` (measured on a C program: 1.1 ms → 5.6 ms), for commands that never
// touch an archive. Each pointer has the type of the libarchive function it holds, so the
// compiler checks every call against the real header.
#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>

#define CARCHIVE_FUNCTIONS(X) \
    X(archive_error_string) \
    X(archive_errno) \
    X(archive_write_new) \
    X(archive_write_set_format_pax_restricted) \
    X(archive_write_set_bytes_per_block) \
    X(archive_write_set_bytes_in_last_block) \
    X(archive_write_set_options) \
    X(archive_write_open) \
    X(archive_write_header) \
    X(archive_write_data) \
    X(archive_write_finish_entry) \
    X(archive_write_close) \
    X(archive_write_free) \
    X(archive_read_new) \
    X(archive_read_support_format_tar) \
    X(archive_read_set_options) \
    X(archive_read_open) \
    X(archive_read_next_header) \
    X(archive_read_data) \
    X(archive_read_close) \
    X(archive_read_free) \
    X(archive_entry_new) \
    X(archive_entry_free) \
    X(archive_entry_clear) \
    X(archive_entry_set_pathname) \
    X(archive_entry_set_size) \
    X(archive_entry_set_filetype) \
    X(archive_entry_set_perm) \
    X(archive_entry_set_uid) \
    X(archive_entry_set_gid) \
    X(archive_entry_set_mtime) \
    X(archive_entry_set_symlink) \
    X(archive_entry_pathname) \
    X(archive_entry_size) \
    X(archive_entry_size_is_set) \
    X(archive_entry_filetype) \
    X(archive_entry_perm) \
    X(archive_entry_uid) \
    X(archive_entry_gid) \
    X(archive_entry_mtime) \
    X(archive_entry_mtime_nsec) \
    X(archive_entry_symlink) \
    X(archive_entry_hardlink)

#define CARCHIVE_FIELD(name) __typeof__(name) *name;

/// The libarchive functions kms-drift uses, resolved from libarchive.so.13.
typedef struct {
    CARCHIVE_FUNCTIONS(CARCHIVE_FIELD)
} CArchiveAPI;

/// Fills `api` from libarchive.so.13. Returns NULL on success, or what went wrong (dlerror's
/// text, valid until the next dl call).
static inline const char *carchive_load(CArchiveAPI *api) {
    void *library = dlopen("libarchive.so.13", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return dlerror();
#define CARCHIVE_RESOLVE(name) \
    api->name = (__typeof__(name) *)dlsym(library, #name); \
    if (api->name == NULL) return dlerror();
    CARCHIVE_FUNCTIONS(CARCHIVE_RESOLVE)
#undef CARCHIVE_RESOLVE
    return NULL;
}

static const int carchive_ok = ARCHIVE_OK;
static const int carchive_eof = ARCHIVE_EOF;
static const int carchive_warn = ARCHIVE_WARN;
static const int carchive_fatal = ARCHIVE_FATAL;
static const unsigned int carchive_regular = AE_IFREG;
static const unsigned int carchive_symlink = AE_IFLNK;
static const unsigned int carchive_directory = AE_IFDIR;

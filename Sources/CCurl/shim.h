// libcurl (Debian's libcurl4-openssl-dev headers), loaded on first use with dlopen rather than
// linked: only `effective --url`, the daemon's `[effective] url` and statement URLs fetch
// anything, so no other command pays for loading libcurl and its TLS stack at start-up. Each
// pointer has the type of the libcurl function it holds, so the compiler checks every call
// against the real header; the variadic setopt/getinfo are called through typed wrappers,
// since Swift cannot call a C variadic function.
// The type-checking macros of typecheck-gcc.h would rewrite `api->curl_easy_setopt(…)`.
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>
#include <stddef.h>

#define CCURL_FUNCTIONS(X) \
    X(curl_global_init) \
    X(curl_easy_init) \
    X(curl_easy_setopt) \
    X(curl_easy_perform) \
    X(curl_easy_getinfo) \
    X(curl_easy_cleanup) \
    X(curl_easy_strerror)

#define CCURL_FIELD(name) __typeof__(name) *name;

/// The libcurl functions kms-drift uses, resolved from libcurl.so.4.
typedef struct {
    CCURL_FUNCTIONS(CCURL_FIELD)
} CCurlAPI;

/// Fills `api` from libcurl.so.4 and initialises the library once. Returns NULL on success, or
/// what went wrong (dlerror's text, or a fixed message).
static inline const char *ccurl_load(CCurlAPI *api) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return dlerror();
#define CCURL_RESOLVE(name) \
    api->name = (__typeof__(name) *)dlsym(library, #name); \
    if (api->name == NULL) return dlerror();
    CCURL_FUNCTIONS(CCURL_RESOLVE)
#undef CCURL_RESOLVE
    if (api->curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return "curl_global_init failed";
    return NULL;
}

/// Called for each piece of the body; returns the number of bytes taken (fewer aborts the transfer).
typedef size_t (*ccurl_write_function)(char *data, size_t size, size_t count, void *context);

static inline CURLcode ccurl_set_long(const CCurlAPI *api, CURL *handle, CURLoption option, long value) {
    return api->curl_easy_setopt(handle, option, value);
}
static inline CURLcode ccurl_set_size(const CCurlAPI *api, CURL *handle, CURLoption option, curl_off_t value) {
    return api->curl_easy_setopt(handle, option, value);
}
static inline CURLcode ccurl_set_string(const CCurlAPI *api, CURL *handle, CURLoption option, const char *value) {
    return api->curl_easy_setopt(handle, option, value);
}
static inline CURLcode ccurl_set_pointer(const CCurlAPI *api, CURL *handle, CURLoption option, void *value) {
    return api->curl_easy_setopt(handle, option, value);
}
static inline CURLcode ccurl_set_write_function(
    const CCurlAPI *api, CURL *handle, ccurl_write_function function) {
    return api->curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, function);
}
static inline CURLcode ccurl_get_long(const CCurlAPI *api, CURL *handle, CURLINFO info, long *value) {
    return api->curl_easy_getinfo(handle, info, value);
}
static inline CURLcode ccurl_get_string(const CCurlAPI *api, CURL *handle, CURLINFO info, char **value) {
    return api->curl_easy_getinfo(handle, info, value);
}

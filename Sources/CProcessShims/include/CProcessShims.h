#ifndef KMS_DRIFT_CPROCESS_SHIMS_H
#define KMS_DRIFT_CPROCESS_SHIMS_H

/// Clears this process's ambient capability set, so programs it starts (hooks) inherit none of
/// the capabilities systemd gave it (CAP_DAC_READ_SEARCH, to read the watched files), while the
/// process itself keeps them. prctl is variadic, which Swift cannot call: hence this C shim.
/// Returns 0, or -1 with errno set (EINVAL on kernels before 4.3, which have no ambient set).
int kms_drift_clear_ambient_capabilities(void);

#endif

// The ELF sections the AppImage type-2 format reserves in the runtime, left as zeros here for tools
// that fill them in the finished file: update information (`.upd_info`, read by AppImageUpdate), a
// detached signature of the image (`.sha256_sig`) and the key that verifies it (`.sig_key`). They are
// located by name through the section headers, so nothing in the runtime reads them; `used` keeps the
// compiler from dropping them and the CMake file links without --gc-sections.

__attribute__((section(".upd_info"), used)) static const char update_information[1024];
__attribute__((section(".sha256_sig"), used)) static const char signature[1024];
__attribute__((section(".sig_key"), used)) static const char signature_key[8192];

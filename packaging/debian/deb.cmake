# The Debian package: `cpack -G DEB` in the build folder makes latent_<version>_amd64.deb of what
# `install` puts in place (latent, latent-cli, the desktop entry, icon and AppStream metainfo, with
# the copyright file and changelog Debian asks for), under /usr. Included by
# packaging/CMakeLists.txt before CPack.

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # latent_<version>_<arch>.deb, Debian's own naming
set(CPACK_DEBIAN_PACKAGE_SECTION "utils")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Latent maintainers <packages@latent.invalid>")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
# The first line of Description is CPACK_PACKAGE_DESCRIPTION_SUMMARY; this is the text under it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Latent chats with DeepSeek models (DeepSeek-Coder, deepseek-llm,
DeepSeek-V2, V2-Lite, Coder-V2, V3 and R1) read from the GGUF files you
already download, on the CPU or on any Vulkan 1.2 GPU, and keeps the
conversations in a local SQLite database. A code editor beside the chat
completes code as you type and explains, reviews, documents and tests it
with the model. Nothing you type leaves your computer. latent-cli runs,
benchmarks and quantizes models from the command line.")

# Libraries the binaries link come from dpkg-shlibdeps. What it cannot see is named here.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(_depends "")
set(_recommends "")
if(LATENT_GUI)
    # The QML modules the chat imports are loaded at run time, not linked: the qml6-module-*
    # packages of packaging/debian-build-deps.sh (the list tests/ui/test_qml_modules.cpp checks
    # against the imports), less qttest, which only the tests import.
    file(STRINGS ${CMAKE_CURRENT_SOURCE_DIR}/debian-build-deps.sh _deps_lines REGEX "qml6-module-")
    string(REGEX MATCHALL "qml6-module-[a-z0-9-]+" _qml_packages "${_deps_lines}")
    list(REMOVE_ITEM _qml_packages qml6-module-qttest)
    list(REMOVE_DUPLICATES _qml_packages)
    if(NOT _qml_packages)
        message(FATAL_ERROR "packaging/debian/deb.cmake found no qml6-module-* package in "
                            "packaging/debian-build-deps.sh: the .deb would miss the QML modules the UI imports")
    endif()
    list(JOIN _qml_packages ", " _depends)
    # Qt's own translations (Chinese dialogs and buttons) and the Wayland platform plugin are
    # loaded at run time too; the app works without them, so they are recommended.
    set(_recommends "qt6-translations-l10n, qt6-wayland, ")
endif()
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${_depends}")
# The engine opens the Vulkan loader with dlopen (engine/vulkan/vulkan_library_posix.cpp), so
# dpkg-shlibdeps does not see it; without it the CPU backend runs, so it is recommended. A GPU's
# Vulkan driver comes with the desktop's graphics stack; Mesa's is suggested for machines without.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "${_recommends}libvulkan1")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "mesa-vulkan-drivers")

# Debian policy: every package carries its copyright file and a changelog, gzipped with no name
# or time in the header (-n) so that the same source makes the same package. The date honours
# SOURCE_DATE_EPOCH.
install(FILES ${CPACK_RESOURCE_FILE_LICENSE} DESTINATION share/doc/latent RENAME copyright)
string(TIMESTAMP _changelog_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
configure_file(${CMAKE_CURRENT_LIST_DIR}/changelog.in ${CMAKE_CURRENT_BINARY_DIR}/changelog @ONLY)
add_custom_command(
    OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz
    COMMAND gzip -9nkf ${CMAKE_CURRENT_BINARY_DIR}/changelog
    DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/changelog
    VERBATIM)
add_custom_target(latent_deb_changelog ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz DESTINATION share/doc/latent)

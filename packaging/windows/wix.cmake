# The Windows installer (`cpack -G WIX`, WiX Toolset 3): Latent in Program Files\Latent, with Qt,
# the QML modules and the MSVC runtime beside latent.exe, a Start menu shortcut, the licence
# dialog, and the icon in Apps & features. Included by packaging/CMakeLists.txt on Windows.

set(LATENT_ICO ${CMAKE_CURRENT_LIST_DIR}/latent.ico) # made by make-ico.sh
if(TARGET latent)
    configure_file(${CMAKE_CURRENT_LIST_DIR}/latent.rc.in ${CMAKE_CURRENT_BINARY_DIR}/latent.rc @ONLY)
    target_sources(latent PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/latent.rc)
endif()

set(CPACK_GENERATOR "WIX")
set(CPACK_PACKAGE_FILE_NAME "Latent-${PROJECT_VERSION}-windows-x64")
# Fixed for every version, so that Windows Installer takes a newer Latent for an upgrade of the
# one installed and replaces it. Never change it.
set(CPACK_WIX_UPGRADE_GUID "23A4C809-B680-43D3-B06B-98256FC2DA9E")
set(CPACK_WIX_PRODUCT_ICON ${LATENT_ICO})
set(CPACK_WIX_PROGRAM_MENU_FOLDER "Latent")
set(CPACK_WIX_PROPERTY_ARPURLINFOABOUT "${PROJECT_HOMEPAGE_URL}")

# The MSVC runtime's DLLs beside the executables, so that no redistributable has to be installed.
set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION bin)
include(InstallRequiredSystemLibraries)

# windeployqt copies Qt's DLLs, plugins, translations and the QML modules ui/qml imports beside
# the installed latent.exe. The other libraries are linked statically (vcpkg's
# x64-windows-static-md triplet, QScintilla built as a static library; .github/workflows/windows.yml).
if(TARGET latent)
    find_program(LATENT_WINDEPLOYQT windeployqt HINTS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}")
    if(NOT LATENT_WINDEPLOYQT)
        message(FATAL_ERROR "windeployqt was not found beside Qt's tools (${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}): "
                            "it comes with Qt's Windows installation")
    endif()
    set(LATENT_QML_DIR ${PROJECT_SOURCE_DIR}/ui/qml)
    configure_file(${CMAKE_CURRENT_LIST_DIR}/deploy-qt.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/deploy-qt.cmake @ONLY)
    set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_BINARY_DIR}/deploy-qt.cmake)
endif()

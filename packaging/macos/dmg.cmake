# The macOS disk image (`cpack -G DragNDrop`): Latent.app, with latent-cli, Qt, the QML modules,
# the other libraries and the Vulkan loader with MoltenVK inside it, beside a link to
# Applications. Included by packaging/CMakeLists.txt on Apple.

if(NOT TARGET latent)
    message(STATUS "No macOS disk image without the desktop app (LATENT_GUI=OFF): cpack makes a tarball")
    return()
endif()
include(${CMAKE_CURRENT_LIST_DIR}/bundle.cmake)

set(CPACK_GENERATOR "DragNDrop")
set(CPACK_PACKAGE_FILE_NAME "Latent-${PROJECT_VERSION}-macos-${CMAKE_SYSTEM_PROCESSOR}")
set(CPACK_DMG_VOLUME_NAME "Latent")
set(CPACK_PACKAGE_ICON ${CMAKE_CURRENT_BINARY_DIR}/latent.icns) # the volume's icon

# macdeployqt, and the Vulkan runtime a Mac does not have: the loader and MoltenVK (Homebrew's
# vulkan-loader and molten-vk), whose driver manifest the loader finds inside the bundle.
find_program(LATENT_MACDEPLOYQT macdeployqt HINTS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}")
if(NOT LATENT_MACDEPLOYQT)
    message(FATAL_ERROR "macdeployqt was not found beside Qt's tools (${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}): "
                        "it comes with Qt (brew install qt)")
endif()
set(LATENT_VULKAN_LOADER "")
set(LATENT_MOLTENVK "")
if(LATENT_VULKAN)
    get_filename_component(LATENT_VULKAN_LOADER "${Vulkan_LIBRARY}" REALPATH)
    find_library(LATENT_MOLTENVK_LIBRARY MoltenVK)
    if(NOT LATENT_MOLTENVK_LIBRARY)
        message(FATAL_ERROR "libMoltenVK.dylib was not found: brew install molten-vk, or configure with "
                            "-DLATENT_VULKAN=OFF for a disk image that runs on the CPU only")
    endif()
    get_filename_component(LATENT_MOLTENVK "${LATENT_MOLTENVK_LIBRARY}" REALPATH)
endif()
set(LATENT_QML_DIR ${PROJECT_SOURCE_DIR}/ui/qml)
configure_file(${CMAKE_CURRENT_LIST_DIR}/deploy-bundle.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/deploy-bundle.cmake @ONLY)
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_BINARY_DIR}/deploy-bundle.cmake)

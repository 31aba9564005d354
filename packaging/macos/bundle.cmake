# Latent.app: the latent target as a macOS bundle (ui/CMakeLists.txt makes it MACOSX_BUNDLE) with
# our Info.plist, the bundle id io.latent.Latent and its icon, latent.icns, made from the SVG
# icon at build time (make-icns.sh). Included by packaging/CMakeLists.txt on Apple.

set(_icns ${CMAKE_CURRENT_BINARY_DIR}/latent.icns)
set(_svg ${PROJECT_SOURCE_DIR}/resources/icons/latent.svg)
add_custom_command(
    OUTPUT ${_icns}
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/make-icns.sh ${_svg} ${_icns}
    DEPENDS ${_svg} ${CMAKE_CURRENT_LIST_DIR}/make-icns.sh
    VERBATIM)
add_custom_target(latent_icns DEPENDS ${_icns})
add_dependencies(latent latent_icns)

# The icon is a source of the bundle so that the build copies it into Contents/Resources; the
# properties are set in the latent target's folder, where they take effect.
target_sources(latent PRIVATE ${_icns})
set_source_files_properties(${_icns} TARGET_DIRECTORY latent PROPERTIES
    GENERATED ON
    MACOSX_PACKAGE_LOCATION Resources)

set_target_properties(latent PROPERTIES
    OUTPUT_NAME Latent # Latent.app, Contents/MacOS/Latent
    MACOSX_BUNDLE_INFO_PLIST ${CMAKE_CURRENT_LIST_DIR}/Info.plist.in
    MACOSX_BUNDLE_GUI_IDENTIFIER io.latent.Latent
    MACOSX_BUNDLE_BUNDLE_NAME Latent
    MACOSX_BUNDLE_ICON_FILE latent.icns
    MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION}
    MACOSX_BUNDLE_BUNDLE_VERSION ${PROJECT_VERSION}
    MACOSX_BUNDLE_COPYRIGHT "Copyright the Latent authors"
    XCODE_ATTRIBUTE_PRODUCT_BUNDLE_IDENTIFIER io.latent.Latent)

# FindQScintilla: QScintilla for Qt 6 (Debian: libqscintilla2-qt6-dev), which ships no CMake
# package of its own.
#
# Defines QScintilla_FOUND, QScintilla_VERSION and the imported target QScintilla::QScintilla
# (its include folder, its library and Qt6::Widgets, which its headers include).

find_package(Qt6 QUIET COMPONENTS Widgets)
set(_qscintilla_hints)
if(TARGET Qt6::Widgets)
    get_target_property(_qt_includes Qt6::Core INTERFACE_INCLUDE_DIRECTORIES)
    list(APPEND _qscintilla_hints ${_qt_includes})
endif()

find_path(QScintilla_INCLUDE_DIR
    NAMES Qsci/qsciscintilla.h
    HINTS ${_qscintilla_hints}
    PATH_SUFFIXES qt6 x86_64-linux-gnu/qt6 aarch64-linux-gnu/qt6)
find_library(QScintilla_LIBRARY NAMES qscintilla2_qt6 qscintilla2)

if(QScintilla_INCLUDE_DIR AND EXISTS "${QScintilla_INCLUDE_DIR}/Qsci/qsciglobal.h")
    file(STRINGS "${QScintilla_INCLUDE_DIR}/Qsci/qsciglobal.h" _qscintilla_version_line
         REGEX "#define[ \t]+QSCINTILLA_VERSION_STR")
    string(REGEX REPLACE ".*\"([0-9.]+)\".*" "\\1" QScintilla_VERSION "${_qscintilla_version_line}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(QScintilla
    REQUIRED_VARS QScintilla_LIBRARY QScintilla_INCLUDE_DIR
    VERSION_VAR QScintilla_VERSION)

if(QScintilla_FOUND AND NOT TARGET QScintilla::QScintilla)
    add_library(QScintilla::QScintilla UNKNOWN IMPORTED)
    set_target_properties(QScintilla::QScintilla PROPERTIES
        IMPORTED_LOCATION "${QScintilla_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${QScintilla_INCLUDE_DIR}"
        INTERFACE_LINK_LIBRARIES Qt6::Widgets)
endif()
mark_as_advanced(QScintilla_INCLUDE_DIR QScintilla_LIBRARY)

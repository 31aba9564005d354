# The server_openai_client_install test (a fixture): installs the pinned openai client into the
# build folder with `npm ci`, never into the source tree. When the same lock file is installed there
# already it does nothing, so rerunning the tests needs no network.
#   cmake -DSOURCE_DIR=<tests/server/openai-client> -DINSTALL_DIR=<build folder> -DNPM=<npm> -P install.cmake
set(_installed_lock "${INSTALL_DIR}/node_modules/.installed-package-lock.json")
file(READ "${SOURCE_DIR}/package-lock.json" _wanted)
if(EXISTS "${_installed_lock}")
    file(READ "${_installed_lock}" _have)
    if(_have STREQUAL _wanted)
        message(STATUS "openai client: installed in ${INSTALL_DIR}")
        return()
    endif()
endif()

file(MAKE_DIRECTORY "${INSTALL_DIR}")
file(COPY "${SOURCE_DIR}/package.json" "${SOURCE_DIR}/package-lock.json" DESTINATION "${INSTALL_DIR}")
execute_process(COMMAND "${NPM}" ci --prefix "${INSTALL_DIR}" --no-audit --no-fund
                RESULT_VARIABLE _result)
if(NOT _result EQUAL 0)
    message(FATAL_ERROR "`npm ci` could not install the openai client into ${INSTALL_DIR} (exit ${_result}): "
                        "it needs the npm registry (https://registry.npmjs.org) or npm's cache; see npm's message above")
endif()
file(WRITE "${_installed_lock}" "${_wanted}")

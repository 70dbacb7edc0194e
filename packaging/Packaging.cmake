# Installation and a first Debian package (./dev package). Issue 8 splits it into daemon/CLI, desktop
# client and content packages with a systemd user unit, desktop entry and AppStream metadata.
install(DIRECTORY content/ DESTINATION ${CMAKE_INSTALL_DATADIR}/retain/content)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME retain)
set(CPACK_PACKAGE_VENDOR "Retain")
set(CPACK_PACKAGE_CONTACT "Retain developers <dev@retain.invalid>")
set(CPACK_DEBIAN_PACKAGE_SECTION education)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Adaptive spaced-repetition study engine for certification exams")
include(CPack)

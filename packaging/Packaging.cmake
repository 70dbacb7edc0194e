# Installation and the Debian packages (./dev package; docs/packaging.md). CPack's DEB generator makes
# one package per install component:
#   daemon  -> retain-daemon           retaind, retainctl, systemd user unit, /etc/retain/retaind.conf
#   desktop -> retain-desktop          the Qt client, desktop entry, icons, AppStream metadata
#   content -> retain-content-mls-c01  the bundled pack under /usr/share/retain/content
# Relative destinations land under /usr (CPACK_PACKAGING_INSTALL_PREFIX), whatever CMAKE_INSTALL_PREFIX is.
set(RETAIN_PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR})
set(RETAIN_DEB_RELEASE 1)
set(RETAIN_DEB_VERSION ${PROJECT_VERSION}-${RETAIN_DEB_RELEASE})
set(retain_gen ${CMAKE_BINARY_DIR}/packaging)

# The Debian changelog's newest entry must be this version (lintian and apt show it).
file(STRINGS ${RETAIN_PACKAGING_DIR}/debian/changelog retain_changelog_top LIMIT_COUNT 1)
if(NOT retain_changelog_top MATCHES "^retain \\(${RETAIN_DEB_VERSION}\\) ")
  message(WARNING "packaging/debian/changelog starts with \"${retain_changelog_top}\", not version "
                  "${RETAIN_DEB_VERSION}: add an entry for it")
endif()

# Compressed man pages and changelog (gzip -n: no timestamp, so the packages are reproducible).
set(retain_gz_files)
foreach(src man/retaind.1 man/retainctl.1 man/retain.1 debian/changelog)
  get_filename_component(name ${src} NAME)
  set(out ${retain_gen}/${name}.gz)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${retain_gen}
    COMMAND gzip -9nc ${RETAIN_PACKAGING_DIR}/${src} > ${out}
    DEPENDS ${RETAIN_PACKAGING_DIR}/${src} VERBATIM)
  list(APPEND retain_gz_files ${out})
endforeach()
add_custom_target(retain_packaging_files ALL DEPENDS ${retain_gz_files})

# Every package's /usr/share/doc/<package>: copyright and changelog.Debian.gz.
function(retain_package_docs component package)
  install(FILES ${RETAIN_PACKAGING_DIR}/debian/copyright DESTINATION share/doc/${package} COMPONENT ${component})
  install(FILES ${retain_gen}/changelog.gz DESTINATION share/doc/${package} RENAME changelog.Debian.gz
          COMPONENT ${component})
endfunction()

# daemon (retaind and retainctl install themselves with COMPONENT daemon in their CMakeLists.txt)
install(FILES ${RETAIN_PACKAGING_DIR}/retaind.conf DESTINATION /etc/retain COMPONENT daemon)
install(FILES ${RETAIN_PACKAGING_DIR}/systemd/retaind.service DESTINATION lib/systemd/user COMPONENT daemon)
install(FILES ${retain_gen}/retaind.1.gz ${retain_gen}/retainctl.1.gz DESTINATION share/man/man1
        COMPONENT daemon)
install(FILES README.md DESTINATION share/doc/retain-daemon COMPONENT daemon)
retain_package_docs(daemon retain-daemon)

# desktop
if(TARGET retain)
  install(TARGETS retain RUNTIME DESTINATION bin COMPONENT desktop)
  install(FILES ${RETAIN_PACKAGING_DIR}/desktop/io.github.retain.Retain.desktop DESTINATION share/applications
          COMPONENT desktop)
  install(FILES ${RETAIN_PACKAGING_DIR}/desktop/io.github.retain.Retain.metainfo.xml DESTINATION share/metainfo
          COMPONENT desktop)
  install(FILES ${RETAIN_PACKAGING_DIR}/icons/io.github.retain.Retain.svg
          DESTINATION share/icons/hicolor/scalable/apps COMPONENT desktop)
  foreach(size 16 22 24 32 48 64 128 256 512)
    install(FILES ${RETAIN_PACKAGING_DIR}/icons/${size}x${size}/io.github.retain.Retain.png
            DESTINATION share/icons/hicolor/${size}x${size}/apps COMPONENT desktop)
  endforeach()
  install(FILES ${retain_gen}/retain.1.gz DESTINATION share/man/man1 COMPONENT desktop)
  retain_package_docs(desktop retain-desktop)
endif()

# content: the pack itself; its README (the content format) is documentation.
install(DIRECTORY content/ DESTINATION share/retain/content COMPONENT content PATTERN README.md EXCLUDE)
install(FILES content/README.md DESTINATION share/doc/retain-content-mls-c01 RENAME content-format.md
        COMPONENT content)
retain_package_docs(content retain-content-mls-c01)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME retain)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Retain")
set(CPACK_PACKAGE_CONTACT "Retain developers <dev@retain.invalid>")
# Each package's description below starts with its own synopsis; CPack would put a project-wide summary in
# front of it unless the summary is left at CPack's default.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL daemon content)
if(TARGET retain)
  list(APPEND CPACK_COMPONENTS_ALL desktop)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${RETAIN_DEB_RELEASE})
set(CPACK_DEBIAN_PACKAGE_SOURCE retain)
set(CPACK_DEBIAN_PACKAGE_SECTION education)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE https://github.com/retain/retain)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_DAEMON_PACKAGE_NAME retain-daemon)
set(CPACK_DEBIAN_DAEMON_PACKAGE_DEPENDS "retain-content-mls-c01 | retain-content")
set(CPACK_DEBIAN_DAEMON_PACKAGE_SUGGESTS "retain-desktop")
set(CPACK_DEBIAN_DAEMON_PACKAGE_CONTROL_EXTRA ${RETAIN_PACKAGING_DIR}/debian/conffiles)
set(CPACK_DEBIAN_DAEMON_DESCRIPTION "adaptive spaced-repetition study daemon and command line
Retain schedules flashcards and exam-style questions with FSRS-6 and weights
them toward a learner's weak, high-weight exam domains.
.
This package contains retaind, the daemon that keeps the study history in
SQLite and serves the retain.v1 gRPC API on a private unix socket, the
retainctl command line, and a systemd user unit for the daemon.")

set(CPACK_DEBIAN_DESKTOP_PACKAGE_NAME retain-desktop)
# The shlibs scan finds libQt6Gui, not the platform plugins Qt loads at run time (xcb, wayland, offscreen).
set(CPACK_DEBIAN_DESKTOP_PACKAGE_DEPENDS "retain-daemon (= ${RETAIN_DEB_VERSION}), qt6-qpa-plugins")
set(CPACK_DEBIAN_DESKTOP_DESCRIPTION "adaptive spaced-repetition study planner for exams (desktop client)
Retain schedules flashcards and exam-style questions with FSRS-6 and weights
them toward a learner's weak, high-weight exam domains.
.
This package contains retain, the Qt desktop client: the day's plan, review of
flashcards and questions by keyboard, and session summaries. It starts the
study daemon when none is running.")

set(CPACK_DEBIAN_CONTENT_PACKAGE_NAME retain-content-mls-c01)
set(CPACK_DEBIAN_CONTENT_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_CONTENT_PACKAGE_PROVIDES retain-content)
set(CPACK_DEBIAN_CONTENT_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_CONTENT_DESCRIPTION "Retain content pack for AWS Certified Machine Learning - Specialty
The exam blueprint and item pack for MLS-C01: flashcards and exam-style
questions mapped to the exam guide's domains and task statements, read by the
Retain study daemon from /usr/share/retain/content.")

include(CPack)

# `cpack` installs the components without building `all` first (./dev package builds what they contain):
# the release preset would otherwise build the simulator too.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)

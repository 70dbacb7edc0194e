# retain_add_test(NAME SOURCES... LIBS ... [LABEL label] [TIMEOUT s]): one GoogleTest executable, registered
# with CTest test by test (gtest_discover_tests) so failures are reported per behaviour.
include(GoogleTest)
function(retain_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT;LABEL" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    RETAIN_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data"
    RETAIN_CONTENT_DIR="${PROJECT_SOURCE_DIR}/content"
    RETAIN_BINARY_DIR="${PROJECT_BINARY_DIR}")
  retain_set_warnings(${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  # One label: gtest_discover_tests (CMake 3.25) flattens PROPERTIES into a key-value list, so "load;slow"
  # would label the tests "load" and drop "slow" (an escaped semicolon does not survive it either).
  if(ARG_LABEL MATCHES ";")
    message(FATAL_ERROR "retain_add_test(${name}): one LABEL only, got \"${ARG_LABEL}\"")
  endif()
  if(ARG_LABEL)
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS ${ARG_LABEL})
  else()
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT ${ARG_TIMEOUT})
  endif()
endfunction()

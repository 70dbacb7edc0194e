# retain_add_test(NAME SOURCES... LIBS ... [LABELS ...]): one GoogleTest executable, registered
# with CTest test by test (gtest_discover_tests) so failures are reported per behaviour.
include(GoogleTest)
function(retain_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
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
  # PROPERTIES is a flat key-value list: a list value needs its semicolons escaped, or "load;slow" would
  # label the tests "load" and set a property named "slow".
  string(REPLACE ";" "\\;" labels "${ARG_LABELS}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${labels}")
endfunction()

# forge tests of contracts/ (label `contracts`): unit, fuzz, invariant and gas
# tests of Serving.sol, offline (foundry.toml: solc = ./solc wrapper over the
# pinned solc-js, offline = true). Compiles into the build tree, so it never
# rewrites contracts/out while another test reads the artefacts there.
# Not under ASan (no C code): scripts/test.sh runs it once, in the Release pass.
# Included from tests/serving/tests.cmake (contracts/ is not a C library).
add_test(NAME contracts_forge
  COMMAND ${ZG_NODE_MODULES}/@foundry-rs/forge-linux-amd64/bin/forge test
          --out ${CMAKE_BINARY_DIR}/forge/out --cache-path ${CMAKE_BINARY_DIR}/forge/cache
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}/contracts)
set_tests_properties(contracts_forge PROPERTIES
  ENVIRONMENT "${ZG_TEST_ENV}" LABELS contracts TIMEOUT 600)

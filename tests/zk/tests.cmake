# Extra wiring of the zk tests (included by the top CMakeLists.txt).
# zk_test_groth16_sol starts anvil through tests/zg_anvil.h, which talks to it
# with libcurl: link curl into that one test.
if(TARGET zk_test_groth16_sol)
  target_link_libraries(zk_test_groth16_sol PkgConfig::CURL)
endif()

# src/zk extra build step (owner: h4): generate the constant tables of zk.
# zg_zk_gen (src/zk/gen/zk_gen.c, GMP) writes into ${CMAKE_BINARY_DIR}/generated/zk/:
#   poseidon_constants.h - circomlib's Poseidon parameters (Grain LFSR), t = 2..17
#   babyjub_table.h      - the fixed-base comb table of Baby Jubjub's Base8
# The generated directory is on zg_zk's include path: #include "zk/poseidon_constants.h".
set(ZG_ZK_GEN_DIR ${CMAKE_BINARY_DIR}/generated/zk)
set(ZG_ZK_GEN_OUT ${ZG_ZK_GEN_DIR}/poseidon_constants.h ${ZG_ZK_GEN_DIR}/babyjub_table.h)
add_executable(zg_zk_gen ${CMAKE_SOURCE_DIR}/src/zk/gen/zk_gen.c)
target_link_libraries(zg_zk_gen PkgConfig::GMP)
add_custom_command(
  OUTPUT ${ZG_ZK_GEN_OUT}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${ZG_ZK_GEN_DIR}
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0 $<TARGET_FILE:zg_zk_gen> ${ZG_ZK_GEN_DIR}
  DEPENDS zg_zk_gen
  COMMENT "Generating Poseidon constants and the Baby Jubjub Base8 table"
  VERBATIM)
add_custom_target(zg_zk_generated DEPENDS ${ZG_ZK_GEN_OUT})
add_dependencies(zg_zk zg_zk_generated)

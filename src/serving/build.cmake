# Contract artefacts for the C bindings (src/serving/deploy.h reads them):
# `forge build` of contracts/ (offline, solc-js behind contracts/solc) writes
# contracts/out/<File>.sol/<Name>.json. Test files (*.t.sol) are skipped here;
# TestVerifier.sol is built because the anvil tests deploy it (test-only flag).
set(ZG_FORGE_BIN ${CMAKE_SOURCE_DIR}/node_modules/@foundry-rs/forge-linux-amd64/bin/forge)
file(GLOB ZG_CONTRACT_SOURCES CONFIGURE_DEPENDS
  ${CMAKE_SOURCE_DIR}/contracts/src/*.sol ${CMAKE_SOURCE_DIR}/contracts/test/TestVerifier.sol)
set(ZG_CONTRACT_ARTEFACTS
  ${CMAKE_SOURCE_DIR}/contracts/out/Serving.sol/Serving.json
  ${CMAKE_SOURCE_DIR}/contracts/out/TestVerifier.sol/TestVerifier.json)
add_custom_command(
  OUTPUT ${ZG_CONTRACT_ARTEFACTS}
  COMMAND ${ZG_FORGE_BIN} build --skip test --skip script
  COMMAND ${CMAKE_COMMAND} -E touch ${ZG_CONTRACT_ARTEFACTS}
  DEPENDS ${ZG_CONTRACT_SOURCES} ${CMAKE_SOURCE_DIR}/contracts/foundry.toml ${CMAKE_SOURCE_DIR}/contracts/solc
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}/contracts
  COMMENT "forge build (contracts/out)"
  VERBATIM)
add_custom_target(zg_contracts ALL DEPENDS ${ZG_CONTRACT_ARTEFACTS})

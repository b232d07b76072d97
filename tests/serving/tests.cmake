# The anvil test deploys from contracts/out (built by src/serving/build.cmake).
if(TARGET serving_test_contract_anvil)
  add_dependencies(serving_test_contract_anvil zg_contracts)
endif()
# forge tests of the contracts (label contracts).
include(${CMAKE_SOURCE_DIR}/tests/contracts/tests.cmake)
# test_deploy_zkey deploys Serving too.
if(TARGET serving_test_deploy_zkey)
  add_dependencies(serving_test_deploy_zkey zg_contracts)
endif()
if(TARGET serving_test_deploy_zkey AND TARGET zg)
  add_dependencies(serving_test_deploy_zkey zg)   # it runs `zg chain deploy --zkey`
endif()

# Broker tests run a real zg-model (in process) and libcurl customers.
if(TARGET provider_test_proxy)
  target_link_libraries(provider_test_proxy zg_model PkgConfig::CURL)
endif()
if(TARGET provider_test_crash)
  target_link_libraries(provider_test_crash PkgConfig::CURL)
endif()

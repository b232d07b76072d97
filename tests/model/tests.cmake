# zg-model tests talk to the real program over HTTP with libcurl.
target_link_libraries(model_test_server PkgConfig::CURL)
add_dependencies(model_test_server zg-model)

/*
 * provider_test_config - zg-provider's configuration: defaults, every kind
 * of bad value refused with a message naming the key, environment overrides,
 * upstream URL parsing; and the settlement's choice of circuit size.
 */
#include <stdlib.h>
#include <string.h>

#include "provider/config.h"
#include "provider/settle.h"
#include "zg_test.h"

#define SVC "\"services\":[{\"name\":\"chat\",\"upstream\":\"http://127.0.0.1:8000\",\"input_price\":\"1gwei\",\"output_price\":7}]"

static void test_minimal(void)
{
    zg_pcfg c;
    zg_err err;
    CHECK_OK(zg_pcfg_load_text(&c, "{\"database\":\"/tmp/x.db\"," SVC "}", &err));
    CHECK_EQ_STR(c.listen_host, "0.0.0.0");
    CHECK_EQ_INT(c.listen_port, 8080);
    CHECK_EQ_STR(c.admin_host, "127.0.0.1");
    CHECK_EQ_INT(c.threads, 2);
    CHECK_EQ_INT(c.n_services, 1);
    CHECK_EQ_STR(c.services[0].up_host, "127.0.0.1");
    CHECK_EQ_INT(c.services[0].up_port, 8000);
    CHECK_EQ_STR(c.services[0].up_prefix, "");
    CHECK_EQ_U64(c.services[0].input_price.w[0], 1000000000ull);
    CHECK_EQ_U64(c.services[0].output_price.w[0], 7);
    CHECK_EQ_STR(c.services[0].additional, "{\"unit\":\"byte\"}");
    CHECK_EQ_INT(c.sync_full, 1);
    CHECK_EQ_U64(c.keep_settled_s, 90 * 86400);
    CHECK(zg_pcfg_service_find(&c, "chat", 4) != NULL);
    CHECK(zg_pcfg_service_find(&c, "cha", 3) == NULL);
    zg_pcfg_free(&c);
}

static void expect_error(const char *json, const char *needle)
{
    zg_pcfg c;
    zg_err err;
    zg_err_clear(&err);
    int rc = zg_pcfg_load_text(&c, json, &err);
    CHECK(rc != ZG_OK);
    CHECK_MSG(strstr(err.msg, needle) != NULL, "error '%s' does not mention '%s'", err.msg, needle);
}

static void test_errors(void)
{
    expect_error("{not json", "line 1");
    expect_error("[]", "JSON object");
    expect_error("{" SVC "}", "database");
    expect_error("{\"database\":\"x\"}", "services");
    expect_error("{\"database\":\"x\",\"threads\":0," SVC "}", "threads");
    expect_error("{\"database\":\"x\",\"listen\":\"nohost\"," SVC "}", "host:port");
    expect_error("{\"database\":\"x\",\"listen\":\"1.2.3.4:99999\"," SVC "}", "port");
    expect_error("{\"database\":\"x\",\"admin_listen\":\"0.0.0.0:1\"," SVC "}", "loopback");
    expect_error("{\"database\":\"x\",\"chain\":{\"key\":\"0x01\"}," SVC "}", "never write the key");
    expect_error("{\"database\":\"x\",\"services\":[{\"name\":\"a b\",\"upstream\":\"http://h\"}]}", "name");
    expect_error("{\"database\":\"x\",\"services\":[{\"name\":\"a\"}]}", "upstream");
    expect_error("{\"database\":\"x\",\"services\":[{\"name\":\"a\",\"upstream\":\"https://h\"}]}", "http://");
    expect_error("{\"database\":\"x\",\"services\":[{\"name\":\"a\",\"upstream\":\"http://h\",\"type\":\"model\"}]}",
                 "chat");
    expect_error("{\"database\":\"x\",\"services\":[{\"name\":\"a\",\"upstream\":\"http://h\",\"input_price\":\"lots\"}]}",
                 "input_price");
    expect_error("{\"database\":\"x\",\"services\":[{\"name\":\"a\",\"upstream\":\"http://h\"},"
                 "{\"name\":\"a\",\"upstream\":\"http://h\"}]}", "twice");
    expect_error("{\"database\":\"x\",\"services\":[{\"name\":\"a\",\"upstream\":\"http://h\","
                 "\"additional_properties\":{\"unit\":\"token\"}}]}", "additional_properties");
    expect_error("{\"database\":\"x\",\"settlement\":{\"circuit_sizes\":[]}," SVC "}", "circuit_sizes");
    expect_error("{\"database\":\"x\",\"store\":{\"synchronous\":\"off\"}," SVC "}", "synchronous");
    expect_error("{\"database\":\"x\",\"store\":{\"keep_settled_s\":-1}," SVC "}", "keep_settled_s");
    expect_error("{\"database\":\"x\",\"store\":{\"keep_settled_s\":3153600001}," SVC "}", "100 years");
}

static void test_upstream_urls(void)
{
    zg_pcfg_service s;
    zg_err err;
    memset(&s, 0, sizeof s);
    CHECK_OK(zg_pcfg_parse_upstream(&s, "http://model.local", &err));
    CHECK_EQ_STR(s.up_host, "model.local");
    CHECK_EQ_INT(s.up_port, 80);
    CHECK_OK(zg_pcfg_parse_upstream(&s, "http://10.0.0.2:11434/v1/", &err));
    CHECK_EQ_STR(s.up_host, "10.0.0.2");
    CHECK_EQ_INT(s.up_port, 11434);
    CHECK_EQ_STR(s.up_prefix, "");
    CHECK_OK(zg_pcfg_parse_upstream(&s, "http://h:1/openai/v1", &err));
    CHECK_EQ_STR(s.up_prefix, "/openai");
    CHECK(zg_pcfg_parse_upstream(&s, "http://:80", &err) != ZG_OK);
    CHECK(zg_pcfg_parse_upstream(&s, "ftp://h", &err) != ZG_OK);
}

static void test_environment(void)
{
    zg_pcfg c;
    zg_err err;
    setenv("ZG_LISTEN", "127.0.0.1:9999", 1);
    setenv("ZG_THREADS", "4", 1);
    setenv("ZG_DATABASE", "/tmp/env.db", 1);
    setenv("ZG_UPSTREAM", "http://10.1.1.1:7000", 1);
    setenv("ZG_STORE_SYNC", "normal", 1);
    setenv("ZG_SETTLE_THRESHOLD", "1gwei", 1);
    setenv("ZG_KEEP_SETTLED_S", "0", 1);
    CHECK_OK(zg_pcfg_load_text(&c, "{\"database\":\"/tmp/file.db\"," SVC "}", &err));
    CHECK_EQ_INT(c.listen_port, 9999);
    CHECK_EQ_INT(c.threads, 4);
    CHECK_EQ_STR(c.database, "/tmp/env.db");
    CHECK_EQ_STR(c.services[0].up_host, "10.1.1.1");
    CHECK_EQ_INT(c.services[0].up_port, 7000);
    CHECK_EQ_INT(c.sync_full, 0);
    CHECK_EQ_U64(c.settle_threshold.w[0], 1000000000ull);
    CHECK_EQ_U64(c.keep_settled_s, 0);
    zg_pcfg_free(&c);
    setenv("ZG_THREADS", "many", 1);
    CHECK(zg_pcfg_load_text(&c, "{\"database\":\"x\"," SVC "}", &err) != ZG_OK);
    CHECK(strstr(err.msg, "ZG_THREADS") != NULL);
    unsetenv("ZG_LISTEN"); unsetenv("ZG_THREADS"); unsetenv("ZG_DATABASE"); unsetenv("ZG_UPSTREAM");
    unsetenv("ZG_STORE_SYNC"); unsetenv("ZG_SETTLE_THRESHOLD"); unsetenv("ZG_KEEP_SETTLED_S");
}

static void test_pick_size(void)
{
    const uint32_t sizes[] = {16, 4, 64};
    CHECK_EQ_INT(zg_settle_pick_size(sizes, 3, 1), 4);
    CHECK_EQ_INT(zg_settle_pick_size(sizes, 3, 4), 4);
    CHECK_EQ_INT(zg_settle_pick_size(sizes, 3, 5), 16);
    CHECK_EQ_INT(zg_settle_pick_size(sizes, 3, 17), 64);
    CHECK_EQ_INT(zg_settle_pick_size(sizes, 3, 64), 64);
    CHECK_EQ_INT(zg_settle_pick_size(sizes, 3, 1000), 64);
}

int main(void)
{
    ZG_RUN(test_minimal);
    ZG_RUN(test_errors);
    ZG_RUN(test_upstream_urls);
    ZG_RUN(test_environment);
    ZG_RUN(test_pick_size);
    ZG_TEST_END();
}

/* cmd_services.c - `zg services`: the services registered in the contract. */
#include <jansson.h>
#include <string.h>

#include "cli/cli.h"

static const char help_services[] =
    "Usage: zg services [--provider ADDR] [--type chat|model|dataset] [--name NAME]\n"
    "                   [--model TEXT]\n"
    "\n"
    "Lists the services providers registered in the Serving contract, with their\n"
    "URL, model, prices (wei per unit) and unit rule. Filters: --provider and\n"
    "--name match exactly, --type exactly, --model as a substring. Reads only;\n"
    "needs no wallet. With --json: {\"services\":[{...}]}.\n";

int zg_cmd_services(zg_cli *g, int argc, char **argv)
{
    zg_service_filter f = {0};
    zg_cli_opt o[] = {{"provider", 1, &f.provider, NULL}, {"type", 1, &f.type, NULL},
                      {"name", 1, &f.name, NULL},         {"model", 1, &f.model, NULL},
                      {0}};
    char *pos[ZG_CLI_MAXPOS];
    int n, rc;
    g->prog = "zg services";
    if ((rc = zg_cli_parse(g, argc, argv, o, help_services, pos, &n)) >= 0)
        return rc;
    if (n)
        return zg_cli_usage(g, "unexpected argument '%s'", pos[0]);
    if ((rc = zg_cli_open(g)) >= 0)
        return rc;
    zg_err e;
    zg_service_entry *list;
    size_t k;
    if (zg_services_list(g->client, &f, &list, &k, &e))
        return zg_cli_fail(g, &e);
    json_t *arr = json_array();
    for (size_t i = 0; i < k; i++) {
        zg_service_entry *s = &list[i];
        if (g->json) {
            json_array_append_new(
                arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "provider", s->provider,
                               "name", s->name, "type", s->type, "url", s->url, "model", s->model,
                               "verifiability", s->verifiability, "additional_properties",
                               s->additional_properties, "input_price", s->input_price,
                               "output_price", s->output_price, "updated_at",
                               (json_int_t)s->updated_at));
            continue;
        }
        printf("%s  %s  (%s)\n  url %s\n  model %s, verifiability %s\n"
               "  price %s wei/unit in, %s wei/unit out, rule %s\n",
               s->provider, s->name, s->type, s->url, s->model, s->verifiability, s->input_price,
               s->output_price, s->additional_properties[0] ? s->additional_properties : "{} (byte)");
    }
    if (g->json)
        zg_cli_print_json(json_pack("{s:o}", "services", arr));
    else {
        json_decref(arr);
        if (!k)
            printf("no services match\n");
    }
    zg_service_list_free(list, k);
    return ZG_EXIT_OK;
}

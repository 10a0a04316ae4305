/*
 * A Kafka cluster for tests, from librdkafka's public mock API (rdkafka_mock.h): N brokers in
 * this process, driven by commands on stdin, one per line:
 *
 *   topic NAME PARTITIONS REPLICATION_FACTOR   create a topic
 *   leader TOPIC PARTITION BROKER_ID           move a partition's leader
 *   down BROKER_ID / up BROKER_ID              take a broker's listener down or up
 *   quit                                       stop
 *
 * Prints KAFKA_BOOTSTRAP=host:port,... once the brokers listen, and "ok" or "error: ..." after
 * each command, so a test can wait for the answer instead of sleeping.
 *
 * Build: gcc -O1 -o mock-cluster mock-cluster.c -lrdkafka
 * Usage: mock-cluster [BROKERS]   (default 3)
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void answer(rd_kafka_resp_err_t err) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
    printf("ok\n");
  else
    printf("error: %s\n", rd_kafka_err2str(err));
  fflush(stdout);
}

int main(int argc, char **argv) {
  int brokers = argc > 1 ? atoi(argv[1]) : 3;
  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  /* The handle only hosts the mock cluster; it never produces. */
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (!rk) {
    fprintf(stderr, "could not create the librdkafka handle: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(rk, brokers);
  if (!cluster) {
    fprintf(stderr, "could not create the mock cluster\n");
    return 1;
  }
  printf("KAFKA_BOOTSTRAP=%s\n", rd_kafka_mock_cluster_bootstraps(cluster));
  fflush(stdout);

  char line[1024];
  while (fgets(line, sizeof(line), stdin)) {
    char name[512];
    int a, b;
    if (sscanf(line, "topic %511s %d %d", name, &a, &b) == 3) {
      answer(rd_kafka_mock_topic_create(cluster, name, a, b));
    } else if (sscanf(line, "leader %511s %d %d", name, &a, &b) == 3) {
      answer(rd_kafka_mock_partition_set_leader(cluster, name, a, b));
    } else if (sscanf(line, "down %d", &a) == 1) {
      answer(rd_kafka_mock_broker_set_down(cluster, a));
    } else if (sscanf(line, "up %d", &a) == 1) {
      answer(rd_kafka_mock_broker_set_up(cluster, a));
    } else if (strncmp(line, "quit", 4) == 0) {
      break;
    } else {
      printf("error: unknown command\n");
      fflush(stdout);
    }
  }
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  return 0;
}

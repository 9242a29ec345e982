package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Sentinel (one master, one replica, three Sentinels): two application nodes whose stores connect
 * through a {@code redis-sentinel://} URL serve users over HTTP ({@link FailoverScenario}) while
 * the master is killed with SIGKILL and the Sentinels promote the replica. The stores follow it;
 * access cookies are served throughout, renewals are refused at worst (never a 5xx), no user who
 * logged out right before the kill can renew afterwards on either node, and the logged-out users
 * and false theft alarms are printed.
 */
class SentinelFailoverTest {

  @Test
  void theNodesFollowThePromotedReplicaAnswerEveryRequestAndNoLoggedOutSessionRevives()
      throws Exception {
    try (RedisSentinelProcess sentinel = RedisSentinelProcess.start();
        FailoverScenario scenario =
            FailoverScenario.start(
                store -> store.uri(sentinel.uri()).durableWrites(1, Duration.ofSeconds(1)))) {
      assertThat(scenario.familyKey("x")).startsWith(AppNode.KEY_PREFIX);

      FailoverScenario.Report report = scenario.run(sentinel::killMasterAndAwaitPromotion);
      System.out.println(report.describe("sentinel failover (SIGKILL of the master)"));

      assertThat(report.serverErrors()).as("5xx answers, statuses %s", report.statuses()).isZero();
      assertThat(report.unexpected()).as("requests not answered as the protocol says").isEmpty();
      assertThat(report.accessNotServed()).as("access-cookie requests not served").isEmpty();
      assertThat(report.accessDuringEvent())
          .as("access-cookie requests answered while the master was down")
          .isPositive();
      assertThat(report.revived()).as("logged-out sessions that renew again").isEmpty();
    }
  }
}

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

      report.assertAnsweredWithoutRevival();
    }
  }
}

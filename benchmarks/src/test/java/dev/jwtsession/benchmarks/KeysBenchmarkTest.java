package dev.jwtsession.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each {@link KeysBenchmark} method measures what it names: the engine and Nimbus accept the
 * genuine token of every algorithm and the genuine JWE, and the three forged JWE headers are
 * refused. No timing here.
 */
class KeysBenchmarkTest {

  @ParameterizedTest
  @ValueSource(strings = {"HS256", "RS256", "PS256", "ES256", "EdDSA"})
  void everyMethodMeasuresTheCaseItNames(String alg) throws Exception {
    KeysBenchmark bench = new KeysBenchmark();
    bench.alg = alg;
    bench.setUp(); // throws if a genuine token is refused or a forged one accepted

    assertThat(bench.engineVerify().subject()).contains("u-7f3a9c21");
    assertThat(bench.nimbusVerify().getSubject()).isEqualTo("u-7f3a9c21");
    assertThat(bench.engineJweDecrypt().subject()).contains("u-7f3a9c21");
    assertThat(bench.nimbusJweDecrypt()).containsEntry("sub", "u-7f3a9c21");
    assertThat(bench.refusedZip().isAuthenticated()).isFalse();
    assertThat(bench.refusedP2c().isAuthenticated()).isFalse();
    assertThat(bench.refusedEpk().isAuthenticated()).isFalse();
  }
}

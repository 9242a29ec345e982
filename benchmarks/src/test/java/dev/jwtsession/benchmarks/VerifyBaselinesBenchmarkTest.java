package dev.jwtsession.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each baseline really verifies the fixture token (a benchmark that silently measured a rejection
 * path would be worthless), and the floor rejects what it must. No timing here.
 */
class VerifyBaselinesBenchmarkTest {

  private final VerifyBaselinesBenchmark bench = new VerifyBaselinesBenchmark();
  private final VerifyBaselinesBenchmark.ThreadMac thread =
      new VerifyBaselinesBenchmark.ThreadMac();

  @BeforeEach
  void setUp() throws Exception {
    bench.setUp();
    thread.setUp();
  }

  @Test
  void fixtureTokenIsAbout300CharactersWithNineClaims() throws Exception {
    assertThat(TokenFixture.TOKEN.length()).isBetween(280, 330);
    assertThat(bench.nimbus().getClaims()).hasSize(9);
  }

  @Test
  void everyLibraryBaselineAcceptsTheFixtureToken() throws Exception {
    assertThat(bench.nimbus().getSubject()).isEqualTo("u-7f3a9c21");
    assertThat(bench.javaJwt().getSubject()).isEqualTo("u-7f3a9c21");
    assertThat(bench.jjwt().getSubject()).isEqualTo("u-7f3a9c21");
  }

  @Test
  void floorReturnsThePayloadOfTheFixtureToken() throws Exception {
    assertThat(new String(bench.floor(thread), StandardCharsets.UTF_8))
        .contains("\"sub\":\"u-7f3a9c21\"");
    assertThat(bench.floorJson(thread)).containsEntry("sub", "u-7f3a9c21").containsKey("exp");
  }

  @Test
  void floorRejectsATamperedPayloadAWrongSignatureAndAnotherHeader() {
    String token = TokenFixture.TOKEN;
    int dot2 = token.lastIndexOf('.');
    String tamperedPayload = token.substring(0, dot2 - 2) + "fQ" + token.substring(dot2);
    String lastChar = token.endsWith("A") ? "B" : "A";
    String wrongSignature = token.substring(0, token.length() - 1) + lastChar;
    String otherHeader = "eyJhbGciOiJub25lIn0" + token.substring(token.indexOf('.'));

    assertThat(bench.floorVerify(tamperedPayload, thread)).isNull();
    assertThat(bench.floorVerify(wrongSignature, thread)).isNull();
    assertThat(bench.floorVerify(otherHeader, thread)).isNull();
    assertThat(bench.floorVerify("garbage", thread)).isNull();
    assertThat(bench.floorVerify(token + ".", thread)).isNull();
  }

  @Test
  void signAndVerifyPairRoundTripsTheUserClaims() throws Exception {
    assertThat(bench.signAndVerifyPair().getClaims())
        .containsAllEntriesOf(TokenFixture.userClaims());
  }
}

package dev.jwtsession.testkit;

import dev.jwtsession.JwtSession;

/**
 * The contract is passable by an adapter that is not a servlet filter: the flawless {@link
 * JdkHttpServerApp} on the JDK's own HTTP server passes every scenario.
 */
class JdkHttpServerContractTest extends AdapterContract {

  @Override
  protected ServerUnderTest start(JwtSession engine) throws Exception {
    return JdkHttpServerApp.start(engine);
  }
}

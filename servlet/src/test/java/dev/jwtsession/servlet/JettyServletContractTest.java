package dev.jwtsession.servlet;

import dev.jwtsession.JwtSession;
import dev.jwtsession.testkit.AdapterContract;
import dev.jwtsession.testkit.ServerUnderTest;

/** The servlet adapter passes the adapter contract on embedded Jetty 12. */
class JettyServletContractTest extends AdapterContract {

  @Override
  protected ServerUnderTest start(JwtSession engine) throws Exception {
    return TestApp.start(engine);
  }
}

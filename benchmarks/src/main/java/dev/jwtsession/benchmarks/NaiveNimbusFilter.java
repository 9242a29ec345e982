package dev.jwtsession.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.text.ParseException;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * The baseline an application writes without our library: on every request, verify the access
 * cookie with Nimbus; when it is missing or invalid, verify the refresh cookie, look the user up
 * and sign a new access and refresh token; otherwise clear the bad cookies. No cache, no care for
 * allocation, but every check of the engine (pinned algorithm, signature, {@code exp}, type
 * marker).
 *
 * <p>The verified subject is left in the request attribute {@link #SUBJECT} for the servlet.
 */
@SuppressWarnings("JavaUtilDate") // Nimbus's claims API speaks Date
final class NaiveNimbusFilter implements Filter {

  static final String SUBJECT = NaiveNimbusFilter.class.getName() + ".subject";
  static final String ACCESS_COOKIE = "app_session";
  static final String REFRESH_COOKIE = "app_refresh";
  private static final long ACCESS_SECONDS = 15 * 60;
  private static final long REFRESH_SECONDS = 7 * 24 * 3600;

  private final JWSHeader header =
      new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build();
  private final MACVerifier accessVerifier;
  private final MACVerifier refreshVerifier;
  private final MACSigner accessSigner;
  private final MACSigner refreshSigner;

  NaiveNimbusFilter() {
    try {
      accessVerifier = new MACVerifier(TokenFixture.SECRET);
      refreshVerifier = new MACVerifier(TokenFixture.REFRESH_SECRET);
      accessSigner = new MACSigner(TokenFixture.SECRET);
      refreshSigner = new MACSigner(TokenFixture.REFRESH_SECRET);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    String access = null;
    String refresh = null;
    Cookie[] cookies = request.getCookies();
    if (cookies != null) {
      for (Cookie cookie : cookies) {
        if (ACCESS_COOKIE.equals(cookie.getName())) {
          access = cookie.getValue();
        } else if (REFRESH_COOKIE.equals(cookie.getName())) {
          refresh = cookie.getValue();
        }
      }
    }
    long now = System.currentTimeMillis();
    JWTClaimsSet accessClaims = verify(access, accessVerifier, TokenFixture.ACCESS_TYPE, now);
    if (accessClaims != null) {
      request.setAttribute(SUBJECT, accessClaims.getSubject());
    } else {
      JWTClaimsSet refreshClaims = verify(refresh, refreshVerifier, TokenFixture.REFRESH_TYPE, now);
      if (refreshClaims != null) {
        // The "reauth callback": the user is still active, give back the fixture claims.
        Map<String, Object> user = TokenFixture.userClaims();
        String newAccess = sign(accessSigner, user, now, ACCESS_SECONDS);
        String newRefresh =
            sign(
                refreshSigner,
                TokenFixture.refreshClaims(UUID.randomUUID().toString()),
                now,
                REFRESH_SECONDS);
        response.addHeader("Set-Cookie", cookie(ACCESS_COOKIE, newAccess, ACCESS_SECONDS));
        response.addHeader("Set-Cookie", cookie(REFRESH_COOKIE, newRefresh, REFRESH_SECONDS));
        request.setAttribute(SUBJECT, refreshClaims.getSubject());
      } else {
        if (access != null) {
          response.addHeader("Set-Cookie", cookie(ACCESS_COOKIE, "", 0));
        }
        if (refresh != null) {
          response.addHeader("Set-Cookie", cookie(REFRESH_COOKIE, "", 0));
        }
      }
    }
    chain.doFilter(request, response);
  }

  private JWTClaimsSet verify(String token, MACVerifier verifier, String type, long now) {
    if (token == null) {
      return null;
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        return null;
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Date exp = claims.getExpirationTime();
      if (exp == null
          || exp.getTime() <= now
          || !type.equals(claims.getClaim(TokenFixture.TYPE_CLAIM))) {
        return null;
      }
      return claims;
    } catch (ParseException | JOSEException | RuntimeException e) {
      return null;
    }
  }

  private String sign(
      MACSigner signer, Map<String, Object> claims, long now, long lifetimeSeconds) {
    JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
    claims.forEach(builder::claim);
    long seconds = now / 1000;
    builder
        .issueTime(new Date(seconds * 1000))
        .expirationTime(new Date((seconds + lifetimeSeconds) * 1000));
    SignedJWT jwt = new SignedJWT(header, builder.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  private static String cookie(String name, String value, long maxAgeSeconds) {
    return name
        + "="
        + value
        + "; Max-Age="
        + maxAgeSeconds
        + "; Path=/; Secure; HttpOnly; SameSite=Lax";
  }
}
